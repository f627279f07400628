"""Downgrades tracked to recovery (#17 point 4): the root cause goes to the customer's
current owner, its plan is action items with owners and dates, the next evaluation says
whether the rating recovered, and the record shows what changed since the previous rating."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from salesorg.core.reminders import reminders_for
from salesorg.customers.models import CustomerEvaluation, RootCause, RootCauseStatus
from salesorg.customers.services.customers import customer_save
from salesorg.customers.services.root_causes import (
    root_cause_action_add,
    root_cause_complete,
    root_cause_owner_follow,
    root_causes_recovery_record,
)
from salesorg.targets.models import ActionItem
from salesorg.work.actions import action_items_for_source
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
DOWNGRADED_ON = date(2026, 6, 30)
TODAY = date(2026, 7, 1)


def evaluation(customer, as_of, rating, previous="", factors=None) -> CustomerEvaluation:
    return CustomerEvaluation.objects.create(
        customer=customer,
        as_of=as_of,
        score="50.0",
        rating=rating,
        previous_rating=previous,
        suggested_credit_limit="1000.00",
        factors=factors or {},
    )


def downgrade(org_tree, rep_key="rep_east1a", reviewer_key="manager_east1") -> RootCause:
    """A customer of the rep downgraded from AA to B on 2026-06-30, its root cause open."""
    customer = CustomerFactory(owner=org_tree.people[rep_key])
    later = evaluation(customer, DOWNGRADED_ON, "B", "AA")
    return RootCause.objects.create(
        evaluation=later,
        customer=customer,
        owner=customer.owner,
        reviewer=org_tree.people[reviewer_key],
        from_rating="AA",
        to_rating="B",
    )


# --- the customer's current owner ---------------------------------------------------------------


def test_open_root_causes_follow_a_change_of_the_customers_owner(org_tree):
    # given an open downgrade of rep east1a with an open action item of theirs, and an
    # accepted one
    cause = downgrade(org_tree)
    rep = org_tree.user("rep_east1a")
    item = root_cause_action_add(
        cause=cause,
        actor=rep,
        title="每周跟进回款",
        owner=None,
        due_date=TODAY + timedelta(days=7),
        today=TODAY,
    )
    accepted = downgrade(org_tree)
    RootCause.objects.filter(pk=accepted.pk).update(
        status=RootCauseStatus.ACCEPTED, customer=cause.customer
    )
    # when the customer is given to rep north1a
    customer = cause.customer
    customer.owner = org_tree.people["rep_north1a"]
    customer_save(
        instance=customer, actor=org_tree.user("director"), expected_version=customer.version
    )
    # then the open cause and its open item follow, reviewed by the new owner's manager
    cause.refresh_from_db()
    item.refresh_from_db()
    assert cause.owner == org_tree.people["rep_north1a"]
    assert cause.reviewer == org_tree.people["manager_north1"]
    assert item.owner == org_tree.people["rep_north1a"]
    # and the accepted one keeps who completed it
    assert RootCause.objects.get(pk=accepted.pk).owner == org_tree.people["rep_east1a"]


def test_owner_follow_is_a_service_a_handover_can_call(org_tree):
    cause = downgrade(org_tree)
    moved = root_cause_owner_follow(
        customer=cause.customer, new_owner=org_tree.people["rep_east1b"]
    )
    assert moved == 1
    cause.refresh_from_db()
    assert cause.owner == org_tree.people["rep_east1b"]
    assert root_cause_owner_follow(customer=cause.customer, new_owner=cause.owner) == 0


# --- the action plan is action items -----------------------------------------------------------


def test_the_plan_is_action_items_with_owners_and_dates(org_tree):
    cause = downgrade(org_tree)
    rep, manager = org_tree.user("rep_east1a"), org_tree.user("manager_east1")
    # a submission without any action item is refused, naming the plan
    with pytest.raises(ValidationError) as error:
        root_cause_complete(
            cause=cause,
            actor=rep,
            cause_category="payment",
            explanation="两张发票逾期",
            action_plan="每周跟进",
        )
    assert "action_items" in error.value.message_dict
    # the rep adds one for themself, the manager one for the rep
    mine = root_cause_action_add(
        cause=cause,
        actor=rep,
        title="每周跟进回款计划",
        owner=None,
        due_date=date(2026, 7, 15),
        today=TODAY,
    )
    theirs = root_cause_action_add(
        cause=cause,
        actor=manager,
        title="联合拜访财务总监",
        owner=org_tree.people["rep_east1a"],
        due_date=date(2026, 7, 20),
        today=TODAY,
    )
    items = list(action_items_for_source(cause).order_by("due_date"))
    assert [(i.title, i.owner.code, i.due_date, i.customer_id) for i in items] == [
        ("每周跟进回款计划", "REP-east1a", date(2026, 7, 15), cause.customer_id),
        ("联合拜访财务总监", "REP-east1a", date(2026, 7, 20), cause.customer_id),
    ]
    assert {mine.pk, theirs.pk} == {i.pk for i in items}
    # then the cause can be submitted, the free text kept as context
    cause = root_cause_complete(
        cause=cause,
        actor=rep,
        cause_category="payment",
        explanation="两张发票逾期",
        action_plan="每周跟进",
    )
    assert cause.status == RootCauseStatus.SUBMITTED and cause.action_plan == "每周跟进"


def test_action_items_need_a_title_a_date_not_past_and_the_right_people(org_tree):
    cause = downgrade(org_tree)
    rep = org_tree.user("rep_east1a")
    with pytest.raises(ValidationError) as error:
        root_cause_action_add(
            cause=cause, actor=rep, title=" ", owner=None, due_date=date(2026, 6, 1), today=TODAY
        )
    assert set(error.value.message_dict) == {"title", "due_date"}
    with pytest.raises(ValidationError) as error:  # a rep gives no one else an item
        root_cause_action_add(
            cause=cause,
            actor=rep,
            title="x",
            owner=org_tree.people["rep_east1b"],
            due_date=TODAY,
            today=TODAY,
        )
    assert "owner" in error.value.message_dict
    with pytest.raises(PermissionDenied):  # another team's rep
        root_cause_action_add(
            cause=cause,
            actor=org_tree.user("rep_north1a"),
            title="x",
            owner=None,
            due_date=TODAY,
            today=TODAY,
        )
    assert not ActionItem.objects.exists()


def test_the_page_adds_action_items_and_lists_them(org_tree):
    cause = downgrade(org_tree)
    rep = org_tree.client("rep_east1a")
    url = f"/customers/downgrades/{cause.pk}/actions/"
    response = rep.post(url, {"title": "", "due_date": ""})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    due = (date.today() + timedelta(days=10)).isoformat()
    response = rep.post(url, {"title": "每周跟进回款计划", "due_date": due})
    assert response.status_code == 302
    page = rep.get(cause.get_absolute_url()).content.decode()
    assert "每周跟进回款计划" in page and due in page
    assert org_tree.client("rep_north1a").post(url, {"title": "x"}).status_code == 404


# --- recovery at the next evaluation ------------------------------------------------------------


@pytest.mark.parametrize(
    "next_rating,recovered", [("AA", True), ("AAA", True), ("A", False), ("B", False)]
)
def test_the_next_evaluation_records_whether_the_rating_recovered(org_tree, next_rating, recovered):
    cause = downgrade(org_tree)
    later = evaluation(cause.customer, date(2026, 9, 30), next_rating, "B")
    assert root_causes_recovery_record([later]) == 1
    cause.refresh_from_db()
    assert (cause.recovered, cause.recovery_evaluation) == (recovered, later)


def test_only_the_first_evaluation_after_the_downgrade_counts(org_tree):
    cause = downgrade(org_tree)
    september = evaluation(cause.customer, date(2026, 9, 30), "A", "B")
    root_causes_recovery_record([september])
    december = evaluation(cause.customer, date(2026, 12, 31), "AA", "A")
    assert root_causes_recovery_record([december]) == 0
    # an evaluation back-filled between them becomes the next one
    august = evaluation(cause.customer, date(2026, 8, 31), "AA", "B")
    root_causes_recovery_record([august])
    # and one on the downgrade's own date or before is none
    root_causes_recovery_record([evaluation(cause.customer, date(2026, 5, 31), "AAA")])
    cause.refresh_from_db()
    assert (cause.recovery_evaluation, cause.recovered) == (august, True)


def test_the_record_says_recovered_or_not_with_date_and_rating(org_tree):
    cause = downgrade(org_tree)
    client = org_tree.client("rep_east1a")
    assert "Not recovered" not in client.get(cause.get_absolute_url()).content.decode()
    root_causes_recovery_record([evaluation(cause.customer, date(2026, 9, 30), "A", "B")])
    page = client.get(cause.get_absolute_url()).content.decode()
    assert "Not recovered" in page and "2026-09-30" in page


# --- what changed since the previous rating -----------------------------------------------------


def _factors(overdue, days, visits, satisfaction):
    return {
        "overdue_share": {"value": overdue, "fraction": "0", "weight": 25, "points": "10.0"},
        "days_late": {"value": days, "fraction": "0", "weight": 15, "points": "5.0"},
        "visits": {"value": visits, "fraction": "0", "weight": 10, "points": "3.3"},
        "satisfaction": {"value": satisfaction, "fraction": "0.5", "weight": 15, "points": "7.5"},
    }


def test_the_record_shows_each_factors_change_since_the_previous_rating(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    evaluation(customer, date(2026, 3, 31), "AA", factors=_factors("0.1000", "5", "4", None))
    later = evaluation(
        customer, DOWNGRADED_ON, "B", "AA", factors=_factors("0.4250", "17.5", "1", "3.5000")
    )
    cause = RootCause.objects.create(
        evaluation=later,
        customer=customer,
        owner=customer.owner,
        from_rating="AA",
        to_rating="B",
    )
    client = org_tree.client("rep_east1a")
    page = client.get(cause.get_absolute_url()).content.decode()
    # overdue share 10.00% → 42.50%: +32.50 pp; days late 5.00 → 17.50: +12.50; visits 4 → 1: −3
    assert "10.00%" in page and "42.50%" in page and "+32.50 pp" in page
    assert "+12.50" in page and "\u22123" in page
    assert "2026-03-31" in page  # the previous rating it is compared with
    evaluation_page = client.get(later.get_absolute_url()).content.decode()
    assert "+32.50 pp" in evaluation_page


def test_the_factor_changes_of_a_first_evaluation_have_nothing_to_compare(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    first = evaluation(customer, DOWNGRADED_ON, "A", factors=_factors("0.1000", "5", "4", None))
    page = org_tree.client("rep_east1a").get(first.get_absolute_url()).content.decode()
    assert "No earlier rating to compare with" in page
    assert "10.00%" in page


def test_a_downgrade_that_did_not_recover_reminds_owner_and_reviewer_for_a_month(org_tree):
    cause = downgrade(org_tree)
    september = evaluation(cause.customer, date(2026, 9, 30), "A", "B")
    root_causes_recovery_record([september])

    def kinds(key, today):
        return {r.kind for r in reminders_for(org_tree.user(key), today=today)}

    for key in ("rep_east1a", "manager_east1"):
        assert "root_cause_not_recovered" in kinds(key, date(2026, 10, 15))
        assert "root_cause_not_recovered" not in kinds(key, date(2026, 11, 1))
    assert "root_cause_not_recovered" not in kinds("manager_north1", date(2026, 10, 15))
    reminder = next(
        r
        for r in reminders_for(org_tree.user("rep_east1a"), today=date(2026, 10, 15))
        if r.kind == "root_cause_not_recovered"
    )
    assert reminder.url == cause.get_absolute_url() and "2026-09-30" in reminder.text


def test_the_root_cause_page_reads_its_plan_in_a_fixed_number_of_queries(
    org_tree, django_assert_max_num_queries
):
    cause = downgrade(org_tree)
    rep = org_tree.user("rep_east1a")
    client = org_tree.client("rep_east1a")

    def add(count):
        for number in range(count):
            root_cause_action_add(
                cause=cause,
                actor=rep,
                title=f"行动{number}",
                owner=None,
                due_date=TODAY + timedelta(days=number),
                today=TODAY,
            )

    add(1)
    client.get(cause.get_absolute_url())
    with django_assert_max_num_queries(40) as few:
        client.get(cause.get_absolute_url())
    add(15)
    with django_assert_max_num_queries(len(few)):
        assert "行动14" in client.get(cause.get_absolute_url()).content.decode()
