"""The tour: every demo role's pages, in Chinese, on a desktop and a phone, fail on what a
Chinese user should never see (tour_checks.py says what and why).

The demo company is loaded into the live test server's database with the clock at
2026-12-06 10:00 (Asia/Shanghai), the date the demo and issue #15 were read on.
Screenshots go to tests/e2e/screenshots/tour/<role>/ (git-ignored); the list of
violations, one per line, to tests/e2e/screenshots/tour/violations.txt.
"""

import time
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from salesorg.demo.org import DEMO_PASSWORD
from tests.e2e.tour import SCREENSHOTS, page_violations, report, tour
from tests.e2e.tour_checks import DataWords, card_problems, text_problems

TODAY = date(2026, 12, 6)


@pytest.fixture
def clock_at_demo_day(monkeypatch):
    """The app's clock (timezone.now, hence localdate) runs from 2026-12-06 10:00 local time."""
    real_now = timezone.now
    offset = datetime(2026, 12, 6, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")) - real_now()
    monkeypatch.setattr(timezone, "now", lambda: real_now() + offset)


@pytest.mark.django_db(transaction=True)
def test_every_role_sees_chinese_grouped_money_real_cards_and_fitting_pages(
    live_server, clock_at_demo_day, browser, settings
):
    settings.LANGUAGE_CODE = "zh-hans"
    started = time.monotonic()
    call_command("demo", today=TODAY, stdout=StringIO())
    print(f"tour: the demo loaded in {time.monotonic() - started:.0f} s")
    assert timezone.localdate() == TODAY

    violations = tour(
        browser=browser,
        base_url=live_server.url,
        password=DEMO_PASSWORD,
        data=DataWords.from_database(),
    )

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "violations.txt").write_text("".join(v.line() + "\n" for v in violations))
    assert not violations, report(violations)


# The checks themselves, on texts a page could show: each fails where it must.
DATA = DataWords(strings={"EAST", "变频器 HV-7.5kW"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("计划 ¥84315000.00，差额 177837.00", [("money", "¥84315000.00"), ("money", "177837.00")]),
        ("目标 76650000.0", [("money", "76650000.0")]),
        ("行动项：gross_margin", [("code", "gross_margin")]),
        ("状态 OPEN", [("code", "OPEN")]),
        ("AWAITING_CREDIT", [("code", "AWAITING_CREDIT")]),
        ("跟进：Follow up", [("latin", "Follow"), ("latin", "up")]),
        ("¥84,315,000.00 · 85.47% · −43.14 个百分点 · 2.5 pp", []),
        ("客户 CU000010 拜访 VIS-20261206-C13F2D 与 V00025646 于 2026-12-06 10:30", []),
        ("R0001 · d0001@example.cn · 18314071322", []),
        ("KPI · PDCA · 导出 CSV / Excel (xlsx) · AAA 级", []),
        ("变频器 HV-7.5kW · 华东大区 EAST", []),
    ],
)
def test_text_checks(text, expected):
    assert [(kind, token) for kind, token, _detail in text_problems(text, DATA)] == expected


def test_card_checks():
    def card(body, *, has_content=False):
        return {"title": "应收账款", "body": body, "has_body": True, "has_content": has_content}

    placeholder = card("暂无内容：登记记录后，此处会逐步显示数据。")
    assert card_problems([placeholder, card(""), card("", has_content=True)]) == [
        "应收账款: “暂无内容：登记记录后，此处会逐步显示数据。”",
        "应收账款: empty body",
    ]
    assert card_problems([card("¥1,234.00 逾期 3 张")]) == []


def test_page_checks_flag_a_rep_page_wider_than_the_phone_and_a_page_not_in_chinese():
    facts = {
        "lang": "en", "texts": ["Open", "¥1,234.00"], "figures": ["76650000.0"], "cards": [],
        "scroll_width": 612, "viewport_width": 390, "widest": ["table.table"],
    }  # fmt: skip

    def kinds(role, viewport):
        found = page_violations(
            role=role, path="/", viewport=viewport, facts=facts, error=None, data=DATA
        )
        return [violation.kind for violation in found]

    assert kinds("R0001", "390") == ["language", "latin", "money", "overflow"]
    assert kinds("D0001", "390") == ["language", "latin", "money"]  # reps work on phones
    assert kinds("R0001", "1366") == ["language", "latin", "money"]
