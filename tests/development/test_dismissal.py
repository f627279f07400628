"""A dismissal takes effect (S15, #17): it needs an ended training or coaching stage of the
policy's length (or a reason the approver sees), its evidence comes from ended periods, and
approved it schedules the leave and asks the manager for the handover."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from salesorg.development.models import PersonnelReview, ReviewStatus
from salesorg.development.services.coaching import coaching_session_create
from salesorg.development.services.personnel import (
    personnel_review_approve,
    personnel_review_file,
)
from salesorg.targets.choices import ActionStatus
from salesorg.targets.models import ActionItem

TODAY = date(2026, 12, 6)
LEAVE = date(2026, 12, 31)


def _coach(org_tree, *days, person="rep_east1a"):
    for day in days:
        coaching_session_create(
            person=org_tree.people[person],
            actor=org_tree.user("manager_east1"),
            session_date=day,
            improvement_plan="提高回款率",
        )


def _dismiss(org_tree, *, today=TODAY, **kw):
    kw.setdefault("effective_date", LEAVE)
    return personnel_review_file(
        person=org_tree.people["rep_east1a"],
        actor=org_tree.user("manager_east1"),
        stage="2026 下半年辅导期",
        outcome="dismiss",
        today=today,
        **kw,
    )


def test_a_dismissal_without_a_stage_of_the_policys_length_needs_a_reason(org_tree):
    _coach(org_tree, date(2026, 10, 1), date(2026, 11, 20))  # seven weeks: too short
    with pytest.raises(ValidationError) as refused:
        _dismiss(org_tree)
    assert "override_reason" in refused.value.message_dict
    assert "3" in refused.value.message_dict["override_reason"][0]
    review = _dismiss(org_tree, override_reason="连续三次严重违反客户报价纪律")
    assert review.override_reason == "连续三次严重违反客户报价纪律"
    assert review.evidence["stage"]["meets_policy"] is False
    page = org_tree.client("head_east").get(review.get_absolute_url()).content.decode()
    assert "连续三次严重违反客户报价纪律" in page


def test_an_ended_stage_of_three_months_is_enough(org_tree):
    _coach(org_tree, date(2026, 6, 1), date(2026, 8, 1), date(2026, 9, 15))
    _coach(org_tree, date(2026, 12, 20))  # a planned session is no evidence yet
    review = _dismiss(org_tree)
    stage = review.evidence["stage"]
    assert stage == {
        "start": "2026-06-01",
        "end": "2026-09-15",
        "sessions": 3,
        "trainings": 0,
        "policy_months": 3,
        "meets_policy": True,
    }
    assert review.override_reason == ""


def test_the_policy_length_is_a_setting(org_tree, settings):
    settings.SALESORG_DISMISSAL_STAGE_MONTHS = 6
    _coach(org_tree, date(2026, 6, 1), date(2026, 9, 15))
    with pytest.raises(ValidationError) as refused:
        _dismiss(org_tree)
    assert "6" in refused.value.message_dict["override_reason"][0]


def test_a_dismissal_needs_a_leave_date_not_in_the_past(org_tree):
    _coach(org_tree, date(2026, 6, 1), date(2026, 9, 15))
    with pytest.raises(ValidationError) as refused:
        _dismiss(org_tree, effective_date=None)
    assert "effective_date" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _dismiss(org_tree, effective_date=TODAY - timedelta(days=1))
    assert "effective_date" in refused.value.message_dict


def test_evidence_comes_from_ended_periods_only(org_tree):
    from salesorg.performance.services.scorecards import scorecards_compute
    from tests.performance.scorecard_helpers import published

    published(org_tree)
    scorecards_compute(actor=None, kind="month", start=date(2026, 1, 1))
    reason = {"override_reason": "试用期未达标"}
    running = _dismiss(
        org_tree, today=date(2026, 1, 20), effective_date=date(2026, 2, 28), **reason
    )
    assert running.evidence["scorecards"] == []  # January is still running
    assert running.evidence["indicators"]["start"] == "2025-12-01"
    ended = _dismiss(org_tree, today=date(2026, 2, 5), effective_date=date(2026, 2, 28), **reason)
    assert [card["period"] for card in ended.evidence["scorecards"]] == ["2026-01-01 – 2026-01-31"]
    assert ended.evidence["indicators"]["start"] == "2026-01-01"


def test_an_approved_dismissal_schedules_the_leave_and_asks_for_the_handover(org_tree):
    _coach(org_tree, date(2026, 6, 1), date(2026, 9, 15))
    review = _dismiss(org_tree)
    rep = org_tree.people["rep_east1a"]
    assert rep.leave_date is None  # filing alone changes nothing
    personnel_review_approve(review=review, actor=org_tree.user("head_east"), today=TODAY)
    rep.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED
    assert rep.leave_date == LEAVE
    assert rep.memberships.get().end_date == LEAVE
    assert rep.history.first().leave_date == LEAVE
    item = ActionItem.objects.get(owner=org_tree.people["manager_east1"])
    assert (item.due_date, item.status) == (LEAVE, ActionStatus.OPEN)
    with translation.override("en"):
        assert item.display_title == f"Hand over the records of {rep.name} before 2026-12-31"
    with translation.override("zh-hans"):
        assert item.display_title == f"请在 2026-12-31 前交接{rep.name}的工作"


def test_the_dismissed_person_works_until_the_leave_date_then_cannot_log_in(org_tree, client):
    _coach(org_tree, date(2026, 6, 1), date(2026, 9, 15))
    today = timezone.localdate()
    review = _dismiss(org_tree, today=today, effective_date=today, override_reason="当日离职")
    personnel_review_approve(review=review, actor=org_tree.user("head_east"), today=today)
    login = {"username": "REP-east1a", "password": "pw-for-tests-1"}
    assert client.post("/accounts/login/", login).status_code == 302  # the last day employed
    rep = org_tree.people["rep_east1a"]
    rep.refresh_from_db()
    rep.leave_date = today - timedelta(days=1)
    rep.save(update_fields=["leave_date"])
    response = client.post("/accounts/login/", login)
    assert response.status_code == 200
    assert "left the company" in response.content.decode()


def test_a_dismissal_filed_without_the_stage_or_a_reason_is_not_approved(org_tree):
    review = PersonnelReview.objects.create(  # filed before the policy: no stage, no reason
        person=org_tree.people["rep_east1a"],
        filed_by=org_tree.people["manager_east1"],
        stage="试用期",
        outcome="dismiss",
        effective_date=LEAVE,
        evidence={"training": {"assigned": 0, "completed": 0, "passed": 0}},
        approver=org_tree.people["head_east"],
    )
    with pytest.raises(ValidationError) as refused:
        personnel_review_approve(review=review, actor=org_tree.user("head_east"), today=TODAY)
    assert "file it again" in refused.value.message_dict["decision"][0]
    org_tree.people["rep_east1a"].refresh_from_db()
    assert org_tree.people["rep_east1a"].leave_date is None
    response = org_tree.client("head_east").post(
        f"/development/personnel/{review.pk}/decide/", {"decision": "approve"}, follow=True
    )
    assert "file it again" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING
