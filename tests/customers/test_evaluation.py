"""Customer evaluation (S19): each factor moves the score the right way, set-based runs,
downgrades open exactly one root-cause record, on-demand re-evaluation."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command

from salesorg.core.scoping import SYSTEM
from salesorg.customers.models import CustomerEvaluation, RootCause, ScoringModel
from salesorg.customers.scoring import CustomerFacts, customer_score
from salesorg.customers.selectors.credit import customer_facts
from salesorg.customers.services.credit import customer_reevaluate, customers_evaluate
from tests.factories import (
    CustomerFactory,
    InvoiceFactory,
    OrderFactory,
    OrderLineFactory,
    PaymentFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 6, 30)


def baseline() -> CustomerFacts:
    """A middling customer: some overdue, flat sales, 25 % margin, 2 visits, surveys of 3."""
    return CustomerFacts(
        open_receivables=Decimal("1000"),
        overdue_receivables=Decimal("300"),
        late_amount_days=Decimal("6000"),
        late_basis=Decimal("600"),
        sales_recent=Decimal("6000"),
        sales_previous=Decimal("6000"),
        cost_12m=Decimal("9000"),
        visits_90d=2,
        survey_total=6,
        survey_count=2,
    )


def score_of(**changes) -> Decimal:
    facts = baseline()
    for name, value in changes.items():
        setattr(facts, name, value)
    return customer_score(facts, ScoringModel()).score


@pytest.mark.parametrize(
    "better,worse",
    [
        ({"overdue_receivables": Decimal("100")}, {"overdue_receivables": Decimal("800")}),
        ({"late_amount_days": Decimal("600")}, {"late_amount_days": Decimal("30000")}),
        ({"sales_recent": Decimal("8000")}, {"sales_recent": Decimal("4000")}),
        ({"cost_12m": Decimal("8000")}, {"cost_12m": Decimal("11000")}),
        ({"visits_90d": 5}, {"visits_90d": 0}),
        ({"survey_total": 10}, {"survey_total": 2}),
    ],
    ids=["overdue_share", "days_late", "sales_trend", "margin", "visits", "satisfaction"],
)
def test_each_factor_moves_the_score_the_right_way(better, worse):
    # given a middling customer, when one factor alone gets better or worse
    # then the score goes up or down with it
    assert score_of(**worse) < score_of() < score_of(**better)


def test_score_rating_and_credit_limit_are_exact():
    facts = CustomerFacts(sales_recent=Decimal("6000.00"), sales_previous=Decimal("6000.01"))
    scored = customer_score(facts, ScoringModel())
    assert 0 <= scored.score <= 100
    months = {"AAA": 3, "AA": 2, "A": Decimal("1.5"), "B": 1, "C": 0}[scored.rating]
    expected = (Decimal("12000.01") / 12 * months).quantize(Decimal("0.01"))
    assert scored.suggested_credit_limit == expected
    assert set(scored.factors) == {
        "overdue_share",
        "days_late",
        "sales_trend",
        "margin",
        "visits",
        "satisfaction",
    }


def test_perfect_and_poor_customers_get_the_extreme_ratings():
    perfect = CustomerFacts(
        sales_recent=Decimal("9000"),
        sales_previous=Decimal("6000"),
        cost_12m=Decimal("9000"),
        visits_90d=8,
        survey_total=10,
        survey_count=2,
    )
    poor = CustomerFacts(
        open_receivables=Decimal("1000"),
        overdue_receivables=Decimal("1000"),
        late_amount_days=Decimal("120000"),
        late_basis=Decimal("1000"),
        sales_recent=Decimal("0"),
        sales_previous=Decimal("6000"),
        cost_12m=Decimal("6000"),
        survey_total=1,
        survey_count=1,
    )
    assert customer_score(perfect, ScoringModel()).rating == "AAA"
    assert customer_score(poor, ScoringModel()).rating == "C"


def test_facts_come_from_receivables_orders_visits(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    late = InvoiceFactory(
        customer=customer,
        invoice_date=date(2026, 3, 1),
        due_date=date(2026, 3, 31),
        amount=Decimal("300.00"),
    )
    PaymentFactory(invoice=late, payment_date=date(2026, 4, 10), amount=Decimal("100.00"))
    InvoiceFactory(
        customer=customer,
        invoice_date=date(2026, 6, 1),
        due_date=date(2026, 7, 1),
        amount=Decimal("500.00"),
    )
    order = OrderFactory(customer=customer, order_date=date(2026, 5, 1))
    OrderLineFactory(order=order, amount=Decimal("1000.00"), cost=Decimal("700.00"))
    old = OrderFactory(customer=customer, order_date=date(2025, 11, 1))
    OrderLineFactory(order=old, amount=Decimal("500.00"), cost=Decimal("400.00"))
    VisitFactory(customer=customer, visit_date=AS_OF - timedelta(days=10))
    VisitFactory(customer=customer, visit_date=AS_OF - timedelta(days=200))
    facts = customer_facts(user=SYSTEM, as_of=AS_OF)[customer.pk]
    assert facts.open_receivables == Decimal("700.00")
    assert facts.overdue_receivables == Decimal("200.00")
    # 100 paid 10 days late, 200 still open 91 days past due
    assert facts.late_amount_days == Decimal("100") * 10 + Decimal("200") * 91
    assert facts.late_basis == Decimal("300.00")
    assert (facts.sales_recent, facts.sales_previous) == (Decimal("1000.00"), Decimal("500.00"))
    assert facts.cost_12m == Decimal("1100.00")
    assert facts.visits_90d == 1


def _downgradable(org_tree):
    """A customer buying since mid-2025 who paid two invoices on time, then lets a large
    invoice run 100 days overdue."""
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    first = OrderFactory(customer=customer, order_date=date(2025, 6, 10))
    OrderLineFactory(order=first, amount=Decimal("5000.00"), cost=Decimal("3000.00"))
    for invoiced in (date(2025, 7, 1), date(2025, 10, 1)):
        paid = InvoiceFactory(
            customer=customer,
            invoice_date=invoiced,
            due_date=invoiced + timedelta(days=30),
            amount=Decimal("2500.00"),
        )
        PaymentFactory(invoice=paid, payment_date=invoiced + timedelta(days=20), amount=paid.amount)
    order = OrderFactory(customer=customer, order_date=date(2026, 1, 10))
    OrderLineFactory(order=order, amount=Decimal("5000.00"), cost=Decimal("3000.00"))
    InvoiceFactory(
        customer=customer,
        invoice_date=date(2026, 2, 1),
        due_date=date(2026, 3, 1),
        amount=Decimal("5000.00"),
    )
    return customer


def test_a_downgrade_opens_exactly_one_root_cause(org_tree):
    # given a customer evaluated before and after its invoice ran overdue
    customer = _downgradable(org_tree)
    customers_evaluate(as_of=date(2026, 2, 15))
    run = customers_evaluate(as_of=date(2026, 6, 15))
    later = CustomerEvaluation.objects.get(customer=customer, as_of=date(2026, 6, 15))
    # then the rating fell and one root cause is open for its owner and their manager
    assert later.is_downgrade and run.root_causes_opened == 1
    cause = RootCause.objects.get(customer=customer)
    assert cause.owner == customer.owner and cause.reviewer == org_tree.people["manager_east1"]
    assert (cause.from_rating, cause.to_rating) == (later.previous_rating, later.rating)
    # when the same evaluation runs again, and a later one keeps the rating
    again = customers_evaluate(as_of=date(2026, 6, 15))
    customers_evaluate(as_of=date(2026, 6, 16))
    # then no second root cause is opened
    assert again.root_causes_opened == 0
    assert RootCause.objects.filter(customer=customer).count() == 1
    assert CustomerEvaluation.objects.filter(customer=customer).count() == 3


def test_evaluate_customers_runs_in_a_fixed_number_of_queries(
    org_tree, django_assert_max_num_queries
):
    rep = org_tree.people["rep_east1a"]
    for customer in CustomerFactory.create_batch(40, owner=rep):
        OrderLineFactory(order=OrderFactory(customer=customer, order_date=date(2026, 5, 1)))
        InvoiceFactory(customer=customer, invoice_date=date(2026, 1, 1), due_date=date(2026, 1, 31))
        VisitFactory(customer=customer, visit_date=date(2026, 6, 1))
    customers_evaluate(as_of=date(2025, 12, 31))
    # the history rules, the owners of open root causes and their recovery add fixed queries
    with django_assert_max_num_queries(15):
        run = customers_evaluate(as_of=AS_OF)
    assert run.evaluated == 40 and run.root_causes_opened == run.downgrades


def test_command_evaluates_all_customers(org_tree, capsys):
    _downgradable(org_tree)
    CustomerFactory(owner=org_tree.people["rep_north1a"])
    call_command("evaluate_customers", "--as-of", "2026-06-15")
    assert CustomerEvaluation.objects.filter(as_of=date(2026, 6, 15)).count() == 2
    assert "2" in capsys.readouterr().out


def test_reevaluate_from_the_customer_page(org_tree):
    customer = _downgradable(org_tree)
    client = org_tree.client("manager_east1")
    response = client.post(f"/customers/{customer.pk}/evaluate/")
    assert response.status_code == 302
    assert CustomerEvaluation.objects.filter(customer=customer).count() == 1
    page = client.get(customer.get_absolute_url()).content.decode()
    assert "Re-evaluate" in page and "Rating history" in page
    # a rep may see the rating but not trigger an evaluation; others do not see the customer
    assert (
        org_tree.client("rep_east1a").post(f"/customers/{customer.pk}/evaluate/").status_code == 403
    )
    assert (
        org_tree.client("manager_north1").post(f"/customers/{customer.pk}/evaluate/").status_code
        == 404
    )


def test_reevaluate_service_updates_the_same_day(org_tree):
    customer = _downgradable(org_tree)
    user = org_tree.user("director")
    first = customer_reevaluate(customer=customer, actor=user, as_of=AS_OF)
    second = customer_reevaluate(customer=customer, actor=user, as_of=AS_OF)
    assert first.pk == second.pk


def test_scoring_settings_page_for_director_only(org_tree):
    client = org_tree.client("director")
    page = client.get("/customers/evaluations/settings/")
    assert page.status_code == 200
    data = {f.name: getattr(ScoringModel.current(), f.name) for f in ScoringModel._meta.fields}
    data = {k: v for k, v in data.items() if k not in ("id", "updated_at")}
    data["weight_visits"] = 30
    data |= {"unrated_months": 3, "new_customer_limit": "20000.00", "dormant_best_rating": "B"}
    assert client.post("/customers/evaluations/settings/", data).status_code == 302
    saved = ScoringModel.current()
    assert (saved.weight_visits, saved.unrated_months) == (30, 3)
    assert (saved.new_customer_limit, saved.dormant_best_rating) == (Decimal("20000.00"), "B")
    data["threshold_b"] = 95
    response = client.post("/customers/evaluations/settings/", data)
    assert response.status_code == 200 and "threshold" in response.content.decode()
    assert (
        org_tree.client("manager_east1").get("/customers/evaluations/settings/").status_code == 403
    )


def _hand_built(
    rep, *, overdue=False, late_days=0, recent="600.00", cost="450.00", visits=2, survey=3
):
    """A customer built from records: 600 sold in each half-year, an invoice, visits, a survey."""
    from salesorg.customers.models import SatisfactionSurvey

    customer = CustomerFactory(owner=rep)
    for day, amount in ((date(2026, 4, 1), recent), (date(2025, 10, 1), "600.00")):
        OrderLineFactory(
            order=OrderFactory(customer=customer, order_date=day),
            amount=Decimal(amount),
            cost=Decimal(cost) if day.year == 2026 else Decimal("450.00"),
        )
    invoice = InvoiceFactory(
        customer=customer,
        invoice_date=date(2026, 4, 1),
        due_date=date(2026, 5, 1),
        amount=Decimal("600.00"),
    )
    if not overdue:
        PaymentFactory(
            invoice=invoice,
            payment_date=date(2026, 5, 1) + timedelta(days=late_days),
            amount=Decimal("600.00"),
        )
    for number in range(visits):
        VisitFactory(customer=customer, visit_date=AS_OF - timedelta(days=5 + number))
    SatisfactionSurvey.objects.create(
        customer=customer, surveyed_on=date(2026, 6, 1), overall=survey
    )
    return customer


@pytest.mark.parametrize(
    "worse",
    [
        {"overdue": True},
        {"late_days": 40},
        {"recent": "300.00"},
        {"cost": "550.00"},
        {"visits": 0},
        {"survey": 1},
    ],
    ids=["overdue", "days_late", "sales_trend", "margin", "visits", "satisfaction"],
)
def test_records_of_one_worse_factor_lower_the_score(org_tree, worse):
    # given two customers whose records differ in one factor only
    rep = org_tree.people["rep_east1a"]
    base, other = _hand_built(rep), _hand_built(rep, **worse)
    # when all customers are evaluated
    customers_evaluate(as_of=AS_OF)
    # then the one with the worse factor scores lower
    scores = dict(CustomerEvaluation.objects.values_list("customer_id", "score"))
    assert scores[other.pk] < scores[base.pk]


def test_the_new_customer_limit_reads_grouped_and_may_be_typed_so(org_tree):
    """A money setting shows as a person reads money (50,000.00) and takes it back typed
    the same way, with or without separators."""
    client = org_tree.client("director")
    page = client.get("/customers/evaluations/settings/").content.decode()
    assert 'value="50,000.00"' in page
    data = {f.name: getattr(ScoringModel.current(), f.name) for f in ScoringModel._meta.fields}
    data = {k: v for k, v in data.items() if k not in ("id", "updated_at")}
    for typed, saved in (("¥60,000.50", "60000.50"), ("70000", "70000.00")):
        data["new_customer_limit"] = typed
        assert client.post("/customers/evaluations/settings/", data).status_code == 302
        assert ScoringModel.current().new_customer_limit == Decimal(saved)
    data["new_customer_limit"] = "6O,000"
    refused = client.post("/customers/evaluations/settings/", data)
    assert refused.status_code == 200 and 'value="6O,000"' in refused.content.decode()
