"""Targeted training: rules fire from the indicator engine's values (and rubric averages),
propose assignments the manager accepts or dismisses, and never re-propose a dismissal."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from salesorg.core.scoping import SYSTEM
from salesorg.development.models import (
    Assignment,
    Material,
    ProposalStatus,
    TrainingProposal,
    TrainingRule,
)
from salesorg.development.selectors.targeted import rules_fire
from salesorg.development.services.joint_visits import joint_visit_review_create
from salesorg.development.services.targeted import (
    proposal_accept,
    proposal_dismiss,
    proposals_evaluate,
)
from salesorg.performance.kpi.indicators import indicator_table
from salesorg.performance.kpi.periods import Period
from tests.factories import CustomerFactory, InvoiceFactory, PaymentFactory, VisitFactory

FEBRUARY = (date(2026, 2, 1), date(2026, 2, 28))


@pytest.fixture
def collections_rule(db):
    material = Material.objects.create(code="MAT-COL", title="Collections", topic="collections")
    return TrainingRule.objects.create(
        name="Collection rate below 80%",
        indicator="collection_rate",
        comparison="lt",
        threshold=Decimal("80"),
        material=material,
    )


@pytest.fixture
def receivables(org_tree):
    """Both reps of east1 invoiced 100 in January; in February a paid 40 and b paid 100."""
    for key, paid in (("rep_east1a", "40"), ("rep_east1b", "100")):
        rep = org_tree.people[key]
        invoice = InvoiceFactory(customer=CustomerFactory(owner=rep), amount=Decimal("100"))
        PaymentFactory(invoice=invoice, amount=Decimal(paid), payment_date=date(2026, 2, 10))


def test_a_rule_fires_from_the_collection_rate_the_engine_computes(
    org_tree, collections_rule, receivables
):
    table = indicator_table(user=SYSTEM, start=FEBRUARY[0], end=FEBRUARY[1], level="person")
    engine = {row.code: row.collection_rate for row in table.rows}
    assert engine["REP-east1a"] == Decimal("0.4") and engine["REP-east1b"] == Decimal("1")
    people = [org_tree.people["rep_east1a"], org_tree.people["rep_east1b"]]
    firings = rules_fire(
        user=SYSTEM, people=people, period=Period(start=FEBRUARY[0], end=FEBRUARY[1])
    )
    assert [(f.person_id, f.value) for f in firings] == [
        (org_tree.people["rep_east1a"].pk, engine["REP-east1a"] * 100)
    ]


def test_a_visits_per_workday_rule_fires_below_the_standard(org_tree):
    material = Material.objects.create(
        code="MAT-TER", title="Territory", topic="territory_planning"
    )
    TrainingRule.objects.create(
        name="Visits per workday below 2",
        indicator="visits_per_workday",
        comparison="lt",
        threshold=Decimal("2"),
        material=material,
    )
    rep = org_tree.people["rep_east1a"]
    VisitFactory(customer=CustomerFactory(owner=rep), rep=rep, visit_date=date(2026, 2, 3))
    firings = rules_fire(
        user=SYSTEM, people=[rep], period=Period(start=FEBRUARY[0], end=FEBRUARY[1])
    )
    assert len(firings) == 1 and firings[0].value < 2


def test_a_rubric_rule_fires_from_average_closing_scores(org_tree):
    material = Material.objects.create(code="MAT-CLO", title="Closing", topic="selling_skills")
    TrainingRule.objects.create(
        name="Closing below 3",
        source="rubric",
        criterion_code="closing",
        comparison="lt",
        threshold=Decimal("3"),
        material=material,
    )
    rep = org_tree.people["rep_east1a"]
    for day, closing in ((5, 2), (12, 3)):
        visit = VisitFactory(
            customer=CustomerFactory(owner=rep),
            rep=rep,
            kind="joint",
            coach=org_tree.people["manager_east1"],
            visit_date=date(2026, 2, day),
        )
        scores = {c: 4 for c in ("preparation", "opening", "needs_discovery", "presentation")}
        scores |= {"objection_handling": 4, "closing": closing, "follow_up": 4}
        joint_visit_review_create(
            visit=visit, actor=org_tree.user("manager_east1"), scores=scores, improvements="x"
        )
    firings = rules_fire(
        user=SYSTEM, people=[rep], period=Period(start=FEBRUARY[0], end=FEBRUARY[1])
    )
    assert [f.value for f in firings] == [Decimal("2.5")]


def test_the_manager_gets_proposals_for_the_team_and_accepts_one(
    org_tree, collections_rule, receivables
):
    manager = org_tree.user("manager_east1")
    proposals = proposals_evaluate(user=manager, start=FEBRUARY[0], end=FEBRUARY[1])
    assert [p.person for p in proposals] == [org_tree.people["rep_east1a"]]
    accepted = proposal_accept(proposal=proposals[0], actor=manager, due_date=date(2026, 3, 15))
    assert accepted.status == ProposalStatus.ACCEPTED
    assignment = Assignment.objects.get(person=org_tree.people["rep_east1a"])
    assert assignment.material == collections_rule.material
    assert accepted.assignment == assignment
    assert "Collection rate" in assignment.reason


def test_a_dismissed_proposal_is_not_proposed_again_for_the_same_period(
    org_tree, collections_rule, receivables
):
    manager = org_tree.user("manager_east1")
    [proposal] = proposals_evaluate(user=manager, start=FEBRUARY[0], end=FEBRUARY[1])
    proposal_dismiss(proposal=proposal, actor=manager)
    assert proposals_evaluate(user=manager, start=FEBRUARY[0], end=FEBRUARY[1]) == []
    assert TrainingProposal.objects.count() == 1
    again = proposals_evaluate(user=manager, start=date(2026, 2, 1), end=date(2026, 2, 27))
    assert len(again) == 1  # another period is judged afresh


def test_a_rep_may_not_decide_on_their_own_proposal(org_tree, collections_rule, receivables):
    [proposal] = proposals_evaluate(
        user=org_tree.user("manager_east1"), start=FEBRUARY[0], end=FEBRUARY[1]
    )
    with pytest.raises(ValidationError) as error:
        proposal_accept(proposal=proposal, actor=org_tree.user("rep_east1a"))
    assert "proposal_id" in error.value.message_dict
    with pytest.raises(ValidationError):
        proposals_evaluate(user=org_tree.user("rep_east1a"), start=FEBRUARY[0], end=FEBRUARY[1])


def test_evaluation_runs_a_bounded_number_of_queries(
    org_tree, collections_rule, receivables, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40):
        proposals_evaluate(user=org_tree.user("head_east"), start=FEBRUARY[0], end=FEBRUARY[1])


def test_the_page_evaluates_accepts_and_dismisses(
    org_tree, collections_rule, receivables, django_assert_max_num_queries
):
    client = org_tree.client("manager_east1")
    response = client.post("/development/targeted/", {"start": "2026-02-01", "end": "2026-02-28"})
    assert response.status_code == 302
    proposal = TrainingProposal.objects.get()
    with django_assert_max_num_queries(25):
        page = client.get("/development/targeted/").content.decode()
    assert "Collection rate below 80%" in page
    client.post(
        f"/development/targeted/proposals/{proposal.pk}/decide/",
        {"decision": "accept", "due_date": "2026-03-20"},
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert (
        org_tree.client("rep_east1b")
        .post(f"/development/targeted/proposals/{proposal.pk}/decide/", {"decision": "dismiss"})
        .status_code
        == 404
    )


def test_the_director_configures_a_rule_and_a_manager_may_not(org_tree, collections_rule):
    data = {
        "name": "Closing below 3",
        "source": "rubric",
        "criterion_code": "closing",
        "comparison": "lt",
        "threshold": "3",
        "material": collections_rule.material_id,
        "active": "on",
    }
    assert (
        org_tree.client("manager_east1").get("/development/targeted/rules/new/").status_code == 403
    )
    page = org_tree.client("director").post("/development/targeted/rules/new/", data | {"name": ""})
    assert page.status_code == 200 and "This field is required." in page.content.decode()
    response = org_tree.client("director").post("/development/targeted/rules/new/", data)
    assert response.status_code == 302
    rule = TrainingRule.objects.get(name="Closing below 3")
    assert rule.criterion_code == "closing" and rule.indicator == ""
