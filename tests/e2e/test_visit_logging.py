"""A rep logs a visit on a phone: finds the customer, ticks contacts met, saves."""

import pytest

from salesorg.sales.models import Visit
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_rep_logs_a_visit_on_a_phone(live_server, org_tree, phone):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(name="上海华康医疗器械有限公司", owner=rep)
    contact = ContactFactory(customer=customer, name="王经理")
    CustomerFactory(name="上海别人的客户有限公司", owner=org_tree.people["rep_north1a"])
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("#id_username", rep.code)
    phone.fill("#id_password", "pw-for-tests-1")
    phone.click("#main button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/")

    phone.goto(f"{live_server.url}/sales/visits/log/")
    assert phone.locator("[data-coach-row]").is_hidden()  # only for joint visits
    phone.fill("#customer-search", "上海")
    results = phone.locator("#customer-results button")
    results.first.wait_for()
    assert results.count() == 1  # another rep's customer is not offered
    results.first.click()
    phone.locator(f"#contact-{contact.pk}").check()
    phone.fill("textarea[name=outcome]", "客户同意试用")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.click("#main button[type=submit]")
    phone.wait_for_load_state()

    visit = Visit.objects.get(rep=rep)
    assert visit.customer == customer
    assert list(visit.contacts.all()) == [contact]
    assert visit.outcome == "客户同意试用"
