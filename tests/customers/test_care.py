"""Customer care rules: receivables ageing, lifecycle, reward budget, stakeholder follow-ups,
satisfaction surveys."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from salesorg.customers.lifecycle import Thresholds, add_months
from salesorg.customers.models import CareSettings, Customer, Reward, SatisfactionSurvey
from salesorg.customers.selectors.care import reward_budget
from salesorg.customers.selectors.customers import receivables_ageing
from salesorg.customers.services.care import reward_save, survey_save, visit_survey_record
from salesorg.customers.services.customers import (
    contact_leave,
    contact_save,
    customers_lifecycle_recompute,
)
from salesorg.sales.models import Invoice
from salesorg.targets.choices import ActionOrigin
from salesorg.targets.models import ActionItem
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    InvoiceFactory,
    OrderFactory,
    OrderLineFactory,
    PaymentFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 6, 30)


# --- receivables ageing -------------------------------------------------------------------------


def test_ageing_puts_each_edge_day_in_its_bucket():
    # given invoices of 1.00 … falling due on each bucket's edge days
    customer = CustomerFactory()
    cases = {0: "1.00", 1: "2.00", 30: "4.00", 31: "8.00", 60: "16.00", 61: "32.00"}
    cases |= {90: "64.00", 91: "128.00"}
    for days_overdue, amount in cases.items():
        InvoiceFactory(
            customer=customer,
            invoice_date=date(2026, 1, 1),
            due_date=AS_OF - timedelta(days=days_overdue),
            amount=Decimal(amount),
        )
    # when aged on AS_OF
    ageing = receivables_ageing(invoices=Invoice.objects.all(), as_of=AS_OF)
    # then due today is current; 1 and 30 days 1–30; 31 and 60 31–60; 61 and 90 61–90; 91 >90
    assert ageing.current == Decimal("1.00")
    assert ageing.d1_30 == Decimal("6.00")
    assert ageing.d31_60 == Decimal("24.00")
    assert ageing.d61_90 == Decimal("96.00")
    assert ageing.over_90 == Decimal("128.00")
    assert ageing.total == Decimal("255.00")


def test_ageing_counts_payments_and_invoices_up_to_the_date_only():
    customer = CustomerFactory()
    invoice = InvoiceFactory(
        customer=customer,
        invoice_date=date(2026, 3, 1),
        due_date=date(2026, 3, 31),
        amount=Decimal("100.10"),
    )
    PaymentFactory(invoice=invoice, payment_date=date(2026, 4, 1), amount=Decimal("30.05"))
    PaymentFactory(invoice=invoice, payment_date=date(2026, 7, 1), amount=Decimal("70.05"))
    paid = InvoiceFactory(customer=customer, invoice_date=date(2026, 3, 1), amount=Decimal("5"))
    PaymentFactory(invoice=paid, payment_date=date(2026, 3, 2), amount=Decimal("5"))
    InvoiceFactory(customer=customer, invoice_date=date(2026, 7, 1), due_date=date(2026, 7, 2))
    ageing = receivables_ageing(invoices=Invoice.objects.all(), as_of=AS_OF)
    assert ageing.over_90 == Decimal("70.05")  # due 3-31 is 91 days before 6-30
    assert ageing.total == Decimal("70.05")


# --- lifecycle ----------------------------------------------------------------------------------


def _customer_with_orders(*dates, status="confirmed"):
    customer = CustomerFactory(created_date=date(2020, 1, 1))
    for day in dates:
        OrderFactory(customer=customer, order_date=day, status=status)
    return customer


def _stage(customer, as_of):
    customers_lifecycle_recompute(as_of=as_of, thresholds=Thresholds(12, 90, 365))
    customer.refresh_from_db()
    return customer.lifecycle_stage, customer.lifecycle_since


def test_the_lifecycle_recompute_writes_each_new_stage_and_date_once_without_case():
    """Customers that reach the same stage on the same day are written by one plain UPDATE:
    the ORM's bulk_update writes a CASE arm per customer, which SQLite evaluates for every
    row of the statement (3.1 s for the 10,000 customers of a 100-rep first import)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = date(2025, 6, 30)
    same_day = [_customer_with_orders(first) for _ in range(3)]
    other_day = _customer_with_orders(first + timedelta(days=1))
    with CaptureQueriesContext(connection) as ctx:
        _stage(other_day, first + timedelta(days=10))
    updates = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 2
    assert not any("CASE" in sql for sql in updates)
    for customer in [*same_day, other_day]:
        customer.refresh_from_db()
        assert customer.lifecycle_stage == "new"
    assert {c.lifecycle_since for c in same_day} == {first}
    assert other_day.lifecycle_since == first + timedelta(days=1)


def test_lifecycle_stages_follow_the_thresholds_on_their_edge_days():
    first = date(2025, 6, 30)
    customer = _customer_with_orders(first)
    assert _stage(customer, first - timedelta(days=1)) == ("prospect", date(2020, 1, 1))
    assert _stage(customer, first) == ("new", first)
    # dormant after 90 days without an order (day 89 still new)
    assert _stage(customer, first + timedelta(days=89))[0] == "new"
    assert _stage(customer, first + timedelta(days=90)) == (
        "dormant",
        first + timedelta(days=90),
    )
    assert _stage(customer, first + timedelta(days=364))[0] == "dormant"
    assert _stage(customer, first + timedelta(days=365))[0] == "lost"


def test_a_customer_buying_for_12_months_is_established():
    customer = _customer_with_orders(date(2025, 1, 31), date(2025, 11, 15), date(2026, 1, 20))
    assert _stage(customer, date(2026, 1, 30)) == ("new", date(2025, 1, 31))
    assert _stage(customer, date(2026, 1, 31)) == ("established", date(2026, 1, 31))


def test_cancelled_orders_do_not_count_for_the_lifecycle():
    customer = _customer_with_orders(date(2026, 1, 1), status="cancelled")
    assert _stage(customer, date(2026, 2, 1))[0] == "prospect"


def test_add_months_clips_to_the_month_end():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2026, 3, 31), -13) == date(2025, 2, 28)


def test_command_recomputes_all_customers_in_bounded_queries(django_assert_max_num_queries, capsys):
    # given 30 customers with orders on three days and the admin's thresholds
    CareSettings.objects.create(established_after_months=6, dormant_after_days=60)
    for index in range(30):
        _customer_with_orders(date(2025, 1, 1) + timedelta(days=index % 3 * 100))
    # when the scheduler runs the command: one write per new stage and start date
    with django_assert_max_num_queries(8):
        call_command("customer_lifecycle", "--as-of", "2026-01-01")
    # then every customer has its stage, and a second run changes nothing
    assert not Customer.objects.filter(lifecycle_stage="prospect").exists()
    assert "30 changed" in capsys.readouterr().out
    call_command("customer_lifecycle", "--as-of", "2026-01-01")
    assert " 0 changed" in capsys.readouterr().out


def test_a_new_order_recomputes_its_customers_stage(org_tree):
    from salesorg.sales.models import Order
    from salesorg.sales.services import order_save

    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    order = Order(customer=customer, rep=customer.owner, order_date=date.today())
    order_save(order=order, actor=org_tree.user("manager_east1"))
    customer.refresh_from_db()
    assert customer.lifecycle_stage == "new"


# --- reward budget ------------------------------------------------------------------------------


def _established_customer(owner, *, margin=Decimal("1000.00"), day=date(2026, 3, 1)):
    customer = CustomerFactory(owner=owner, lifecycle_stage="established")
    order = OrderFactory(customer=customer, order_date=day)
    OrderLineFactory(order=order, amount=margin + Decimal("500"), cost=Decimal("500"))
    return customer


def test_reward_budget_is_a_share_of_12_months_margin_less_rewards(org_tree):
    CareSettings.objects.create(reward_share_percent=Decimal("2.50"))
    customer = _established_customer(org_tree.people["rep_east1a"], margin=Decimal("1000.10"))
    # an order just outside the 12-month window does not fund it
    old = OrderFactory(customer=customer, order_date=date(2025, 6, 30))
    OrderLineFactory(order=old, amount=Decimal("900"), cost=Decimal("0"))
    Reward.objects.create(
        customer=customer,
        kind="gift",
        value=Decimal("5.00"),
        granted_on=date(2026, 4, 1),
        approved_by=org_tree.people["manager_east1"],
    )
    budget = reward_budget(customer=customer, as_of=AS_OF)
    assert budget.window_start == date(2025, 7, 1)
    assert budget.funded == Decimal("25.00")  # 2.5 % of 1,000.10 = 25.0025 → 25.00
    assert budget.drawn == Decimal("5.00")
    assert budget.available == Decimal("20.00")


def test_a_reward_up_to_the_budget_is_saved_and_a_cent_more_refused(org_tree):
    # given an established customer with a budget of 20.00 (2 % of 1,000.00)
    customer = _established_customer(org_tree.people["rep_east1a"])
    manager = org_tree.people["manager_east1"]

    def reward(value):
        return Reward(
            customer=customer,
            kind="gift",
            value=Decimal(value),
            granted_on=AS_OF,
            approved_by=manager,
        )

    # when a manager records 12.00, then 8.01, then 8.00
    reward_save(instance=reward("12.00"), actor=org_tree.user("manager_east1"))
    with pytest.raises(ValidationError) as refused:
        reward_save(instance=reward("8.01"), actor=org_tree.user("manager_east1"))
    # then the one beyond the budget is refused naming the value, the exact rest fits
    assert "value" in refused.value.message_dict
    assert "¥8.00" in refused.value.message_dict["value"][0]
    reward_save(instance=reward("8.00"), actor=org_tree.user("manager_east1"))
    assert reward_budget(customer=customer, as_of=AS_OF).available == Decimal("0.00")


def test_rewards_need_an_established_customer_and_a_leader(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"], lifecycle_stage="new")
    reward = Reward(customer=customer, kind="gift", value=Decimal("1"), granted_on=AS_OF)
    with pytest.raises(ValidationError) as refused:
        reward_save(instance=reward, actor=org_tree.user("manager_east1"))
    assert "established" in refused.value.message_dict["customer"][0]
    with pytest.raises(ValidationError) as refused:
        reward_save(instance=reward, actor=org_tree.user("rep_east1a"))
    assert "customer" in refused.value.message_dict


# --- stakeholders -------------------------------------------------------------------------------


def test_a_key_stakeholder_leaving_gives_the_owner_one_follow_up(org_tree):
    # given the decision maker of a rep's customer
    rep = org_tree.people["rep_east1a"]
    contact = ContactFactory(customer=CustomerFactory(owner=rep), role="decision_maker")
    successor = ContactFactory(customer=contact.customer, role="influencer")
    # when the rep records that they were replaced, and saves the contact again
    contact_leave(
        contact=contact,
        expected_version=contact.version,
        left_on=date(2026, 5, 4),
        replaced_by=successor,
        actor=org_tree.user("rep_east1a"),
    )
    contact.needs = "价格"
    contact_save(
        instance=contact, actor=org_tree.user("rep_east1a"), expected_version=contact.version
    )
    # then the owner has exactly one follow-up, due in 7 days, about this contact
    items = ActionItem.objects.filter(origin=ActionOrigin.STAKEHOLDER, owner=rep)
    assert items.count() == 1
    item = items.get()
    assert item.customer_id == contact.customer_id and item.source == contact
    assert (item.due_date - date.today()).days == 7
    assert contact.name in item.title and successor.name in item.detail
    contact.refresh_from_db()
    assert contact.status == "replaced" and contact.replaced_by == successor


def test_an_influential_contact_counts_as_key_and_others_do_not(org_tree):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep)
    influential = ContactFactory(customer=customer, role="user", influence=4)
    minor = ContactFactory(customer=customer, role="user", influence=3)
    for contact in (influential, minor):
        contact_leave(
            contact=contact,
            expected_version=contact.version,
            left_on=AS_OF,
            actor=org_tree.user("rep_east1a"),
        )
    sources = set(ActionItem.objects.values_list("source_id", flat=True))
    assert sources == {influential.pk}


def test_leaving_needs_a_date_and_a_successor_of_the_same_customer(org_tree):
    rep = org_tree.people["rep_east1a"]
    contact = ContactFactory(customer=CustomerFactory(owner=rep))
    stranger = ContactFactory(customer=CustomerFactory(owner=rep))
    with pytest.raises(ValidationError) as refused:
        contact_leave(
            contact=contact,
            expected_version=contact.version,
            left_on=None,
            replaced_by=stranger,
            actor=org_tree.user("rep_east1a"),
        )
    assert {"left_on", "replaced_by"} <= set(refused.value.message_dict)
    assert not ActionItem.objects.exists()


def test_another_reps_contact_cannot_be_changed(org_tree):
    contact = ContactFactory(customer=CustomerFactory(owner=org_tree.people["rep_east1b"]))
    with pytest.raises(ValidationError):
        contact_leave(
            contact=contact,
            expected_version=contact.version,
            left_on=AS_OF,
            actor=org_tree.user("rep_east1a"),
        )


# --- satisfaction -------------------------------------------------------------------------------


def test_a_visit_survey_is_recorded_once_and_updated(org_tree):
    visit = VisitFactory(customer=CustomerFactory(owner=org_tree.people["rep_east1a"]))
    user = org_tree.user("rep_east1a")
    assert visit_survey_record(visit=visit, overall=None, comment="", actor=user) is None
    visit_survey_record(visit=visit, overall=3, comment="一般", actor=user)
    visit_survey_record(visit=visit, overall=5, comment="满意", actor=user)
    survey = SatisfactionSurvey.objects.get()
    assert (survey.overall, survey.comment, survey.surveyed_on) == (5, "满意", visit.visit_date)
    assert survey.recorded_by == org_tree.people["rep_east1a"]


def test_a_survey_score_outside_1_to_5_is_refused(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    other_visit = VisitFactory()
    survey = SatisfactionSurvey(customer=customer, surveyed_on=AS_OF, overall=6, visit=other_visit)
    with pytest.raises(ValidationError) as refused:
        survey_save(instance=survey, actor=org_tree.user("rep_east1a"))
    assert {"overall", "visit"} <= set(refused.value.message_dict)


def test_a_drawn_reward_keeps_its_note_editable_after_the_customer_goes_dormant(org_tree):
    customer = _established_customer(org_tree.people["rep_east1a"])
    manager = org_tree.user("manager_east1")
    reward = Reward(
        customer=customer,
        kind="gift",
        value=Decimal("5.00"),
        granted_on=AS_OF,
        approved_by=org_tree.people["manager_east1"],
    )
    reward_save(instance=reward, actor=manager)
    Customer.objects.filter(pk=customer.pk).update(lifecycle_stage="dormant")
    reward.note = "补记"
    reward_save(instance=reward, actor=manager)
    reward.value = Decimal("6.00")
    with pytest.raises(ValidationError) as refused:
        reward_save(instance=reward, actor=manager)
    assert "customer" in refused.value.message_dict
