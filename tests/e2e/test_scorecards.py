"""A manager records a meeting countermeasure on a phone; a rep sees their own scorecard."""

from datetime import date

import pytest

from salesorg.performance.services.meetings import meeting_create
from salesorg.performance.services.scorecards import scorecards_compute
from salesorg.targets.models import ActionItem
from tests.performance.scorecard_helpers import published, sell, target

pytestmark = pytest.mark.django_db(transaction=True)


def login(page, live_server, code):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", code)
    page.fill("#id_password", "pw-for-tests-1")
    page.click("#main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_meeting_countermeasure_and_own_scorecard_on_a_phone(live_server, org_tree, phone):
    rep = org_tree.people["rep_east1a"]
    published(org_tree)
    target(rep, realistic="1000")
    sell(rep, amount="900")
    period = scorecards_compute(actor=None, kind="month", start=date(2026, 1, 1))
    meeting = meeting_create(
        actor=org_tree.user("manager_east1"),
        team=org_tree.teams["east1"],
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
        held_on=date(2026, 2, 2),
    )
    item = meeting.items.get()

    login(phone, live_server, "MGR-east1")
    phone.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    prefix = f"#id_item{item.pk}-"
    phone.select_option(f"{prefix}cause_category", "activity")
    phone.fill(f"{prefix}cause", "拜访太少")
    phone.fill(f"{prefix}countermeasure", "每周多拜访五家客户")
    phone.fill(f"{prefix}due_date", "2026-02-28")
    phone.locator(f"#item-{item.pk} button.btn-primary").click()
    phone.wait_for_load_state()
    assert "每周多拜访五家客户" in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    action = ActionItem.objects.get(origin="meeting")
    assert action.owner == rep and action.due_date == date(2026, 2, 28)

    phone.context.clear_cookies()
    login(phone, live_server, rep.code)
    phone.goto(f"{live_server.url}{period.get_absolute_url()}")
    rows = phone.locator("table tbody tr")
    assert rows.count() == 1 and "REP-east1a" in rows.first.inner_text()
    rows.first.locator("a").click()
    phone.wait_for_load_state()
    assert "68" in phone.locator("table tfoot").inner_text()
    phone.screenshot(path="tests/e2e/screenshots/scorecard-rep-phone.png", full_page=True)
