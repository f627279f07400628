"""Org writes: memberships never overlap; set-password enables a login."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from salesorg.org.models import Membership
from salesorg.org.services import org_record_save, person_set_password
from tests.factories import MembershipFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "start,end",
    [
        (date(2024, 6, 30), None),  # starts on the last day of the existing one
        (date(2023, 1, 1), date(2024, 1, 1)),  # ends on its first day
        (date(2024, 3, 1), date(2024, 3, 31)),  # inside it
        (date(2023, 1, 1), None),  # open, covering it
    ],
)
def test_overlapping_memberships_are_refused(start, end):
    existing = MembershipFactory(start_date=date(2024, 1, 1), end_date=date(2024, 6, 30))
    other_team = TeamFactory()
    new = Membership(person=existing.person, team=other_team, start_date=start, end_date=end)
    with pytest.raises(ValidationError) as error:
        org_record_save(instance=new)
    assert "overlaps" in error.value.message_dict["start_date"][0]
    assert Membership.objects.count() == 1


def test_a_membership_starting_the_day_after_is_accepted():
    existing = MembershipFactory(start_date=date(2024, 1, 1), end_date=date(2024, 6, 30))
    new = Membership(person=existing.person, team=TeamFactory(), start_date=date(2024, 7, 1))
    org_record_save(instance=new)
    assert Membership.objects.filter(person=existing.person).count() == 2


def test_editing_a_membership_does_not_collide_with_itself():
    existing = MembershipFactory(start_date=date(2024, 1, 1), end_date=None)
    existing.end_date = date(2024, 12, 31)
    org_record_save(instance=existing)
    existing.refresh_from_db()
    assert existing.end_date == date(2024, 12, 31)


def test_end_before_start_is_refused():
    membership = Membership(
        person=PersonFactory(),
        team=TeamFactory(),
        start_date=date(2024, 5, 1),
        end_date=date(2024, 4, 30),
    )
    with pytest.raises(ValidationError):
        org_record_save(instance=membership)


def test_leave_before_hire_is_refused():
    person = PersonFactory.build(hire_date=date(2024, 5, 1), leave_date=date(2024, 4, 1))
    with pytest.raises(ValidationError):
        org_record_save(instance=person)


def test_set_password_creates_a_login_named_after_the_person_code(client):
    person = PersonFactory(code="R0042")
    person_set_password(person=person, password="correct-horse-42")
    person.refresh_from_db()
    assert person.user.username == "R0042"
    response = client.post(
        "/accounts/login/", {"username": "R0042", "password": "correct-horse-42"}
    )
    assert response.status_code == 302 and response.url == "/"


def test_set_password_refuses_a_weak_password():
    person = PersonFactory()
    with pytest.raises(ValidationError):
        person_set_password(person=person, password="123")
    person.refresh_from_db()
    assert person.user is None
