"""Text the customers app writes itself (stakeholder follow-ups, credit-approval reasons) is
stored as keys with parameters and reads in the reader's language, whoever triggered it."""

import importlib
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone, translation

from salesorg.api.models import ApiToken
from salesorg.customers.models import CreditApproval
from salesorg.customers.services.customers import contact_leave
from salesorg.sales.models import Order
from salesorg.sales.services import LineData, order_save
from salesorg.targets.choices import ActionOrigin
from salesorg.targets.models import ActionItem
from tests.factories import ContactFactory, CustomerFactory, InvoiceFactory, ProductFactory

pytestmark = pytest.mark.django_db
LATIN = re.compile(r"[A-Za-z]{3,}")  # an English word or a code


def _api(org_tree, key: str, language: str) -> Client:
    _token, raw = ApiToken.objects.issue(user=org_tree.user(key))
    return Client(headers={"authorization": f"Bearer {raw}", "accept-language": language})


def _leave(org_tree, *, language: str, replaced: bool = False) -> ActionItem:
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep, name="华东机电有限公司")
    contact = ContactFactory(customer=customer, name="潘平", role="decision_maker")
    successor = ContactFactory(customer=customer, name="李强", role="influencer")
    with translation.override(language):
        contact_leave(
            contact=contact,
            expected_version=contact.version,
            left_on=date(2026, 12, 3),
            replaced_by=successor if replaced else None,
            actor=org_tree.user("rep_east1a"),
        )
    return ActionItem.objects.get(origin=ActionOrigin.STAKEHOLDER, source_id=contact.pk)


def test_a_follow_up_created_in_english_reads_in_chinese(org_tree, client):
    # given a follow-up created through an English request
    item = _leave(org_tree, language="en")
    # when a Chinese reader sees it
    with translation.override("zh-hans"):
        title, detail = item.display_title, item.display_detail
    # then it is Chinese, with the names and the role's label, and no English left
    assert title.startswith("跟进") and "潘平" in title and "华东机电有限公司" in title
    assert "潘平" in detail and "2026-12-03" in detail and "已于" in detail
    assert not LATIN.search(title) and not LATIN.search(detail)  # no "Follow up", no code
    # and on the Chinese home page's action item page and the API
    client.force_login(org_tree.user("rep_east1a"))
    page = client.get(item.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert title in page.content.decode() and "Follow up" not in page.content.decode()


def test_a_follow_up_created_in_chinese_reads_in_english(org_tree):
    item = _leave(org_tree, language="zh-hans", replaced=True)
    with translation.override("en"):
        assert item.display_title == "Follow up: key stakeholder 潘平 left 华东机电有限公司"
        assert item.display_detail.startswith(
            "潘平 (Decision maker) was replaced by 李强 on 2026-12-03."
        )
        assert str(item) == item.display_title
    # the API answers the title in the requester's language
    answer = _api(org_tree, "rep_east1a", "en").get(f"/api/v1/action-items/{item.pk}")
    assert answer.status_code == 200, answer.content
    assert answer.json()["title"] == "Follow up: key stakeholder 潘平 left 华东机电有限公司"
    answer = _api(org_tree, "rep_east1a", "zh-hans").get(f"/api/v1/action-items/{item.pk}")
    assert answer.json()["title"].startswith("跟进") and "潘平" in answer.json()["title"]


def test_old_follow_ups_written_as_sentences_are_converted_to_keys():
    migration = importlib.import_module("salesorg.targets.migrations.0007_action_item_text_keys")
    english = migration.stakeholder_text_keys(
        "Follow up: key stakeholder 潘平 left 华东机电有限公司",
        "潘平 (Decision maker) left on 2026-12-03. Find out who takes over the decision and "
        "secure the relationship.",
    )
    assert english == {
        "title_key": "customers.stakeholder_left.title",
        "detail_key": "customers.stakeholder_left.detail",
        "text_params": {
            "name": "潘平",
            "customer": "华东机电有限公司",
            "role": "decision_maker",
            "date": "2026-12-03",
        },
    }
    chinese = migration.stakeholder_text_keys(
        "跟进：华东机电有限公司 的关键人 潘平 已离开",
        "潘平（决策者）已于 2026-12-03 由 李强 接替。"
        "请拜访新的关键人，了解其需求并商定我方的应对。",
    )
    assert chinese["detail_key"] == "customers.stakeholder_replaced.detail"
    assert chinese["text_params"]["successor"] == "李强"
    assert chinese["text_params"]["role"] == "decision_maker"
    # a title a person typed is not the system's
    assert migration.stakeholder_text_keys("给潘平打电话", "") is None


def test_a_converted_old_follow_up_reads_in_the_other_language(org_tree):
    migration = importlib.import_module("salesorg.targets.migrations.0007_action_item_text_keys")
    converted = migration.stakeholder_text_keys(
        "跟进：华东机电有限公司 的关键人 潘平 已离开",
        "潘平（关键人）已于 2026-12-03 离开。请了解由谁接手决策，并稳固客户关系。",
    )
    item = ActionItem.objects.create(
        title="跟进：华东机电有限公司 的关键人 潘平 已离开",
        owner=org_tree.people["rep_east1a"],
        due_date=date(2026, 12, 10),
        origin=ActionOrigin.STAKEHOLDER,
        **converted,
    )
    with translation.override("en"):
        assert item.display_title == "Follow up: key stakeholder 潘平 left 华东机电有限公司"
        assert item.display_detail.startswith("潘平 (key stakeholder) left on 2026-12-03.")


# --- credit approvals ---------------------------------------------------------------------------


def _held_order(org_tree, *, language: str) -> CreditApproval:
    today = timezone.localdate()
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"], credit_limit=Decimal("1000"))
    InvoiceFactory(
        customer=customer,
        invoice_date=today - timedelta(days=200),
        due_date=today - timedelta(days=120),
        amount=Decimal("12600.00"),
    )
    line = LineData(
        line_no=1,
        product_id=ProductFactory().pk,
        quantity=Decimal("1"),
        amount=Decimal("400.01"),
        cost=Decimal("1.00"),
    )
    with translation.override(language):
        order = order_save(
            order=Order(customer=customer, rep=customer.owner, order_date=today),
            actor=org_tree.user("manager_east1"),
            lines=[line],
        )
    return CreditApproval.objects.get(order=order)


def test_credit_reasons_written_for_an_english_request_read_in_chinese(org_tree, client):
    approval = _held_order(org_tree, language="en")
    with translation.override("zh-hans"):
        reasons = approval.reason_texts
    assert len(reasons) == 2
    assert all(money in reasons[0] for money in ("¥12,600.00", "¥400.01", "¥1,000.00"))
    assert "信用额度" in reasons[0] and "¥12,600.00" in reasons[1] and "90" in reasons[1]
    assert not any(LATIN.search(reason) for reason in reasons)
    client.force_login(org_tree.user("manager_east1"))
    page = client.get(approval.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert reasons[0] in page and "exceed the credit limit" not in page


def test_credit_reasons_written_for_a_chinese_request_read_in_english(org_tree):
    approval = _held_order(org_tree, language="zh-hans")
    with translation.override("en"):
        assert approval.reason_texts[0] == (
            "Open receivables ¥12,600.00 plus this order ¥400.01 exceed the credit limit ¥1,000.00."
        )
    answer = _api(org_tree, "manager_east1", "en").get(f"/api/v1/credit-approvals/{approval.pk}")
    assert answer.status_code == 200, answer.content
    assert "exceed the credit limit ¥1,000.00." in answer.json()["reasons"]


def test_old_credit_reasons_written_as_sentences_are_converted_to_keys():
    migration = importlib.import_module("salesorg.customers.migrations.0006_credit_reason_keys")
    converted = migration.credit_reason_keys_of(
        "未收应收款 ¥12,600.00 加本订单 ¥400.01 超过信用额度 ¥1,000.00。\n"
        "The customer has ¥12,600.00 of invoices more than 90 days overdue."
    )
    assert converted == [
        {
            "key": "customers.credit.limit_exceeded",
            "params": {"open": "12600.00", "amount": "400.01", "limit": "1000.00"},
        },
        {"key": "customers.credit.overdue", "params": {"amount": "12600.00", "days": 90}},
    ]
    # reasons a person wrote (or any not recognised) stay as they are
    assert migration.credit_reason_keys_of("limit") is None
