"""On a phone, a rep records that a key supporter turned opponent, finds the follow-up on their
home page, and reads the customer's decision chain with that change in its history."""

import pytest

from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_rep_sees_a_supporter_turn_opponent_in_the_decision_chain(live_server, org_tree, phone):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(name="上海华康医疗器械有限公司", owner=rep)
    ContactFactory(customer=customer, name="王总", role="decision_maker", attitude="champion")
    chief = ContactFactory(
        customer=customer, name="李厂长", role="influencer", influence=4, attitude="supporter"
    )
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("#id_username", rep.code)
    phone.fill("#id_password", "pw-for-tests-1")
    phone.click("#main button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/")

    # the influential supporter now opposes us: the rep edits the stakeholder
    phone.goto(f"{live_server.url}/customers/contacts/{chief.pk}/edit/")
    phone.select_option("#id_attitude", "opponent")
    phone.click("#main button[type=submit]")
    phone.wait_for_url(f"**{chief.get_absolute_url()}")

    # the follow-up names the change on the home page
    phone.goto(f"{live_server.url}/")
    assert phone.get_by_text("跟进：上海华康医疗器械有限公司的关键人李厂长有变化").count() >= 1

    # the customer page links to the decision chain, which shows the change in its history
    phone.goto(f"{live_server.url}{customer.get_absolute_url()}")
    assert "王总" in phone.locator("#decision-chain").inner_text()
    phone.locator("#stakeholders").screenshot(path="tests/e2e/screenshots/decision-chain-panel.png")
    phone.click(f"#decision-chain a[href='/customers/{customer.pk}/decision-chain/']")
    phone.wait_for_url("**/decision-chain/")
    influencers = phone.locator("#chain-influencers")
    assert "李厂长" in influencers.inner_text() and "支持者 → 反对者" in influencers.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path="tests/e2e/screenshots/decision-chain-phone.png", full_page=True)
