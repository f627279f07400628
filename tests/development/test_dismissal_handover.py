"""A leaver's handover (#17): what they hold is listed per kind and moved, all or none, to
successors in post that the manager confirms; history is kept and each successor gets an
action item. A daily check lists what leavers still hold and ends their logins and tokens."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation

from salesorg.api.models import ApiToken
from salesorg.core.reminders import reminders_for
from salesorg.customers.models import (
    Customer,
    CustomerEvaluation,
    DevelopmentProposal,
    PipelineItem,
    RootCause,
)
from salesorg.development.models import Handover
from salesorg.development.services.handover import handover_apply
from salesorg.targets.models import ActionItem
from salesorg.work.actions import action_item_create
from tests.factories import CustomerFactory

TODAY = date(2026, 12, 6)


def _holdings(org_tree, rep_key="rep_east1a"):
    """Two customers, an open and a won pipeline item, an open proposal, an open action
    item and an open root cause of the rep."""
    rep = org_tree.people[rep_key]
    customers = [CustomerFactory(owner=rep) for _ in range(2)]
    proposals = [
        DevelopmentProposal.objects.create(
            rep=rep,
            prospect_name=f"潜在客户{n}",
            market_analysis="m",
            competitor_analysis="c",
            planned_approach="p",
            expected_sales=Decimal("1000.00"),
            expected_margin=Decimal("200.00"),
            status=status,
        )
        for n, status in enumerate(["approved", "approved", "submitted"])
    ]
    PipelineItem.objects.create(proposal=proposals[0], rep=rep, name="开放商机")
    PipelineItem.objects.create(proposal=proposals[1], rep=rep, name="已赢商机", status="won")
    action_item_create(title="回访客户", owner=rep, due_date=TODAY + timedelta(days=3))
    evaluation = CustomerEvaluation.objects.create(
        customer=customers[0],
        as_of=date(2026, 6, 30),
        score="45.0",
        rating="B",
        previous_rating="AA",
        suggested_credit_limit="1000.00",
    )
    RootCause.objects.create(
        evaluation=evaluation,
        customer=customers[0],
        owner=rep,
        reviewer=org_tree.people["manager_east1"],
        from_rating="AA",
        to_rating="B",
    )
    rep.leave_date = TODAY + timedelta(days=20)
    rep.save(update_fields=["leave_date"])
    return rep


def test_the_handover_moves_every_kind_to_its_successor_and_tells_them(org_tree):
    rep = _holdings(org_tree)
    colleague, manager = org_tree.people["rep_east1b"], org_tree.people["manager_east1"]
    handover = handover_apply(
        person=rep,
        actor=org_tree.user("manager_east1"),
        successors={
            "customers": colleague,
            "pipeline": colleague,
            "proposals": colleague,
            "action_items": manager,
            "root_causes": colleague,
        },
        today=TODAY,
    )
    assert Customer.objects.filter(owner=colleague).count() == 2
    assert PipelineItem.objects.get(name="开放商机").rep == colleague
    assert PipelineItem.objects.get(name="已赢商机").rep == rep  # history stays with the rep
    assert DevelopmentProposal.objects.get(status="submitted").rep == colleague
    assert RootCause.objects.get().owner == colleague
    assert ActionItem.objects.get(title="回访客户").owner == manager
    customer = Customer.objects.filter(owner=colleague).first()
    last, before = customer.history.all()[:2]
    assert (last.owner_id, before.owner_id) == (colleague.pk, rep.pk)
    assert last.history_user == org_tree.user("manager_east1")
    assert handover.done_by == manager and handover.leave_date == rep.leave_date
    assert len(handover.moved["customers"]["ids"]) == 2
    received = ActionItem.objects.get(owner=colleague)
    assert received.source_id == handover.pk
    with translation.override("en"):
        assert received.display_title == f"Take over the records of {rep.name}"
        assert "2 customers, 1 open pipeline items" in received.display_detail
    with translation.override("zh-hans"):
        assert received.display_title == f"接手{rep.name}的工作"
    assert ActionItem.objects.filter(owner=manager, source_id=handover.pk).exists()


def test_the_handover_is_all_or_none(org_tree):
    rep = _holdings(org_tree)
    colleague = org_tree.people["rep_east1b"]
    outsider = org_tree.people["rep_north1a"]  # not in the manager's team
    with pytest.raises(ValidationError) as refused:
        handover_apply(
            person=rep,
            actor=org_tree.user("manager_east1"),
            successors={"customers": colleague, "pipeline": outsider},
            today=TODAY,
        )
    errors = refused.value.message_dict
    assert "pipeline" in errors and "proposals" in errors and "customers" not in errors
    assert Customer.objects.filter(owner=rep).count() == 2
    assert not Handover.objects.exists()


def test_a_leaver_or_the_leaver_themself_is_no_successor(org_tree):
    rep = _holdings(org_tree)
    everyone = dict.fromkeys(
        ["customers", "pipeline", "proposals", "action_items", "root_causes"],
        org_tree.people["rep_former"],
    )
    with pytest.raises(ValidationError):
        handover_apply(person=rep, actor=org_tree.user("director"), successors=everyone)
    everyone = dict.fromkeys(everyone, rep)
    with pytest.raises(ValidationError):
        handover_apply(person=rep, actor=org_tree.user("director"), successors=everyone)


def test_only_the_leavers_leaders_hand_over(org_tree):
    rep = _holdings(org_tree)
    everyone = dict.fromkeys(
        ["customers", "pipeline", "proposals", "action_items", "root_causes"],
        org_tree.people["rep_east1b"],
    )
    for someone in ("rep_east1a", "rep_east1b", "manager_north1", "finance"):
        with pytest.raises(PermissionDenied):
            handover_apply(person=rep, actor=org_tree.user(someone), successors=everyone)


def test_the_handover_page_assigns_all_to_one_successor(org_tree, django_assert_max_num_queries):
    rep = _holdings(org_tree)
    client = org_tree.client("manager_east1")
    url = f"/development/handover/{rep.pk}/"
    with django_assert_max_num_queries(40):
        page = client.get(url).content.decode()
    assert "开放商机" in page and "已赢商机" not in page
    assert "REP-north1a" not in page and "REP-former" not in page  # not in post in scope
    colleague = org_tree.people["rep_east1b"]
    response = client.post(url, {"all_to": colleague.pk})
    assert response.status_code == 302
    assert not Customer.objects.filter(owner=rep).exists()
    page = client.get(url).content.decode()
    assert "Nothing left to hand over" in page or "没有需要交接" in page
    assert org_tree.client("rep_east1b").get(url).status_code in (403, 404)


def test_the_handover_page_shows_a_missing_successor(org_tree):
    rep = _holdings(org_tree)
    response = org_tree.client("manager_east1").post(
        f"/development/handover/{rep.pk}/", {"customers": org_tree.people["rep_east1b"].pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["pipeline"]
    assert Customer.objects.filter(owner=rep).count() == 2


def test_the_leaver_check_lists_what_leavers_hold(org_tree, django_assert_max_num_queries):
    rep = _holdings(org_tree)
    client = org_tree.client("director")
    with django_assert_max_num_queries(12):
        page = client.get("/development/leavers/").content.decode()
    assert "REP-east1a" in page and f"/development/handover/{rep.pk}/" in page
    reminders = reminders_for(org_tree.user("manager_east1"), today=TODAY)
    assert [r.url for r in reminders if r.kind == "handover"] == [
        f"/development/handover/{rep.pk}/"
    ]
    assert "handover" not in [r.kind for r in reminders_for(org_tree.user("manager_north1"))]
    assert org_tree.client("rep_east1b").get("/development/leavers/").status_code == 403
    out = StringIO()
    call_command("leaver_check", "--date", TODAY.isoformat(), stdout=out, stderr=StringIO())
    assert "REP-east1a" in out.getvalue() and "customers 2" in out.getvalue()


def test_the_daily_check_ends_the_login_and_tokens_after_the_last_day(org_tree):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep)
    _token, raw = ApiToken.objects.issue(user=rep.user)
    api = Client(headers={"authorization": f"Bearer {raw}"})
    assert api.get(f"/api/v1/customers/{customer.pk}").status_code == 200
    today = timezone.localdate()
    rep.leave_date = today
    rep.save(update_fields=["leave_date"])
    call_command("leaver_check", "--date", today.isoformat(), stdout=StringIO(), stderr=StringIO())
    rep.user.refresh_from_db()
    assert rep.user.is_active  # the last day employed: still at work
    assert api.get(f"/api/v1/customers/{customer.pk}").status_code == 200
    rep.leave_date = today - timedelta(days=1)
    rep.save(update_fields=["leave_date"])
    # From the day after the last day the token is refused, before the daily run too ...
    assert api.get(f"/api/v1/customers/{customer.pk}").status_code == 401
    assert ApiToken.objects.filter(user=rep.user).exists()
    call_command("leaver_check", "--date", today.isoformat(), stdout=StringIO(), stderr=StringIO())
    rep.user.refresh_from_db()
    assert not rep.user.is_active
    assert not ApiToken.objects.filter(user=rep.user).exists()  # ... which revokes it
    assert api.get(f"/api/v1/customers/{customer.pk}").status_code == 401
    session = org_tree.client("rep_east1a")
    assert session.get("/").status_code == 302  # logged out


def test_the_handover_of_a_dismissal_closes_the_managers_item(org_tree):
    from salesorg.development.services.coaching import coaching_session_create
    from salesorg.development.services.personnel import (
        personnel_review_approve,
        personnel_review_file,
    )

    rep = org_tree.people["rep_east1a"]
    for day in (date(2026, 6, 1), date(2026, 9, 15)):
        coaching_session_create(
            person=rep,
            actor=org_tree.user("manager_east1"),
            session_date=day,
            improvement_plan="计划",
        )
    review = personnel_review_file(
        person=rep,
        actor=org_tree.user("manager_east1"),
        stage="辅导期",
        outcome="dismiss",
        effective_date=date(2026, 12, 31),
        today=TODAY,
    )
    personnel_review_approve(review=review, actor=org_tree.user("head_east"), today=TODAY)
    due = ActionItem.objects.get(owner=org_tree.people["manager_east1"])
    CustomerFactory(owner=rep)
    handover = handover_apply(
        person=rep,
        actor=org_tree.user("manager_east1"),
        successors={"customers": org_tree.people["rep_east1b"]},
        today=TODAY,
    )
    assert handover.review == review
    due.refresh_from_db()
    assert due.status == "done"


def test_a_leaver_holding_nothing_has_nothing_to_hand_over(org_tree):
    rep = org_tree.people["rep_east1a"]
    rep.leave_date = TODAY
    rep.save(update_fields=["leave_date"])
    with pytest.raises(ValidationError) as refused:
        handover_apply(
            person=rep,
            actor=org_tree.user("manager_east1"),
            successors={"customers": org_tree.people["rep_east1b"]},
            today=TODAY,
        )
    assert "person" in refused.value.message_dict
    assert not Handover.objects.exists()
