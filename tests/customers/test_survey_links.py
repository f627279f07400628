"""Surveys the customer answers itself (S4): a signed, expiring, single-use link answered
without a login; a low answer's follow-ups; the rep making the link from the customer page."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from salesorg.customers.choices import ContactStatus, SurveySource
from salesorg.customers.models import SatisfactionSurvey, SurveyLink
from salesorg.customers.services.care import survey_save
from salesorg.customers.services.surveys import (
    SurveyLinkClosed,
    survey_link_answer,
    survey_link_create,
)
from salesorg.targets.choices import ActionOrigin
from salesorg.targets.models import ActionItem
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def customer(org_tree):
    return CustomerFactory(
        code="CU-S1", name="海川机械有限公司", owner=org_tree.people["rep_east1a"]
    )


@pytest.fixture
def contact(customer):
    return ContactFactory(customer=customer, name="王经理", phone="13800001111")


def _make_link(org_tree, customer, contact=None, **kwargs):
    return survey_link_create(
        customer=customer, contact=contact, actor=org_tree.user("rep_east1a"), **kwargs
    )


def _url(token: str) -> str:
    return reverse("customers:survey_answer", args=[token])


ANSWER = {"overall": "4", "recommend": "9", "comment": "送货及时"}


# --- answering through the link -----------------------------------------------------------------


def test_a_link_is_answered_once_without_a_login(org_tree, customer, contact):
    # given a link the rep made for the customer's contact
    link, token = _make_link(org_tree, customer, contact)
    anonymous = Client()
    # when the contact opens it without logging in
    page = anonymous.get(_url(token))
    # then the survey shows, naming the customer
    assert page.status_code == 200
    assert "海川机械有限公司" in page.content.decode()
    # when they answer
    answered = anonymous.post(_url(token), ANSWER)
    # then they are thanked and the customer's own survey is recorded
    assert answered.status_code == 200
    assert "Thank you" in answered.content.decode()
    survey = SatisfactionSurvey.objects.get(customer=customer)
    assert (survey.overall, survey.recommend, survey.comment) == (4, 9, "送货及时")
    assert survey.source == SurveySource.CUSTOMER
    assert survey.contact == contact
    assert survey.surveyed_on == timezone.localdate()
    link.refresh_from_db()
    assert link.answered_at is not None and link.survey == survey


def test_a_second_use_is_refused_with_a_friendly_page(org_tree, customer):
    _link, token = _make_link(org_tree, customer)
    Client().post(_url(token), ANSWER)
    # when the link is opened and posted again
    again = Client().get(_url(token))
    posted = Client().post(_url(token), {"overall": "1", "recommend": "0"})
    # then both say it was answered already, and nothing more is recorded
    for response in (again, posted):
        assert response.status_code == 200
        assert "already been answered" in response.content.decode()
        assert 'id="survey-form"' not in response.content.decode()
    assert SatisfactionSurvey.objects.filter(customer=customer).count() == 1
    assert SatisfactionSurvey.objects.get(customer=customer).overall == 4


def test_an_expired_link_is_refused(org_tree, customer, settings):
    settings.SALESORG_SURVEY_LINK_DAYS = 14
    made = timezone.now() - timedelta(days=14, seconds=1)
    link, token = _make_link(org_tree, customer, now=made)
    assert link.expires_at == made + timedelta(days=14)
    response = Client().post(_url(token), ANSWER)
    assert response.status_code == 200
    assert "has expired" in response.content.decode()
    assert not SatisfactionSurvey.objects.filter(customer=customer).exists()
    with pytest.raises(SurveyLinkClosed):
        survey_link_answer(token=token, overall=5, recommend=10)


def test_a_link_is_open_until_its_expiry(org_tree, customer):
    made = timezone.now() - timedelta(days=13, hours=23)
    _link, token = _make_link(org_tree, customer, now=made)
    assert Client().post(_url(token), ANSWER).status_code == 200
    assert SatisfactionSurvey.objects.filter(customer=customer).count() == 1


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature
        lambda token: "x" + token,  # the payload
        lambda token: "not-a-token",
    ],
    ids=["signature", "payload", "garbage"],
)
def test_a_tampered_link_is_refused(org_tree, customer, tamper):
    _link, token = _make_link(org_tree, customer)
    bad = tamper(token)
    page = Client().get(_url(bad))
    posted = Client().post(_url(bad), ANSWER)
    for response in (page, posted):
        assert response.status_code == 404
        assert "not valid" in response.content.decode()
        assert "海川机械" not in response.content.decode()
    assert not SatisfactionSurvey.objects.exists()


def test_another_links_id_with_a_forged_nonce_is_refused(org_tree, customer):
    from django.core import signing

    from salesorg.customers.selectors.surveys import TOKEN_SALT

    link, _token = _make_link(org_tree, customer)
    forged = signing.dumps({"l": link.pk, "n": "guessed"}, salt=TOKEN_SALT)
    assert Client().get(_url(forged)).status_code == 404


def test_the_page_shows_nothing_of_the_customer_but_its_name(org_tree, customer, contact):
    _link, token = _make_link(org_tree, customer, contact)
    html = Client().get(_url(token)).content.decode()
    assert "海川机械有限公司" in html
    for secret in ("CU-S1", "王经理", "13800001111", org_tree.people["rep_east1a"].name, "REP-"):
        assert secret not in html


def test_a_bad_answer_is_shown_again_with_a_message(org_tree, customer):
    _link, token = _make_link(org_tree, customer)
    response = Client().post(_url(token), {"overall": "7", "comment": "x"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="survey-form"' in html
    assert "Choose a score from 0 to 10." in html
    assert not SatisfactionSurvey.objects.exists()


def test_the_answer_form_is_csrf_protected(org_tree, customer):
    _link, token = _make_link(org_tree, customer)
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(_url(token), ANSWER).status_code == 403
    page = strict.get(_url(token))
    token_value = page.context["csrf_token"]
    assert (
        strict.post(_url(token), {**ANSWER, "csrfmiddlewaretoken": token_value}).status_code == 200
    )
    assert SatisfactionSurvey.objects.count() == 1


def test_the_survey_pages_are_rate_limited(org_tree, customer, settings):
    settings.SALESORG_SURVEY_RATE_LIMIT = 3
    _link, token = _make_link(org_tree, customer)
    client = Client()
    statuses = [client.get(_url(token)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_page_speaks_the_links_language_and_switches(org_tree, customer):
    _link, token = _make_link(org_tree, customer, language="zh-hans")
    chinese = Client().get(_url(token), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="zh-hans">' in chinese
    with translation.override("zh-hans"):
        assert translation.gettext("Satisfaction survey") in chinese
    switched = Client().get(_url(token) + "?lang=en").content.decode()
    assert '<html lang="en">' in switched and "Satisfaction survey" in switched
    assert f'href="{_url(token)}?lang=zh-hans"' in switched


def test_without_a_language_the_page_follows_the_browser(org_tree, customer):
    _link, token = _make_link(org_tree, customer)
    page = Client().get(_url(token), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert '<html lang="zh-hans">' in page.content.decode()


def test_a_customers_answer_cannot_be_changed_by_the_rep(org_tree, customer):
    _link, token = _make_link(org_tree, customer)
    survey = survey_link_answer(token=token, overall=5, recommend=10)
    survey.overall = 1
    with pytest.raises(ValidationError):
        survey_save(instance=survey, actor=org_tree.user("rep_east1a"))


# --- low answers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overall,recommend,low",
    [(2, 9, True), (3, 6, True), (1, 0, True), (3, 7, False), (5, 10, False)],
)
def test_a_low_answer_gives_the_owner_and_the_manager_a_follow_up(
    org_tree, customer, contact, overall, recommend, low
):
    _link, token = _make_link(org_tree, customer, contact)
    survey = survey_link_answer(token=token, overall=overall, recommend=recommend, comment="响应慢")
    items = ActionItem.objects.filter(customer=customer).order_by("owner__code")
    if not low:
        assert not items.exists()
        return
    rep, manager = org_tree.people["rep_east1a"], org_tree.people["manager_east1"]
    assert [item.owner for item in items] == [manager, rep]
    for item in items:
        assert item.origin == ActionOrigin.CUSTOMER
        assert item.source_id == survey.pk
        assert item.due_date == survey.surveyed_on + timedelta(days=3)
        assert item.title == "Follow up: low satisfaction from 海川机械有限公司"
        assert item.title_key == "customers.survey_low.title"
        assert f"satisfaction {overall} of 5, would recommend {recommend} of 10" in item.detail
        assert "王经理" in item.detail and "响应慢" in item.detail


def test_the_follow_up_reads_in_its_readers_language(org_tree, customer):
    _link, token = _make_link(org_tree, customer)
    survey_link_answer(token=token, overall=1, recommend=2)
    item = ActionItem.objects.filter(owner=org_tree.people["rep_east1a"]).get()
    with translation.override("zh-hans"):
        from salesorg.core.stored_text import stored_text

        title = stored_text(item.title_key, item.text_params)
    assert "海川机械有限公司" in title and "Follow up" not in title


def test_a_rep_without_a_manager_gets_the_team_managers_follow_up(org_tree, customer):
    rep = org_tree.people["rep_east1a"]
    rep.manager = None
    rep.save(update_fields=["manager"])
    _link, token = _make_link(org_tree, customer)
    survey_link_answer(token=token, overall=2, recommend=8)
    owners = set(ActionItem.objects.filter(customer=customer).values_list("owner__code", flat=True))
    assert owners == {"REP-east1a", "MGR-east1"}


# --- making the link ----------------------------------------------------------------------------


def test_the_rep_makes_a_link_on_the_customer_page_and_copies_it(org_tree, customer, contact):
    client = org_tree.client("rep_east1a")
    page = client.get(customer.get_absolute_url())
    assert 'id="survey-link-form"' in page.content.decode()
    response = client.post(
        reverse("customers:survey_link_add", args=[customer.pk]),
        {"contact": contact.pk, "language": "en"},
        follow=True,
    )
    link = SurveyLink.objects.get(customer=customer)
    assert (link.contact, link.language) == (contact, "en")
    assert link.created_by == org_tree.people["rep_east1a"]
    html = response.content.decode()
    assert "Survey link made" in html
    open_row = html.split('data-link-status="open"')[1]
    assert "http://testserver/customers/survey/" in open_row and "data-copy=" in open_row
    path = open_row.split("http://testserver")[1].split('"')[0]
    assert Client().get(path).status_code == 200


def test_a_link_goes_only_to_an_active_contact_of_the_customer(org_tree, customer):
    other = ContactFactory()
    gone = ContactFactory(customer=customer, status=ContactStatus.LEFT, left_on=date(2026, 1, 1))
    for contact in (other, gone):
        with pytest.raises(ValidationError):
            _make_link(org_tree, customer, contact)
    client = org_tree.client("rep_east1a")
    response = client.post(
        reverse("customers:survey_link_add", args=[customer.pk]), {"contact": other.pk}, follow=True
    )
    assert response.status_code == 200
    assert not SurveyLink.objects.exists()


@pytest.mark.parametrize("role,status", [("rep_east1b", 404), ("finance", 200)])
def test_people_who_may_not_survey_the_customer_make_no_link(org_tree, customer, role, status):
    client = org_tree.client(role)
    response = client.post(
        reverse("customers:survey_link_add", args=[customer.pk]), {"language": ""}, follow=True
    )
    assert response.status_code == status
    if status == 200:
        assert "You may not send surveys for this customer." in response.content.decode()
    assert not SurveyLink.objects.exists()


def test_the_expiry_is_a_setting(org_tree, customer, settings):
    settings.SALESORG_SURVEY_LINK_DAYS = 3
    now = timezone.now()
    link, _token = _make_link(org_tree, customer, now=now)
    assert link.expires_at == now + timedelta(days=3)


def test_the_rep_makes_a_link_from_the_contacts_page(org_tree, customer, contact):
    client = org_tree.client("rep_east1a")
    page = client.get(contact.get_absolute_url()).content.decode()
    assert 'id="contact-survey-link"' in page
    client.post(reverse("customers:survey_link_add", args=[customer.pk]), {"contact": contact.pk})
    assert SurveyLink.objects.get(customer=customer).contact == contact
    assert (
        'id="contact-survey-link"'
        not in org_tree.client("finance").get(contact.get_absolute_url()).content.decode()
    )
