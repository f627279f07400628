"""The new one-on-one page: one person selector, a person preselected from a link, input kept
when the form is refused, and the session start swapped in without a page reload."""

import re
from datetime import date

from salesorg.development.models import CoachingSession
from salesorg.development.services.coaching import coaching_session_create

NEW = "/development/coaching/new/"


def _person_selects(html: str) -> list[str]:
    return re.findall(r'<select[^>]*name="person"[^>]*>', html)


def test_the_new_session_page_has_one_person_selector(org_tree):
    html = org_tree.client("manager_east1").get(NEW).content.decode()
    assert len(_person_selects(html)) == 1
    assert html.count('method="post"') >= 1 and 'method="get"' not in html


def test_a_person_from_the_link_is_preselected_with_their_session_start(org_tree):
    rep = org_tree.people["rep_east1a"]
    coaching_session_create(
        person=rep,
        actor=org_tree.user("manager_east1"),
        session_date=date(2026, 1, 10),
        improvement_plan="Plan the week",
        action_items=[{"title": "Visit three prospects", "due_date": date(2026, 1, 20)}],
    )
    html = org_tree.client("manager_east1").get(f"{NEW}?person={rep.pk}").content.decode()
    assert re.search(rf'<option value="{rep.pk}" selected>', html)
    assert "Visit three prospects" in html


def test_a_person_outside_the_coachs_scope_is_not_preselected(org_tree):
    other = org_tree.people["rep_north1a"]
    html = org_tree.client("manager_east1").get(f"{NEW}?person={other.pk}").content.decode()
    assert f'value="{other.pk}"' not in html
    assert 'id="session-start"' in html


def test_picking_a_person_swaps_in_their_session_start_without_a_reload(org_tree):
    html = org_tree.client("manager_east1").get(NEW).content.decode()
    select = _person_selects(html)[0]
    assert 'hx-get="/development/coaching/new/"' in select
    assert 'hx-select="#session-start"' in select and 'hx-target="#session-start"' in select
    assert 'id="session-start"' in html


def test_a_refused_session_keeps_everything_typed(org_tree):
    rep = org_tree.people["rep_east1a"]
    response = org_tree.client("manager_east1").post(
        NEW,
        {
            "person": rep.pk,
            "session_date": "2026-01-10",
            "strengths": "Knows the products well",
            "improvement_plan": "Plan the week",
            "items-1-title": "Call the overdue payers",  # no due date: refused
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and not CoachingSession.objects.exists()
    assert "Knows the products well" in html and "Call the overdue payers" in html
    assert re.search(rf'<option value="{rep.pk}" selected>', html)


def test_a_saved_session_says_so_on_the_next_page(org_tree):
    rep = org_tree.people["rep_east1a"]
    response = org_tree.client("manager_east1").post(
        NEW,
        {"person": rep.pk, "session_date": "2026-01-10", "improvement_plan": "Plan the week"},
        follow=True,
    )
    assert CoachingSession.objects.count() == 1
    assert "Coaching session saved" in response.content.decode()
