"""The salesorg command line: set-password, demo."""

import io
import subprocess
import sys
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from salesorg.core.models import CalendarDay
from salesorg.core.roles import Role
from salesorg.org.models import Membership, Person, Region, Team
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 27)


# The demo's steps after the company; tests/demo runs the whole command and tests each one.
LATER_STEPS = (
    "demo_records_create",
    "demo_care_create",
    "demo_surveys_create",
    "demo_credit_create",
    "demo_pipeline_create",
    "demo_reviews_create",
    "demo_plans_create",
    "demo_training_create",
    "demo_scorecards_create",
    "demo_coaching_create",
    "demo_follow_ups_create",
    "demo_notifications_create",
    "demo_photos_create",
)


@pytest.fixture(autouse=True)
def org_only_demo(monkeypatch):
    """These tests are about the company: the records and the rest have their own tests."""
    for step in LATER_STEPS:
        monkeypatch.setattr(f"salesorg.demo.management.commands.demo.{step}", lambda **kwargs: {})


def _can_log_in(client, username: str, password: str) -> bool:
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302 and response.url == "/"


def test_set_password_reads_the_password_from_stdin(monkeypatch, client):
    PersonFactory(code="M0007")
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-secret-77\n"))
    out = io.StringIO()
    call_command("set_password", "M0007", stdout=out)
    assert "M0007" in out.getvalue()
    assert _can_log_in(client, "M0007", "a-long-secret-77")


def test_set_password_for_an_unknown_person_fails_clearly(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("whatever-123\n"))
    with pytest.raises(CommandError, match="No person with code"):
        call_command("set_password", "NOPE")


def test_the_console_script_accepts_hyphenated_command_names():
    result = subprocess.run(
        [sys.executable, "-m", "salesorg.cli", "set-password", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert "PERSON_CODE" in result.stdout.upper()


def _company_snapshot():
    return (
        list(Region.objects.values_list("code", "name", "head__code")),
        list(Team.objects.values_list("code", "name", "region__code", "manager__code")),
        list(Person.objects.values_list("code", "name", "role", "hire_date", "leave_date")),
        list(
            Membership.objects.values_list("person__code", "team__code", "start_date", "end_date")
        ),
    )


@pytest.mark.django_db(transaction=True)
def test_demo_is_deterministic_and_realistic():
    call_command("demo", "--seed", "7", "--today", TODAY.isoformat(), stdout=io.StringIO())
    first = _company_snapshot()
    call_command("flush", "--no-input")
    call_command("demo", "--seed", "7", "--today", TODAY.isoformat(), stdout=io.StringIO())
    assert _company_snapshot() == first

    roles = set(Person.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert Region.objects.count() == 2 and Team.objects.count() == 4
    # Chinese names, a history of team moves, and people who left.
    assert all("\u4e00" <= p.name[0] <= "\u9fff" for p in Person.objects.all())
    assert Membership.objects.filter(end_date__isnull=False).exists()
    assert Person.objects.filter(leave_date__isnull=False).exists()
    assert CalendarDay.objects.filter(is_workday=True).exists()  # make-up days


def test_demo_scale_grows_the_company_and_second_run_changes_nothing():
    out = io.StringIO()
    call_command("demo", "--scale", "2", "--today", TODAY.isoformat(), stdout=out)
    assert Region.objects.count() == 4
    assert "salesorg2026" in out.getvalue()
    people = Person.objects.count()
    out = io.StringIO()
    call_command("demo", "--today", TODAY.isoformat(), stdout=out)
    assert "already loaded" in out.getvalue()
    assert "D0001" in out.getvalue()  # the logins are shown again
    assert Person.objects.count() == people


def test_demo_logins_cover_every_role_that_uses_the_system(client):
    call_command("demo", "--today", TODAY.isoformat(), stdout=io.StringIO())
    with_login = Person.objects.filter(user__isnull=False)
    assert set(with_login.values_list("role", flat=True)) == set(Role.values)
    rep = with_login.filter(role=Role.REP).order_by("code").first()
    assert _can_log_in(client, rep.code, "salesorg2026")
