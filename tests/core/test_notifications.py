"""The notification centre (#18 point 5): each person gets what is due to them as
notifications, once per item, with an unread count in the top bar, a page, and API operations."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from salesorg.api.models import ApiToken
from salesorg.core.models import Notification
from salesorg.core.notifications import notification_preference_save, notifications_refresh
from salesorg.core.scheduler import job_slot, scheduled_job
from salesorg.customers.choices import ContactRole
from salesorg.customers.services.stakeholders import stakeholder_follow_up
from salesorg.targets.choices import ActionOrigin
from salesorg.work.actions import action_item_create, follow_up_create
from tests.factories import ContactFactory


@pytest.fixture
def today():
    return timezone.localdate()


def _overdue_item(person, today, title="整改陈列"):
    return action_item_create(
        title=title, owner=person, due_date=today - timedelta(days=2), origin=ActionOrigin.OTHER
    )


def _texts(user) -> list[str]:
    return [row.texts["zh-hans"] for row in Notification.objects.filter(recipient=user)]


def test_an_overdue_action_item_is_notified_once_however_often_the_job_runs(org_tree, today):
    rep = org_tree.people["rep_east1a"]
    item = _overdue_item(rep, today)
    for _run in range(3):
        notifications_refresh(user=rep.user)
    rows = list(Notification.objects.filter(recipient=rep.user, kind="action_items"))
    assert len(rows) == 1
    row = rows[0]
    assert (row.kind, row.url, row.overdue) == ("action_items", item.get_absolute_url(), True)
    assert "整改陈列" in row.texts["zh-hans"] and "整改陈列" in row.texts["en"]
    assert row.texts["zh-hans"] != row.texts["en"]  # each language's own sentence
    # the rep's manager is told too (their people's overdue items), as a notification of theirs
    manager = org_tree.user("manager_east1")
    notifications_refresh(user=manager)
    assert Notification.objects.filter(recipient=manager, kind="action_items").count() == 1


def test_an_item_done_is_no_longer_due_and_leaves_the_unread_count(org_tree, today):
    rep = org_tree.people["rep_east1a"]
    item = _overdue_item(rep, today)
    notifications_refresh(user=rep.user)
    client = org_tree.client("rep_east1a")
    home = client.get("/").content.decode()
    unread = Notification.objects.filter(recipient=rep.user, kind="other").count() + 1
    assert 'id="notifications-bell"' in home and f"data-unread>{unread}<" in home
    item.status = "done"
    item.save()
    counts = notifications_refresh(user=rep.user)
    assert counts["resolved"] == 1
    row = Notification.objects.get(recipient=rep.user, kind="action_items")
    assert row.resolved_at is not None
    assert f"data-unread>{unread - 1}<" in client.get("/").content.decode()


def test_follow_ups_stakeholder_changes_and_approvals_come_as_their_kinds(
    org_tree, org_records, today
):
    rep = org_tree.people["rep_east1a"]
    customer = org_records.customers["rep_east1a"]
    follow_up_create(source=customer, title="回访报价", due_date=today, actor=rep.user, today=today)
    contact = ContactFactory(customer=customer, name="王总", role=ContactRole.DECISION_MAKER)
    stakeholder_follow_up(contact=contact, previous=None, today=today)
    notifications_refresh(user=rep.user)
    kinds = dict(Notification.objects.filter(recipient=rep.user).values_list("kind", "texts"))
    assert "回访报价" in kinds["follow_ups"]["zh-hans"]
    assert "王总" in kinds["stakeholders"]["zh-hans"]
    assert "王总" in kinds["stakeholders"]["en"]


def test_a_kind_turned_off_leaves_the_centre_and_is_not_created_again(org_tree, today):
    rep = org_tree.people["rep_east1a"]
    _overdue_item(rep, today)
    notifications_refresh(user=rep.user)
    notification_preference_save(
        user=rep.user,
        language="en",
        digest=True,
        digest_time=timezone.localtime().time(),
        kinds_off=["action_items"],
        digest_kinds_off=[],
    )
    notifications_refresh(user=rep.user)
    assert not Notification.objects.filter(recipient=rep.user, kind="action_items").exists()
    assert Notification.objects.filter(recipient=rep.user, kind="other").exists()


def test_the_badge_costs_one_query_and_nothing_without_login(org_tree, today):
    rep = org_tree.people["rep_east1a"]
    _overdue_item(rep, today)
    notifications_refresh(user=rep.user)
    client = org_tree.client("rep_east1a")
    url = "/notifications/preferences/"
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    badge = [q for q in captured.captured_queries if '"core_notification"' in q["sql"]]
    assert len(badge) == 1 and "COUNT" in badge[0]["sql"].upper()
    assert "notifications-bell" not in Client().get("/accounts/login/").content.decode()


def test_the_centre_lists_newest_first_marks_read_and_opens_the_link(org_tree, today):
    rep = org_tree.people["rep_east1a"]
    first = _overdue_item(rep, today, title="第一件")
    notifications_refresh(user=rep.user, now=timezone.now() - timedelta(hours=1))
    _overdue_item(rep, today, title="第二件")
    client = org_tree.client("rep_east1a")
    page = client.get("/notifications/").content.decode()
    assert page.index("第二件") < page.index("第一件")
    assert page.count('data-kind="action_items"') == 2
    older = Notification.objects.get(recipient=rep.user, url=first.get_absolute_url())
    response = client.get(f"/notifications/open/?id={older.pk}")
    assert response.status_code == 302 and response["Location"] == first.get_absolute_url()
    older.refresh_from_db()
    assert older.read_at is not None
    unread = client.get("/notifications/?unread=1").content.decode()
    assert "第二件" in unread and "第一件" not in unread
    client.post("/notifications/read/", {"all": "1"})
    assert not Notification.objects.filter(recipient=rep.user, read_at__isnull=True).exists()
    # another person's notification does not open, nor is it marked
    other = org_tree.client("rep_east1b")
    assert other.get(f"/notifications/open/?id={older.pk}").status_code == 404
    assert other.post("/notifications/read/", {"id": older.pk}).status_code == 404
    assert other.get("/notifications/open/?id=99999999999999999999").status_code == 404


def test_the_centre_page_is_paginated(org_tree, today):
    rep = org_tree.people["rep_east1a"]
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            recipient=rep.user,
            kind="other",
            key=f"test|{number}",
            texts={"zh-hans": f"提醒{number:02d}", "en": f"Reminder {number:02d}"},
            url="/",
            created_at=now - timedelta(minutes=number),
        )
        for number in range(35)
    )
    client = org_tree.client("rep_east1a")
    client.cookies.load({"django_language": "en"})
    first = client.get("/notifications/").content.decode()
    assert "Reminder 00" in first and "Reminder 34" not in first
    second = client.get("/notifications/?page=2").content.decode()
    assert "Reminder 34" in second


def test_the_api_lists_counts_and_marks_only_the_callers_own(org_tree, today):
    rep = org_tree.people["rep_east1a"]
    _overdue_item(rep, today)
    notifications_refresh(user=rep.user)
    _token, raw = ApiToken.objects.issue(user=rep.user)
    api = Client(headers={"authorization": f"Bearer {raw}", "accept-language": "en"})
    Notification.objects.exclude(kind="action_items").delete()
    assert api.get("/api/v1/notifications/unread-count").json() == {"unread": 1}
    body = api.get("/api/v1/notifications").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["kind"] == "action_items" and item["text"].startswith("Overdue")
    _other, other_raw = ApiToken.objects.issue(user=org_tree.user("rep_east1b"))
    other = Client(headers={"authorization": f"Bearer {other_raw}"})
    assert other.get("/api/v1/notifications").json()["count"] == 0
    assert other.post(f"/api/v1/notifications/{item['id']}/read").status_code == 404
    marked = api.post(f"/api/v1/notifications/{item['id']}/read").json()
    assert marked["read_at"] is not None
    assert api.get("/api/v1/notifications/unread-count").json() == {"unread": 0}
    assert api.post("/api/v1/notifications/read-all").json() == {"marked": 0}


def test_the_jobs_run_every_few_minutes_on_slots_every_machine_agrees_on():
    job = scheduled_job("notification-digest")
    assert job.every_minutes == 15 and not job.atomic
    base = timezone.localtime().replace(hour=10, minute=15, second=0, microsecond=0)
    for offset in (timedelta(0), timedelta(seconds=1), timedelta(minutes=14, seconds=59)):
        assert job_slot(job, now=base + offset) == base
    assert job_slot(job, now=base + timedelta(minutes=15)) == base + timedelta(minutes=15)
    assert scheduled_job("notifications").every_minutes == 30


def test_the_preference_page_saves_the_digest_time_language_and_kinds(org_tree, today):
    rep = org_tree.people["rep_east1a"]
    _overdue_item(rep, today)
    client = org_tree.client("rep_east1a")
    client.cookies.load({"django_language": "en"})
    page = client.get("/notifications/preferences/").content.decode()
    assert "Outgoing mail is not set up" in page  # SALESORG_SMTP_HOST is unset in the tests
    assert '<option value="en" selected>' in page  # the language the person reads now
    kinds = ["follow_ups", "approvals", "training", "stakeholders", "root_causes", "other"]
    response = client.post(
        "/notifications/preferences/",
        {
            "language": "zh-hans",
            "digest": "on",
            "digest_time": "07:30",
            "kinds_on": kinds,  # overdue action items turned off
            "digest_kinds_on": ["approvals"],
        },
    )
    assert response.status_code == 302
    preference = rep.user.notification_preference
    assert (preference.language, f"{preference.digest_time:%H:%M}") == ("zh-hans", "07:30")
    assert preference.kinds_off == ["action_items"]
    assert set(preference.digest_kinds_off) == set(kinds) - {"approvals"} | {"action_items"}
    centre = client.get("/notifications/").content.decode()
    assert 'data-kind="action_items"' not in centre


def test_the_jobs_page_shows_how_often_the_notification_jobs_run(org_tree):
    client = org_tree.client("admin")
    client.cookies.load({"django_language": "en"})
    page = client.get("/jobs/", secure=True).content.decode()
    assert "every 15 minutes" in page and "every 30 minutes" in page


def test_the_centre_reads_in_a_fixed_number_of_queries_between_refreshes(
    org_tree, today, django_assert_max_num_queries
):
    """Opening the centre refreshes at most every few minutes (the providers cost what the
    home page's reminders cost); in between the page is a few queries, whatever its size."""
    rep = org_tree.people["rep_east1a"]
    for number in range(25):
        _overdue_item(rep, today, title=f"事项{number}")
    client = org_tree.client("rep_east1a")
    client.get("/notifications/")  # refreshes: one row per item
    assert Notification.objects.filter(recipient=org_tree.user("rep_east1a")).count() >= 20
    with django_assert_max_num_queries(12):
        assert client.get("/notifications/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/notifications/?page=2").status_code == 200


def test_switching_the_language_in_the_menu_switches_the_digest_language_too(org_tree):
    from salesorg.core.notifications import notification_preference_of

    rep = org_tree.user("rep_east1a")
    client = org_tree.client("rep_east1a")
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert notification_preference_of(rep).language == "zh-hans"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert notification_preference_of(rep).language == "en"
    # an unknown language changes nothing; someone not logged in has no preference to change
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert notification_preference_of(rep).language == "en"
    assert Client().post("/i18n/setlang/", {"language": "en"}).status_code == 302
