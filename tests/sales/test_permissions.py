"""The write rule of sales/permissions.py, role by role."""

import pytest

from salesorg.customers.models import Customer
from salesorg.sales.models import Category, Expense, Invoice, Order, Payment, Visit
from salesorg.sales.permissions import can_create, can_write
from salesorg.targets.models import Target

pytestmark = pytest.mark.django_db


def test_a_rep_writes_only_their_own_visits_and_expenses(org_tree):
    user = org_tree.user("rep_east1a")
    own = org_tree.people["rep_east1a"]
    colleague = org_tree.people["rep_east1b"]
    assert can_write(user, Visit(rep=own)) and can_write(user, Expense(rep=own))
    assert not can_write(user, Visit(rep=colleague))
    assert not can_create(user, Order) and not can_create(user, Invoice)
    assert not can_create(user, Customer)


def test_a_manager_writes_team_records_but_not_receivables(org_tree):
    user = org_tree.user("manager_east1")
    assert can_write(user, Order(rep=org_tree.people["rep_east1a"]))
    assert can_write(user, Visit(rep=org_tree.people["rep_east1b"]))
    assert not can_write(user, Visit(rep=org_tree.people["rep_east2a"]))
    assert not can_create(user, Invoice) and not can_create(user, Payment)
    assert not can_create(user, Target)


def test_a_region_head_writes_records_of_the_region(org_tree):
    user = org_tree.user("head_east")
    assert can_write(user, Order(rep=org_tree.people["rep_east2b"]))
    assert not can_write(user, Order(rep=org_tree.people["rep_north1a"]))


def test_finance_records_payments_and_edits_invoices_only(org_tree):
    user = org_tree.user("finance")
    assert can_create(user, Invoice) and can_create(user, Payment)
    assert not can_create(user, Visit) and not can_create(user, Order)


def test_director_and_admin_write_everything_and_trainers_nothing(org_tree):
    for key in ("director", "admin"):
        user = org_tree.user(key)
        assert all(can_create(user, m) for m in (Order, Invoice, Visit, Category, Target))
    trainer = org_tree.user("trainer")
    assert not any(can_create(trainer, m) for m in (Order, Invoice, Visit, Customer, Expense))
