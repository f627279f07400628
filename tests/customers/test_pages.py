"""Customer care pages: the customer page (360), stakeholders, rewards, referrals, surveys,
the list's filters and Excel export, the settings page."""

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone

from salesorg.customers.models import CareSettings, Referral, Reward, SatisfactionSurvey
from salesorg.targets.models import ActionItem
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    InvoiceFactory,
    OrderFactory,
    OrderLineFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


def _rich_customer(org_tree, *, visits=5):
    rep = org_tree.people["rep_east1a"]
    today = timezone.localdate()
    customer = CustomerFactory(owner=rep, name="华康医疗", lifecycle_stage="established")
    for months_ago in range(visits):
        day = today - timedelta(days=30 * months_ago + 1)
        order = OrderFactory(customer=customer, order_date=day)
        OrderLineFactory(order=order, amount=Decimal("1000.00"), cost=Decimal("600.00"))
        InvoiceFactory(
            customer=customer,
            invoice_date=day,
            due_date=day + timedelta(days=30),
            amount=Decimal("1000.00"),
        )
        visit = VisitFactory(customer=customer, visit_date=day)
        SatisfactionSurvey.objects.create(
            customer=customer, visit=visit, surveyed_on=day, overall=4, comment="好"
        )
        ContactFactory(customer=customer, influence=3, attitude="supporter")
    referred = CustomerFactory(owner=rep, name="被介绍客户")
    order = OrderFactory(customer=referred, order_date=today)
    OrderLineFactory(order=order, amount=Decimal("777.00"), cost=Decimal("0"))
    Referral.objects.create(referrer=customer, referred=referred, referred_on=today)
    Reward.objects.create(
        customer=customer,
        kind="gift",
        value=Decimal("10.00"),
        granted_on=today,
        approved_by=org_tree.people["manager_east1"],
    )
    return customer


def test_customer_page_shows_the_360_view_in_bounded_queries(
    org_tree, django_assert_max_num_queries
):
    # given a customer with orders, invoices, visits with surveys, stakeholders, a referral
    customer = _rich_customer(org_tree, visits=3)
    client = org_tree.client("manager_east1")
    client.get(customer.get_absolute_url())
    # when its manager opens its page, the queries do not grow with the records
    with django_assert_max_num_queries(40):
        page = client.get(customer.get_absolute_url()).content.decode()
    more = _rich_customer(org_tree, visits=8)
    with django_assert_max_num_queries(40):
        assert client.get(more.get_absolute_url()).status_code == 200
    # then it shows stage, ageing, trend, stakeholders, rewards, referrals, satisfaction
    for text in (
        "Established",
        "Receivables and ageing",
        "Sales and gross margin by month",
        'id="customer-chart-data"',
        "Supporter",
        "被介绍客户",
        "¥777.00",
        "average 4",
        "¥10.00",
    ):
        assert text in page, text
    assert org_tree.client("manager_north1").get(customer.get_absolute_url()).status_code == 404


def test_rep_edits_a_stakeholder_and_records_that_they_left(org_tree):
    rep = org_tree.people["rep_east1a"]
    contact = ContactFactory(customer=CustomerFactory(owner=rep), name="王总", influence=2)
    client = org_tree.client("rep_east1a")
    edit = f"/customers/contacts/{contact.pk}/edit/"
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "name": "王总",
            "role": "decision_maker",
            "influence": "5",
            "attitude": "neutral",
            "expected_version": contact.version,
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    left = f"/customers/contacts/{contact.pk}/left/"
    response = client.post(left, {"left_on": "", "expected_version": contact.version})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    client.post(left, {"left_on": "2026-11-01", "expected_version": contact.version})
    contact.refresh_from_db()
    assert contact.status == "left" and contact.left_on == date(2026, 11, 1)
    # one follow-up for the change of the decision maker's influence, one for their leaving
    items = ActionItem.objects.filter(owner=rep, source_id=contact.pk)
    assert sorted(items.values_list("title_key", flat=True)) == [
        "customers.stakeholder_changed.title",
        "customers.stakeholder_left.title",
    ]
    # the history tab says who changed what
    page = client.get(contact.get_absolute_url()).content.decode()
    assert "Influence" in page and "2 → 5" in page and "Active → Left" in page
    assert org_tree.client("rep_east1b").get(edit).status_code == 404


def test_reward_page_refuses_a_reward_beyond_the_budget(org_tree):
    customer = _rich_customer(org_tree, visits=1)  # margin 400.00 → budget 8.00, 10.00 drawn
    client = org_tree.client("manager_east1")
    url = f"/customers/{customer.pk}/rewards/add/"
    assert org_tree.client("rep_east1a").get(url).status_code == 403
    data = {
        "kind": "gift",
        "value": "0.01",
        "granted_on": timezone.localdate().isoformat(),
        "approved_by": org_tree.people["manager_east1"].pk,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "more than what is left of the reward budget" in response.content.decode()
    assert Reward.objects.count() == 1


def test_referral_and_survey_pages_record(org_tree):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep)
    other = CustomerFactory(owner=rep, name="新客户")
    client = org_tree.client("rep_east1a")
    today = timezone.localdate().isoformat()
    response = client.post(
        f"/customers/{customer.pk}/referrals/add/", {"referred": other.pk, "referred_on": today}
    )
    assert response.status_code == 302
    response = client.post(
        f"/customers/{customer.pk}/surveys/add/",
        {"surveyed_on": today, "overall": "2", "comment": "慢"},
    )
    assert response.status_code == 302
    assert Referral.objects.get().referred == other
    assert SatisfactionSurvey.objects.get().overall == 2
    report = client.get("/customers/referrals/").content.decode()
    assert "新客户" in report
    export = client.get("/customers/referrals/", {"format": "csv"}).content.decode("utf-8-sig")
    assert other.code in export


def test_customer_list_filters_by_stage_and_exports_excel(org_tree, django_assert_max_num_queries):
    from openpyxl import load_workbook

    rep = org_tree.people["rep_east1a"]
    CustomerFactory(code="C-NEW", owner=rep, lifecycle_stage="new")
    CustomerFactory(code="C-OLD", owner=rep, lifecycle_stage="established")
    CustomerFactory(code="C-HIDDEN", owner=org_tree.people["rep_north1a"], lifecycle_stage="new")
    client = org_tree.client("rep_east1a")
    page = client.get("/customers/", {"lifecycle": "new"}).content.decode()
    assert "C-NEW" in page and "C-OLD" not in page
    with django_assert_max_num_queries(12):
        export = client.get("/customers/", {"format": "xlsx", "lifecycle": "new"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["C-NEW"]
    assert rows[1][-1] == "New"


def test_care_settings_are_for_director_and_admin(org_tree):
    assert org_tree.client("manager_east1").get("/customers/settings/").status_code == 403
    client = org_tree.client("director")
    data = {
        "established_after_months": "6",
        "dormant_after_days": "100",
        "lost_after_days": "50",
        "reward_share_percent": "3.5",
    }
    response = client.post("/customers/settings/", data)
    assert response.status_code == 200  # lost must come after dormant
    data["lost_after_days"] = "400"
    assert client.post("/customers/settings/", data).status_code == 302
    settings = CareSettings.current()
    assert (settings.dormant_after_days, settings.reward_share_percent) == (100, Decimal("3.50"))


def test_visit_form_records_a_satisfaction_score(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    client = org_tree.client("rep_east1a")
    response = client.post(
        "/sales/visits/log/",
        {
            "customer": customer.pk,
            "visit_date": "2026-11-20",
            "kind": "visit",
            "satisfaction": "5",
            "satisfaction_comment": "很好",
        },
    )
    assert response.status_code == 302
    survey = SatisfactionSurvey.objects.get()
    assert (survey.customer, survey.overall, survey.surveyed_on) == (
        customer,
        5,
        date(2026, 11, 20),
    )
    assert "很好" in client.get(customer.get_absolute_url()).content.decode()


def test_customer_list_filters_by_the_latest_rating(org_tree):
    from salesorg.customers.models.credit import CustomerEvaluation

    rep = org_tree.people["rep_east1a"]
    upgraded = CustomerFactory(code="C-UP", owner=rep)
    downgraded = CustomerFactory(code="C-DOWN", owner=rep)
    for customer, ratings in ((upgraded, ("B", "AA")), (downgraded, ("AA", "B"))):
        for month, rating in enumerate(ratings, start=1):
            CustomerEvaluation.objects.create(
                customer=customer,
                as_of=date(2026, month, 1),
                score=Decimal("50"),
                rating=rating,
                suggested_credit_limit=Decimal("0"),
            )
    page = org_tree.client("rep_east1a").get("/customers/", {"rating": "AA"}).content.decode()
    assert "C-UP" in page and "C-DOWN" not in page
