"""Deleting sales records (the API's DELETE) goes through services that check the write right."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError

from salesorg.sales import services
from salesorg.sales.models import Expense, Order, OrderLine
from tests.factories import ExpenseFactory, OrderFactory, OrderLineFactory

pytestmark = pytest.mark.django_db


def test_a_rep_deletes_their_own_expense_but_not_a_colleagues(org_tree):
    own = ExpenseFactory(rep=org_tree.people["rep_east1a"])
    colleague = ExpenseFactory(rep=org_tree.people["rep_east1b"])
    rep = org_tree.user("rep_east1a")
    services.expense_delete(expense=own, actor=rep)
    with pytest.raises(PermissionDenied):
        services.expense_delete(expense=colleague, actor=rep)
    assert list(Expense.objects.values_list("pk", flat=True)) == [colleague.pk]


def test_an_order_goes_with_its_lines_and_a_product_on_a_line_stays(org_tree):
    line = OrderLineFactory(order=OrderFactory(rep=org_tree.people["rep_east1a"]))
    director = org_tree.user("director")
    with pytest.raises(ProtectedError):
        services.product_delete(product=line.product, actor=director)
    services.order_delete(order=line.order, actor=director)
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()
