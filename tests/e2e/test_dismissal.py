"""A dismissal in the browser, from filing to the leave date: the manager files it after a
coaching stage, the region head approves it (the leave is scheduled), the manager hands the
rep's customers and open items to a teammate, and after the last day the rep's login is
refused."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from salesorg.customers.models import Customer
from salesorg.development.models import Handover, PersonnelReview
from salesorg.development.services.coaching import coaching_session_create
from salesorg.targets.models import ActionItem
from salesorg.work.actions import action_item_create
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _login(browser, live_server, code):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", code)
    page.fill("#id_password", "pw-for-tests-1")
    page.click("#main button[type=submit]")
    return context, page


def test_a_dismissal_from_filing_to_the_leave_date(live_server, org_tree, browser):
    today = timezone.localdate()
    rep, colleague = org_tree.people["rep_east1a"], org_tree.people["rep_east1b"]
    manager = org_tree.people["manager_east1"]
    for days_ago in (180, 120, 60):
        coaching_session_create(
            person=rep,
            actor=manager.user,
            session_date=today - timedelta(days=days_ago),
            improvement_plan="每次拜访前准备三个开放式问题",
        )
    customers = [CustomerFactory(name=name, owner=rep) for name in ("华康医疗", "瑞丰商贸")]
    action_item_create(title="回访瑞丰商贸", owner=rep, due_date=today + timedelta(days=5))
    leave = today + timedelta(days=14)

    # the manager files the dismissal with the last day employed
    manager_context, page = _login(browser, live_server, manager.code)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/development/personnel/new/?person={rep.pk}")
    page.fill("#id_stage", "2026 coaching stage")
    page.select_option("#id_outcome", "dismiss")
    page.fill("#id_effective_date", leave.isoformat())
    page.click("#main form[method=post] button[type=submit]")
    page.wait_for_selector("#review-stage")
    review = PersonnelReview.objects.get()
    assert "as the policy requires" in page.inner_text("#review-stage")

    # the region head approves it: the leave is scheduled
    head_context, head_page = _login(browser, live_server, "HEAD-east")
    head_page.wait_for_url(f"{live_server.url}/")
    head_page.goto(f"{live_server.url}{review.get_absolute_url()}")
    head_page.click("button[name=decision][value=approve]")
    head_page.wait_for_selector("#review-status")
    assert "Approved" in head_page.inner_text("#review-status")
    head_context.close()
    rep.refresh_from_db()
    assert rep.leave_date == leave

    # the manager's home shows the handover to do; the manager gives everything to a teammate
    page.goto(f"{live_server.url}/")
    page.click(f"a[href='/development/handover/{rep.pk}/'] >> nth=0")
    page.wait_for_selector("#handover-form")
    assert "华康医疗" in page.inner_text("#handover-customers")
    page.select_option("#id_all_to", str(colleague.pk))
    page.click("#handover-submit")
    page.wait_for_selector("#handover-nothing")
    assert colleague.name in page.inner_text("#handover-done")
    manager_context.close()
    assert set(Customer.objects.filter(owner=colleague)) == set(customers)
    assert ActionItem.objects.get(title="回访瑞丰商贸").owner == colleague
    assert ActionItem.objects.filter(owner=colleague, source_id=Handover.objects.get().pk)

    # until the last day the rep still works
    rep_context, rep_page = _login(browser, live_server, rep.code)
    rep_page.wait_for_url(f"{live_server.url}/")
    rep_context.close()

    # the last day passes; the daily check ends the login and the rep is refused
    rep.leave_date = today - timedelta(days=1)
    rep.save(update_fields=["leave_date"])
    rep_context, rep_page = _login(browser, live_server, rep.code)
    rep_page.wait_for_selector("#main .alert-danger")
    assert "left the company" in rep_page.inner_text("#main .alert-danger")
    rep_context.close()
    call_command("leaver_check", stdout=StringIO(), stderr=StringIO())
    rep.user.refresh_from_db()
    assert not rep.user.is_active
    rep_context, rep_page = _login(browser, live_server, rep.code)
    rep_page.wait_for_selector("#main .alert-danger")
    assert rep_page.url.endswith("/accounts/login/")
    rep_context.close()
