"""A change of an amount in a record's history reads ¥1,234,567.50, not 1234567.50."""

from decimal import Decimal

from salesorg.core.audit import object_history
from tests.core.test_audit import save_as
from tests.factories import CustomerFactory


def test_a_changed_credit_limit_shows_old_and_new_as_grouped_yuan(org_tree):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep, credit_limit=Decimal("100000.00"))
    save_as(rep.user, customer, credit_limit=Decimal("1234567.50"), name="Renamed")
    changes = {label: (old, new) for label, old, new in object_history(customer)[0].changes}
    assert changes["credit limit"] == ("¥100,000.00", "¥1,234,567.50")
    assert changes["name"][1] == "Renamed"  # text is left as it is
