"""On a phone, a rep logs a visit with a satisfaction score, records that a key stakeholder
left, and finds the follow-up task on their home page."""

import pytest

from salesorg.customers.models import SatisfactionSurvey
from salesorg.targets.models import ActionItem
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_rep_logs_satisfaction_and_a_key_stakeholder_leaving(live_server, org_tree, phone):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(name="上海华康医疗器械有限公司", owner=rep)
    boss = ContactFactory(customer=customer, name="王总", role="decision_maker", influence=5)
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("#id_username", rep.code)
    phone.fill("#id_password", "pw-for-tests-1")
    phone.click("#main button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/")

    # log a visit from the customer page, with a satisfaction score of 4
    phone.goto(f"{live_server.url}{customer.get_absolute_url()}")
    phone.click(f"#main a[href='/sales/visits/log/?customer={customer.pk}']")
    phone.wait_for_url("**/sales/visits/log/**")
    phone.locator("label[for=id_satisfaction_3]").click()  # the fourth button: 4
    phone.fill("textarea[name=satisfaction_comment]", "交货及时")
    phone.click("#main button[type=submit]")
    phone.wait_for_url("**/sales/visits/*/")
    survey = SatisfactionSurvey.objects.get(customer=customer)
    assert (survey.overall, survey.comment, survey.visit.rep) == (4, "交货及时", rep)

    # the decision maker left: record it on the stakeholder's page
    phone.goto(f"{live_server.url}{boss.get_absolute_url()}")
    phone.click(f"#main a[href='/customers/contacts/{boss.pk}/left/']")
    phone.fill("#id_left_on", "2026-11-20")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.click("#main button[type=submit]")
    phone.wait_for_url(f"**{boss.get_absolute_url()}")
    boss.refresh_from_db()
    assert boss.status == "left"

    # the follow-up task is on the home page
    phone.goto(f"{live_server.url}/")
    item = ActionItem.objects.get(owner=rep, source_id=boss.pk)
    assert phone.get_by_text(item.title).count() >= 1
