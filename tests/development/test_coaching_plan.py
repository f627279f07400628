"""The coached person's say in their improvement plan (双方共同讨论、拟订): a comment thread
with the coach, an agreement the rep gives, reset (and the rep told) when the coach changes
the plan; the same on the session page and over the API."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from salesorg.api.models import ApiToken
from salesorg.development.services.coaching import coaching_session_create
from salesorg.development.services.coaching_plan import (
    coaching_plan_agree,
    coaching_plan_change,
    coaching_plan_comment,
)
from salesorg.targets.choices import ActionOrigin
from salesorg.work.actions import action_items_for_source


def _session(org_tree, plan="每周一做周计划"):
    return coaching_session_create(
        person=org_tree.people["rep_east1a"],
        actor=org_tree.user("manager_east1"),
        session_date=date(2026, 1, 10),
        improvement_plan=plan,
    )


def _bearer(org_tree, key) -> Client:
    _token, raw = ApiToken.objects.issue(user=org_tree.user(key))
    return Client(headers={"authorization": f"Bearer {raw}"})


def test_the_rep_and_the_coach_comment_on_the_plan_in_one_thread(org_tree):
    session = _session(org_tree)
    coaching_plan_comment(session=session, actor=org_tree.user("rep_east1a"), text="周一上午有例会")
    coaching_plan_comment(session=session, actor=org_tree.user("manager_east1"), text="改到周日晚")
    thread = list(session.comments.all())
    assert [(c.author.code, c.text) for c in thread] == [
        ("REP-east1a", "周一上午有例会"),
        ("MGR-east1", "改到周日晚"),
    ]
    assert all(c.created_at for c in thread)


@pytest.mark.parametrize("key", ["rep_east1b", "manager_north1", "finance"])
def test_others_may_not_comment_on_the_plan(org_tree, key):
    session = _session(org_tree)
    with pytest.raises(ValidationError):
        coaching_plan_comment(session=session, actor=org_tree.user(key), text="x")
    assert not session.comments.exists()


def test_an_empty_comment_is_refused(org_tree):
    session = _session(org_tree)
    with pytest.raises(ValidationError) as error:
        coaching_plan_comment(session=session, actor=org_tree.user("rep_east1a"), text="  ")
    assert "text" in error.value.message_dict


def test_only_the_coached_person_agrees_to_the_plan(org_tree):
    session = _session(org_tree)
    with pytest.raises(ValidationError):
        coaching_plan_agree(session=session, actor=org_tree.user("manager_east1"))
    coaching_plan_agree(session=session, actor=org_tree.user("rep_east1a"))
    session.refresh_from_db()
    assert session.plan_agreed_at is not None
    with pytest.raises(ValidationError):  # agreed already
        coaching_plan_agree(session=session, actor=org_tree.user("rep_east1a"))


def test_a_changed_plan_resets_the_agreement_and_tells_the_rep(org_tree):
    session = _session(org_tree)
    coaching_plan_agree(session=session, actor=org_tree.user("rep_east1a"))
    # the same text again changes nothing
    coaching_plan_change(
        session=session, actor=org_tree.user("manager_east1"), improvement_plan="每周一做周计划"
    )
    session.refresh_from_db()
    assert session.plan_agreed_at is not None
    assert not list(action_items_for_source(session))
    # a new text clears the agreement and gives the rep an item to review it
    coaching_plan_change(
        session=session, actor=org_tree.user("manager_east1"), improvement_plan="每周日晚做周计划"
    )
    session.refresh_from_db()
    assert session.improvement_plan == "每周日晚做周计划"
    assert session.plan_agreed_at is None
    (item,) = action_items_for_source(session)
    assert item.owner == org_tree.people["rep_east1a"]
    assert item.origin == ActionOrigin.COACHING
    # the rep may not change the plan
    with pytest.raises(ValidationError):
        coaching_plan_change(
            session=session, actor=org_tree.user("rep_east1a"), improvement_plan="另一个计划"
        )


def test_the_rep_comments_and_agrees_on_the_session_page(org_tree):
    session = _session(org_tree)
    rep = org_tree.client("rep_east1a")
    page = rep.get(session.get_absolute_url()).content.decode()
    assert "每周一做周计划" in page
    assert 'name="text"' in page and "plan-agree" in page
    url = session.get_absolute_url()
    assert rep.post(f"{url}comments/", {"text": "同意，但周一有例会"}).status_code == 302
    assert rep.post(f"{url}agree/").status_code == 302
    manager_page = org_tree.client("manager_east1").get(url).content.decode()
    assert "同意，但周一有例会" in manager_page
    assert "plan-agreed" in manager_page
    assert 'plan-agree"' not in manager_page  # the manager has no agree button


def test_an_empty_comment_on_the_page_shows_a_message(org_tree):
    session = _session(org_tree)
    response = org_tree.client("rep_east1a").post(
        f"{session.get_absolute_url()}comments/", {"text": ""}, follow=True
    )
    assert response.status_code == 200
    assert list(response.context["messages"])
    assert not session.comments.exists()


def test_the_manager_changes_the_plan_on_the_page(org_tree):
    session = _session(org_tree)
    coaching_plan_agree(session=session, actor=org_tree.user("rep_east1a"))
    url = f"{session.get_absolute_url()}plan/"
    assert org_tree.client("rep_east1a").post(url, {"improvement_plan": "x"}).status_code == 302
    session.refresh_from_db()
    assert session.improvement_plan == "每周一做周计划"
    org_tree.client("manager_east1").post(url, {"improvement_plan": "新计划"})
    session.refresh_from_db()
    assert (session.improvement_plan, session.plan_agreed_at) == ("新计划", None)


def test_a_rep_of_another_team_gets_404_on_the_plan_actions(org_tree):
    session = _session(org_tree)
    other = org_tree.client("rep_east1b")
    url = session.get_absolute_url()
    assert other.post(f"{url}comments/", {"text": "x"}).status_code == 404
    assert other.post(f"{url}agree/").status_code == 404


def test_the_api_carries_comments_and_the_agreement(org_tree):
    session = _session(org_tree)
    rep = _bearer(org_tree, "rep_east1a")
    base = f"/api/v1/coaching-sessions/{session.pk}"
    response = rep.post(f"{base}/comments", {"text": "好的"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["author_id"] == org_tree.people["rep_east1a"].pk
    bad = rep.post(f"{base}/comments", {"text": ""}, content_type="application/json")
    assert bad.status_code == 400 and "text" in bad.json()["detail"][0]["loc"]
    assert rep.post(f"{base}/agreement").status_code == 200
    manager = _bearer(org_tree, "manager_east1")
    body = manager.get(base).json()
    assert body["plan_agreed_at"] is not None
    assert [c["text"] for c in body["comments"]] == ["好的"]
    assert manager.post(f"{base}/agreement").status_code == 400
    changed = manager.post(
        f"{base}/plan", {"improvement_plan": "新计划"}, content_type="application/json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["plan_agreed_at"] is None
    assert _bearer(org_tree, "rep_east1b").post(f"{base}/agreement").status_code == 404


def test_the_reps_coaching_page_lists_the_plans_awaiting_their_agreement(org_tree):
    session = _session(org_tree)
    rep = org_tree.client("rep_east1a")
    assert "plans-to-agree" in rep.get("/development/coaching/").content.decode()
    coaching_plan_agree(session=session, actor=org_tree.user("rep_east1a"))
    assert "plans-to-agree" not in rep.get("/development/coaching/").content.decode()
    manager_list = org_tree.client("manager_east1").get("/development/coaching/").content.decode()
    assert "plans-to-agree" not in manager_list and "text-bg-success" in manager_list
