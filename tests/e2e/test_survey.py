"""On a phone, a rep makes a survey link on the customer page; the customer's contact opens it
without a login, answers it (a low answer), and a second use of the link is refused."""

from pathlib import Path

import pytest

from salesorg.customers.models import SatisfactionSurvey, SurveyLink
from salesorg.targets.models import ActionItem
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = Path(__file__).parent / "screenshots"  # git-ignored


def _screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_survey_is_answered_through_its_link_once_without_a_login(
    live_server, org_tree, phone, browser
):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(name="上海华康医疗器械有限公司", owner=rep)
    contact = ContactFactory(customer=customer, name="王总", phone="13900002222")
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("#id_username", rep.code)
    phone.fill("#id_password", "pw-for-tests-1")
    phone.click("#main button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/")

    # the rep makes a link to 王总 on the customer page and copies it
    phone.goto(f"{live_server.url}{customer.get_absolute_url()}")
    phone.select_option("#survey-link-contact", str(contact.pk))
    phone.click("#survey-link-form button[type=submit]")
    phone.wait_for_url(f"**{customer.get_absolute_url()}#survey-links")
    link_field = phone.locator("#survey-links [data-link-status=open] input")
    url = link_field.input_value()
    assert url.startswith(f"{live_server.url}/customers/survey/")
    assert SurveyLink.objects.get(customer=customer).contact == contact

    # the contact opens it on their own phone, not logged in
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    customer_phone = context.new_page()
    customer_phone.goto(url)
    assert customer_phone.locator("html").get_attribute("lang") == "zh-hans"
    assert "上海华康医疗器械有限公司" in customer_phone.inner_text("#survey-customer")
    page_text = customer_phone.inner_text("body")
    assert "王总" not in page_text and "13900002222" not in page_text and rep.code not in page_text
    assert _fits_the_phone(customer_phone)
    _screenshot(customer_phone, "survey-phone-zh")

    # switching the language keeps the survey
    customer_phone.click("#survey-languages a[lang=en]")
    customer_phone.wait_for_url("**?lang=en")
    assert customer_phone.locator("html").get_attribute("lang") == "en"

    # a low answer: satisfaction 2, would recommend 5, a comment
    customer_phone.click("label[for=overall-2]")
    customer_phone.click("label[for=recommend-5]")
    customer_phone.fill("textarea[name=comment]", "售后响应太慢")
    assert _fits_the_phone(customer_phone)
    customer_phone.click("#survey-form button[type=submit]")
    customer_phone.wait_for_selector("#survey-thanks")
    _screenshot(customer_phone, "survey-thanks")
    survey = SatisfactionSurvey.objects.get(customer=customer)
    assert (survey.overall, survey.recommend, survey.comment) == (2, 5, "售后响应太慢")
    owners = set(
        ActionItem.objects.filter(source_id=survey.pk, customer=customer).values_list(
            "owner__code", flat=True
        )
    )
    assert owners == {rep.code, "MGR-east1"}

    # a second use of the link is refused with a friendly page
    customer_phone.goto(url)
    refused = customer_phone.locator("#survey-closed")
    assert refused.get_attribute("data-status") == "answered"
    assert customer_phone.locator("#survey-form").count() == 0
    _screenshot(customer_phone, "survey-refused")
    assert _fits_the_phone(customer_phone)
    assert SatisfactionSurvey.objects.filter(customer=customer).count() == 1
    context.close()

    # the rep sees the answer on the customer page
    phone.goto(f"{live_server.url}{customer.get_absolute_url()}")
    assert phone.locator("#survey-links [data-link-status=answered]").count() == 1
    assert phone.locator("[data-survey-source=customer]").count() == 1
    phone.locator("#satisfaction").scroll_into_view_if_needed()
    phone.locator("#satisfaction").screenshot(path=str(SCREENSHOTS / "survey-customer-page.png"))
