"""The daily e-mail digest (#18 point 5) against a real SMTP server the test starts (aiosmtpd on
a loopback port): the mail arrives once a day, at the reader's time, in the reader's language,
with their items and absolute links, without the kinds they left out."""

import socket
from datetime import datetime, time, timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings
from django.utils import timezone

from salesorg.core.digest import digests_send_due
from salesorg.core.models import DigestSend
from salesorg.core.notifications import notification_preference_save
from salesorg.core.scheduler import job_run_once, scheduled_job
from salesorg.targets.choices import ActionOrigin
from salesorg.work.actions import action_item_create, follow_up_create

BASE_URL = "https://sales.example.com"


class Inbox:
    """An aiosmtpd handler keeping every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address):
        return [message for rcpt, message in self.messages if address in rcpt]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            SALESORG_MAIL_ENABLED=True,
            SALESORG_BASE_URL=BASE_URL,
            DEFAULT_FROM_EMAIL="SalesOrg <salesorg@example.com>",
        ):
            yield inbox
    finally:
        controller.stop()


def _reader(org_tree, key, *, email, language, digest_kinds_off=(), at=time(8, 0)):
    user = org_tree.user(key)
    user.email = email
    user.save(update_fields=["email"])
    notification_preference_save(
        user=user,
        language=language,
        digest=True,
        digest_time=at,
        kinds_off=[],
        digest_kinds_off=digest_kinds_off,
    )
    return user


def _due_work(org_tree, org_records, key, today):
    person = org_tree.people[key]
    overdue = action_item_create(
        title=f"整改陈列 {key}",
        owner=person,
        due_date=today - timedelta(days=3),
        origin=ActionOrigin.OTHER,
    )
    follow_up = follow_up_create(
        source=org_records.customers[key],
        title=f"回访报价 {key}",
        due_date=today,
        actor=person.user,
        today=today,
    )
    return overdue, follow_up


def _body(message) -> tuple[str, str]:
    return (
        message.get_body(preferencelist=("plain",)).get_content(),
        message.get_body(preferencelist=("html",)).get_content(),
    )


def test_the_digest_reaches_each_reader_once_in_their_language(org_tree, org_records, smtp_server):
    today = timezone.localdate()
    nine = timezone.make_aware(datetime.combine(today, time(9, 0)))
    zh = _reader(org_tree, "rep_east1a", email="zhang@example.com", language="zh-hans")
    en = _reader(
        org_tree,
        "rep_east1b",
        email="li@example.com",
        language="en",
        digest_kinds_off=["follow_ups"],
    )
    late = _reader(org_tree, "rep_east2a", email="late@example.com", language="en", at=time(18, 0))
    zh_item, zh_follow_up = _due_work(org_tree, org_records, "rep_east1a", today)
    en_item, en_follow_up = _due_work(org_tree, org_records, "rep_east1b", today)
    _due_work(org_tree, org_records, "rep_east2a", today)

    counts = digests_send_due(now=nine)

    assert counts["sent"] == 2 and counts["failed"] == 0
    assert smtp_server.to(late.email) == []  # their time (18:00) has not come
    [zh_mail] = smtp_server.to(zh.email)
    zh_text, zh_html = _body(zh_mail)
    assert "项待处理" in zh_mail["Subject"]
    assert zh_mail["Content-Language"] == "zh-hans"
    assert "已逾期" in zh_text and "整改陈列 rep_east1a" in zh_text
    assert "回访报价 rep_east1a" in zh_text  # the follow-up kind is kept by this reader
    assert f"{BASE_URL}{zh_item.get_absolute_url()}" in zh_text
    assert f'href="{BASE_URL}{zh_follow_up.get_absolute_url()}"' in zh_html
    assert "rep_east1b" not in zh_text  # nobody else's items

    [en_mail] = smtp_server.to(en.email)
    en_text, en_html = _body(en_mail)
    assert en_mail["Content-Language"] == "en"
    assert "due to you" in en_text and "Overdue" in en_text
    assert "整改陈列 rep_east1b" in en_text  # the item's own title, as its owner wrote it
    assert f"{BASE_URL}{en_item.get_absolute_url()}" in en_text
    assert "回访报价" not in en_text and en_follow_up.get_absolute_url() not in en_html
    assert "已逾期" not in en_text

    # the job runs again a few minutes later (or on another machine): no second mail today
    assert digests_send_due(now=nine + timedelta(minutes=15))["sent"] == 0
    assert len(smtp_server.to(zh.email)) == 1 and len(smtp_server.to(en.email)) == 1
    assert DigestSend.objects.filter(day=today, sent_at__isnull=False).count() == 2


def test_a_failed_send_is_tried_again_and_mail_off_sends_nothing(org_tree, org_records):
    today = timezone.localdate()
    nine = timezone.make_aware(datetime.combine(today, time(9, 0)))
    reader = _reader(org_tree, "rep_east1a", email="zhang@example.com", language="zh-hans")
    _due_work(org_tree, org_records, "rep_east1a", today)
    with override_settings(SALESORG_MAIL_ENABLED=False):
        assert digests_send_due(now=nine) == {"sent": 0, "empty": 0, "failed": 0}
        run = job_run_once(job=scheduled_job("notification-digest"), slot=timezone.now())
        assert run.result == {"sent": 0, "empty": 0, "failed": 0}
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=_free_port(),  # nothing listens there
        EMAIL_USE_TLS=False,
        EMAIL_TIMEOUT=2,
        SALESORG_MAIL_ENABLED=True,
    ):
        assert digests_send_due(now=nine)["failed"] == 1
    assert not DigestSend.objects.filter(user=reader).exists()  # the claim was given back
