"""The demo's sales records: deterministic, consistent with the calendar and the org, realistic."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q, Sum

from salesorg.core.models import CalendarDay
from salesorg.core.roles import Role
from salesorg.core.scoping import SYSTEM
from salesorg.customers.models import Contact, Customer
from salesorg.org.models import Membership, Person
from salesorg.sales.choices import OrderStatus, VisitKind
from salesorg.sales.models import (
    Category,
    Expense,
    Invoice,
    Order,
    OrderLine,
    Payment,
    Product,
    Visit,
)
from salesorg.sales.selectors.check_ins import rep_check_ins
from salesorg.targets.choices import Metric, OwnerType
from salesorg.targets.models import Target
from tests.demo.conftest import RECORD_MODELS, TODAY, fingerprint

pytestmark = pytest.mark.django_db

# Record kinds that demo steps after the sales records add to (the care demo's decision
# chain brings a new decision maker): the full command has at least the first run's.
ADDED_LATER = ("contacts",)


def test_same_seed_and_day_give_the_same_records(demo):
    reference = demo.reference["records"]
    first = dict(reference)
    second = fingerprint()
    first["counts"], second["counts"] = dict(first["counts"]), dict(second["counts"])
    for key in ADDED_LATER:
        assert second["counts"].pop(key) >= first["counts"].pop(key)
    assert first == second
    assert {key: demo.reference_counts[key] for key in RECORD_MODELS} == demo.reference["records"][
        "counts"
    ]
    assert demo.reference["records"]["order_line_amount"] > 0


def test_command_prints_the_counts_and_loads_only_once(demo):
    counts = fingerprint()["counts"]
    for key in ("orders", "order_lines", "invoices", "payments", "visits", "targets"):
        assert f"{counts[key]} {key}" in demo.output
    again = StringIO()
    call_command("demo", "--today", TODAY.isoformat(), stdout=again)
    assert "already loaded" in again.getvalue()
    assert Order.objects.count() == counts["orders"]


def test_volumes_fit_twenty_reps_over_two_years(demo):
    counts = fingerprint()["counts"]
    assert 5 <= counts["categories"] <= 7
    assert 30 <= counts["products"] <= 40
    assert 20 * 20 <= counts["customers"] <= 20 * 30
    assert counts["contacts"] >= counts["customers"]
    assert 3000 <= counts["orders"] <= 8000
    assert counts["visits"] > 15000
    assert Category.objects.filter(focus=True).count() in (1, 2)


def test_money_is_consistent_to_the_cent(demo):
    totals = defaultdict(Decimal)
    for order_id, amount in OrderLine.objects.values_list("order_id", "amount"):
        totals[order_id] += amount
    assert not Invoice.objects.filter(order__isnull=True).exists()
    assert not Invoice.objects.exclude(order__status=OrderStatus.CONFIRMED).exists()
    for order_id, amount in Invoice.objects.values_list("order_id", "amount"):
        assert amount == totals[order_id]
    assert not Invoice.objects.filter(due_date__lt=F("invoice_date") + timedelta(30)).exists()
    assert not OrderLine.objects.filter(cost__gte=F("amount")).exists()
    margins = Product.objects.values_list("list_price", "standard_cost")
    for price, cost in margins:
        assert Decimal("0.20") <= (price - cost) / price <= Decimal("0.45")


def test_payments_never_precede_or_exceed_their_invoice(demo):
    assert not Payment.objects.filter(payment_date__lt=F("invoice__invoice_date")).exists()
    assert not Payment.objects.filter(payment_date__gt=TODAY).exists()
    paid = defaultdict(Decimal)
    for invoice_id, amount in Payment.objects.values_list("invoice_id", "amount"):
        paid[invoice_id] += amount
    amounts = dict(Invoice.objects.values_list("id", "amount"))
    assert all(paid.get(invoice_id, 0) <= amount for invoice_id, amount in amounts.items())
    # Some paid late, some partly, some not at all; the last week is not paid yet.
    assert Payment.objects.filter(payment_date__gt=F("invoice__due_date")).exists()
    assert any(0 < paid.get(invoice_id, 0) < amount for invoice_id, amount in amounts.items())
    assert any(invoice_id not in paid for invoice_id in amounts)
    assert not Payment.objects.filter(invoice__invoice_date__gt=TODAY - timedelta(days=7)).exists()


def test_visits_only_on_working_days(demo):
    holidays = set(CalendarDay.objects.filter(is_workday=False).values_list("date", flat=True))
    makeup = set(CalendarDay.objects.filter(is_workday=True).values_list("date", flat=True))
    visit_days = set(Visit.objects.values_list("visit_date", flat=True).distinct())
    assert not visit_days & holidays
    weekend_days = {day for day in visit_days if day.weekday() >= 5}
    assert weekend_days and weekend_days <= makeup
    assert max(visit_days) <= TODAY


def test_joint_visits_have_the_reps_team_manager_as_coach(demo):
    memberships = defaultdict(list)
    for membership in Membership.objects.select_related("team"):
        memberships[membership.person_id].append(membership)
    joint = Visit.objects.filter(kind=VisitKind.JOINT)
    assert joint.exists()
    assert not Visit.objects.filter(kind=VisitKind.JOINT, coach__isnull=True).exists()
    assert not Visit.objects.exclude(kind=VisitKind.JOINT).filter(coach__isnull=False).exists()
    for rep_id, coach_id, day in joint.values_list("rep_id", "coach_id", "visit_date"):
        team = next(
            m.team
            for m in memberships[rep_id]
            if m.start_date <= day and (m.end_date is None or day <= m.end_date)
        )
        assert coach_id == team.manager_id
    kinds = dict(Visit.objects.values_list("kind").annotate(n=Count("id")))
    total = sum(kinds.values())
    assert 0.03 < kinds[VisitKind.JOINT] / total < 0.08
    assert 0.05 < kinds[VisitKind.SERVICE] / total < 0.15


def test_reps_sell_visit_and_spend_only_while_employed(demo):
    outside = Q(rep__hire_date__gt=F("fact_date")) | Q(rep__leave_date__lt=F("fact_date"))
    for model, date_field in (
        (Order, "order_date"),
        (Invoice, "invoice_date"),
        (Visit, "visit_date"),
        (Expense, "expense_date"),
    ):
        records = model.objects.annotate(fact_date=F(date_field))
        assert not records.filter(outside).exists(), model.__name__
        assert not records.exclude(rep__role=Role.REP).exists(), model.__name__
    leavers = Person.objects.filter(role=Role.REP, leave_date__isnull=False)
    assert leavers.exists()
    for leaver in leavers:
        assert Order.objects.filter(rep=leaver).exists()
    # Some of a leaver's customers stay with them, others passed to a teammate.
    assert Customer.objects.filter(owner__in=leavers).exists()
    handed_over = Customer.objects.filter(orders__rep__in=leavers).exclude(owner__in=leavers)
    assert handed_over.exists()


def test_customers_include_new_ones_and_prospects(demo):
    start = date(TODAY.year - 1, 1, 1)
    assert Customer.objects.filter(created_date__lt=TODAY - timedelta(days=2 * 365)).exists()
    assert not Order.objects.filter(order_date__lt=F("customer__created_date")).exists()
    prospects = Customer.objects.filter(
        orders__isnull=True, created_date__gt=TODAY - timedelta(120)
    )
    assert prospects.exists()
    new = Customer.objects.filter(created_date__gte=start, orders__isnull=False).distinct()
    assert new.exists()
    assert Customer.objects.filter(industry="").exists()
    assert Customer.objects.exclude(industry="").values("industry").distinct().count() >= 8
    owner_regions = defaultdict(set)
    for person_id, region_id in Membership.objects.values_list("person_id", "team__region_id"):
        owner_regions[person_id].add(region_id)
    for owner_id, region_id in Customer.objects.values_list("owner_id", "region_id"):
        assert region_id in owner_regions[owner_id]


def test_orders_follow_the_seasons(demo):
    def sales(year: int, month: int) -> Decimal:
        return OrderLine.objects.filter(
            order__status=OrderStatus.CONFIRMED,
            order__order_date__year=year,
            order__order_date__month=month,
        ).aggregate(total=Sum("amount"))["total"]

    last_year = TODAY.year - 1
    assert sales(last_year, 2) < sales(last_year, 3) < sales(last_year, 12)
    cancelled = Order.objects.filter(status=OrderStatus.CANCELLED).count()
    assert 0.01 < cancelled / Order.objects.count() < 0.06


def test_targets_are_complete_and_ideal_not_below_realistic(demo):
    assert not Target.objects.filter(ideal__lt=F("realistic")).exists()
    assert Target.objects.filter(ideal__gt=F("realistic"), metric=Metric.SALES).exists()
    # The onboarding demo's new hires (hired in the last weeks) get targets with the next plan.
    reps = Person.objects.filter(role=Role.REP, hire_date__lt=TODAY - timedelta(days=60))
    for rep in reps:
        months = Target.objects.filter(person=rep, metric=Metric.SALES).count()
        expected = sum(
            1
            for year in (TODAY.year - 1, TODAY.year)
            for month in range(1, 13)
            if (rep.leave_date is None or date(year, month, 1) <= rep.leave_date)
        )
        assert months == expected, rep.code
    per_metric = Target.objects.filter(owner_type=OwnerType.PERSON).values("metric")
    assert {row["metric"] for row in per_metric} == set(Metric.values)
    # Achievement lies on both sides of 100% across reps last year.
    achievement = []
    for rep in reps.filter(leave_date__isnull=True):
        sold = OrderLine.objects.filter(
            order__rep=rep,
            order__status=OrderStatus.CONFIRMED,
            order__order_date__year=TODAY.year - 1,
        ).aggregate(total=Sum("amount"))["total"]
        target = Target.objects.filter(
            person=rep, year=TODAY.year - 1, metric=Metric.SALES
        ).aggregate(total=Sum("realistic"))["total"]
        achievement.append(sold / target)
    assert min(achievement) < 1 < max(achievement)
    assert all(Decimal("0.6") < rate < Decimal("1.6") for rate in achievement)


def test_every_team_and_the_company_have_targets_this_year_that_add_up(demo):
    team_rows = Target.objects.filter(owner_type=OwnerType.TEAM, year=TODAY.year)
    assert team_rows.values("team").distinct().count() == 4
    assert team_rows.filter(metric=Metric.SALES).count() == 4 * 12
    row = team_rows.filter(metric=Metric.SALES, month=3).first()
    members = Membership.objects.filter(
        team=row.team, start_date__lte=date(TODAY.year, 3, 1)
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=date(TODAY.year, 3, 1)))
    members_sum = Target.objects.filter(
        person__in=members.values("person"), year=TODAY.year, month=3, metric=Metric.SALES
    ).aggregate(total=Sum("realistic"))["total"]
    assert row.realistic == members_sum
    company = Target.objects.filter(owner_type=OwnerType.COMPANY, year=TODAY.year)
    assert company.filter(metric=Metric.SALES).count() == 12


def test_the_demo_rollups_agree_with_its_records(demo):
    # The demo bulk-creates its records: the engine's rollups must still see all of them.
    for year in (TODAY.year - 1, TODAY.year):
        call_command("rollups", "check", "--year", str(year), verbosity=0)


def test_the_demo_codes_its_records_in_the_style_the_pages_use(demo):
    """Visits, orders, invoices … of the demo and of a page have one code style per kind."""
    from salesorg.core.record_codes import RECORD_CODE_PATTERN, record_code_prefix
    from salesorg.sales.services import visit_save

    dated = {
        Customer: "created_date",
        Order: "order_date",
        Invoice: "invoice_date",
        Payment: "payment_date",
        Visit: "visit_date",
        Expense: "expense_date",
        Contact: None,
    }
    for model, date_field in dated.items():
        fields = ("code", date_field) if date_field else ("code",)
        rows = list(model.objects.values_list(*fields))
        assert rows, model
        for row in rows:
            match = RECORD_CODE_PATTERN.match(row[0])
            assert match and match.group("prefix") == record_code_prefix(model), row
            if date_field:
                assert match.group("day") == row[1].strftime("%Y%m%d"), row
    customer = (
        Customer.objects.filter(owner__role=Role.REP, owner__user__isnull=False)
        .select_related("owner__user")
        .order_by("code")
        .first()
    )
    rep = customer.owner
    logged = Visit(
        rep=rep,
        customer=customer,
        visit_date=TODAY,
        kind=VisitKind.VISIT,
    )
    visit_save(visit=logged, actor=rep.user)
    demo_visit = Visit.objects.exclude(pk=logged.pk).order_by("code").first()
    assert RECORD_CODE_PATTERN.match(logged.code).group("prefix") == "VIS"
    assert RECORD_CODE_PATTERN.match(demo_visit.code).group("prefix") == "VIS"
    assert len(logged.code) == len(demo_visit.code)


def test_recent_visits_have_check_ins_mostly_near_their_customers(demo):
    checked = Visit.objects.filter(checkin_at__isnull=False)
    assert checked.count() > 100
    assert not checked.filter(visit_date__lt=TODAY - timedelta(days=92)).exists()
    assert Customer.objects.filter(latitude__isnull=False).exists()
    assert Customer.objects.filter(latitude__isnull=True).exists()  # some are not located yet
    rows = rep_check_ins(
        user=SYSTEM, start=TODAY - timedelta(days=92), end=TODAY, rep_ids=None
    ).values()
    coverage = sorted(row.checked_in / row.visits for row in rows if row.visits)
    assert coverage[0] < 0.5 < coverage[-1]  # reps differ: the dashboard has outliers
    far = sum(row.far for row in rows)
    assert 0 < far < 0.15 * sum(row.checked_in for row in rows)
