"""On a phone, a rep completes the root cause of a customer's downgrade from the home-page
reminder, and their manager reviews and accepts it."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from salesorg.customers.models import CustomerEvaluation, RootCause, RootCauseStatus
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def login(phone, live_server, code):
    phone.context.clear_cookies()
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("#id_username", code)
    phone.fill("#id_password", "pw-for-tests-1")
    phone.click("#main button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/")


def test_rep_completes_and_manager_accepts_a_downgrade_root_cause(live_server, org_tree, phone):
    rep, manager = org_tree.people["rep_east1a"], org_tree.people["manager_east1"]
    customer = CustomerFactory(name="杭州明远电气有限公司", owner=rep)
    evaluation = CustomerEvaluation.objects.create(
        customer=customer,
        as_of=date(2026, 11, 1),
        score="48.5",
        rating="B",
        previous_rating="AA",
        suggested_credit_limit="20000.00",
        factors={"overdue_share": {"value": "0.6", "weight": 25, "points": "10.0"}},
    )
    cause = RootCause.objects.create(
        evaluation=evaluation,
        customer=customer,
        owner=rep,
        reviewer=manager,
        from_rating="AA",
        to_rating="B",
    )

    # the rep finds the downgrade on the home page and completes its root cause
    login(phone, live_server, rep.code)
    # the phone speaks Chinese: find the reminder by where it leads
    phone.click(f'#reminders a[href="{cause.get_absolute_url()}"]')
    phone.wait_for_url(f"**{cause.get_absolute_url()}")
    # the plan is action items: the rep adds one for themself, with a due date
    phone.fill("#id_title", "与财务总监约定分期回款")
    phone.fill("#id_due_date", (date.today() + timedelta(days=14)).isoformat())
    phone.click("#add-action-item")
    phone.wait_for_url(f"**{cause.get_absolute_url()}")
    assert phone.locator("#root-cause-actions >> text=与财务总监约定分期回款").count() == 1
    phone.select_option("#id_cause_category", "payment")
    phone.fill("#id_explanation", "客户资金紧张，两张发票逾期超过60天")
    phone.fill("#id_action_plan", "每周跟进回款计划，暂停新的赊销订单")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.click("#main form button.btn-primary[type=submit]")
    phone.wait_for_url(f"**{cause.get_absolute_url()}")
    cause.refresh_from_db()
    assert cause.status == "submitted"

    # the manager reviews it from their home page and accepts it
    login(phone, live_server, manager.code)
    phone.click(f'#reminders a[href="{cause.get_absolute_url()}"]')
    phone.wait_for_url(f"**{cause.get_absolute_url()}")
    assert phone.locator("text=每周跟进回款计划").count() == 1
    phone.fill("#id_comment", "同意，月底复盘")
    phone.click("#main button[value=accept]")
    phone.wait_for_url(f"**{cause.get_absolute_url()}")
    cause.refresh_from_db()
    assert cause.status == "accepted" and cause.reviewed_by == manager.user
    with translation.override("zh-hans"):
        accepted = str(RootCauseStatus.ACCEPTED.label)
    assert phone.locator("#root-cause-status").inner_text() == accepted
