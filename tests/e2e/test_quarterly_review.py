"""A rep files the quarterly review of the last quarter; the manager signs it off."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from salesorg.targets.models import QuarterlyReview, ReviewStatus
from salesorg.targets.quarters import last_finished_quarter, quarter_period
from tests.factories import CustomerFactory, OrderFactory, OrderLineFactory, TargetFactory
from tests.targets.test_reviews import ANSWERS

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, base_url, code):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", code)
    page.fill("#id_password", "pw-for-tests-1")
    page.click("#main button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def test_rep_files_the_review_and_the_manager_signs_off(live_server, org_tree, browser, phone):
    # given a rep with targets and sales in the last finished quarter
    rep = org_tree.people["rep_east1a"]
    year, quarter = last_finished_quarter(today=timezone.localdate())
    period = quarter_period(year=year, quarter=quarter)
    for month in range(1, 13):
        TargetFactory(person=rep, year=year, month=month, realistic=Decimal("1000"))
    order = OrderFactory(customer=CustomerFactory(owner=rep), rep=rep, order_date=period.start)
    OrderLineFactory(order=order, amount=Decimal("1234.00"))

    # when the rep opens the review of the last quarter
    log_in(phone, live_server.url, rep.code)
    phone.goto(f"{live_server.url}/targets/reviews/")
    phone.click("#own-review button[type=submit]")
    phone.locator("#review-figures").wait_for()
    # then the figures are pre-filled from the indicators
    assert "1,234.00" in phone.locator("[data-figure=quarter-sales]").inner_text()
    assert "12,000.00" in phone.locator("[data-figure=year-target]").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # and they answer the seven questions and file
    for name, answer in ANSWERS.items():
        phone.fill(f"textarea[name={name}]", answer)
    phone.click("button[name=action][value=file]")
    phone.locator("#review-status[data-status=filed]").wait_for()
    review = QuarterlyReview.objects.get(rep=rep, year=year, quarter=quarter)
    assert review.figures["quarter_sales"] == "1234.00"

    # when the manager opens it, comments and signs off
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = context.new_page()
    log_in(desk, live_server.url, org_tree.people["manager_east1"].code)
    desk.goto(f"{live_server.url}/targets/reviews/{review.pk}/")
    assert ANSWERS["obstacles"] in desk.locator("#review-answers").inner_text()
    desk.fill("textarea[name=manager_comment]", "分析到位，同意")
    desk.click("button[name=action][value=sign_off]")
    desk.locator("#review-status[data-status=signed_off]").wait_for()
    context.close()

    # then the rep sees it signed off with the comment
    phone.goto(f"{live_server.url}/targets/reviews/{review.pk}/")
    assert phone.locator("#review-status").get_attribute("data-status") == ReviewStatus.SIGNED_OFF
    assert "分析到位，同意" in phone.locator("#manager-comment").inner_text()
    assert date.today()
