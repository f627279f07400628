"""The coaching page reads its figures as a person expects: ¥ grouped, rate changes in points."""

import re
from datetime import date

from django.utils import translation

from salesorg.development.services.coaching import coaching_session_create

UNGROUPED = re.compile(r"(?<![\w.,/:+-])\d{4,}\.\d+|(?<![\w.,/:+-])\d{5,}(?![\w,])")


def _session(org_tree, on, values):
    session = coaching_session_create(
        person=org_tree.people["rep_east1a"],
        actor=org_tree.user("manager_east1"),
        session_date=on,
        improvement_plan="Plan the week on Monday",
    )
    session.indicators = {"values": values}
    session.save(update_fields=["indicators"])
    return session


def _page(org_tree, session, language):
    client = org_tree.client("manager_east1")
    with translation.override(language):
        response = client.get(session.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_sales_since_last_session_show_grouped_yuan_and_rate_changes_in_points(org_tree):
    # given two sessions whose snapshots hold six-figure sales and a falling achievement rate
    _session(org_tree, date(2026, 10, 10), {"sales": "361279.25", "sales_achievement": "1.0666"})
    second = _session(
        org_tree, date(2026, 11, 10), {"sales": "177837.00", "sales_achievement": "0.6352"}
    )
    for language in ("zh-hans", "en"):
        # when the coach opens the second session
        page = _page(org_tree, second, language)
        text = re.sub(r"<[^>]+>", " ", page)
        # then the amounts read with ¥ and grouping, never bare
        assert "¥361,279.25" in text and "¥177,837.00" in text
        assert "\u2212¥183,442.25" in text
        assert "177837" not in text and "361279" not in text
        # and the achievement change is in percentage points, not percent
        assert "106.66%" in text and "63.52%" in text
        assert "\u221243.14" in text
        assert "-43.14%" not in text and "\u221243.14%" not in text


def test_the_english_change_says_pp(org_tree):
    _session(org_tree, date(2026, 10, 10), {"sales_achievement": "1.0666"})
    second = _session(org_tree, date(2026, 11, 10), {"sales_achievement": "0.6352"})
    assert "\u221243.14 pp" in _page(org_tree, second, "en")
