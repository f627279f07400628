"""Writes to the organization: the only place org rules change data."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from salesorg.org.models import Membership, Person


def membership_overlap_check(
    *, person_id: int, start_date: date, end_date: date | None, exclude_id: int | None = None
) -> None:
    """Refuse a membership that shares a day with another of the same person."""
    others = Membership.objects.filter(person_id=person_id).select_related("team")
    if exclude_id is not None:
        others = others.exclude(id=exclude_id)
    for other in others:
        if other.overlaps(start_date, end_date):
            raise ValidationError(
                {
                    "start_date": _(
                        "This membership overlaps the membership of team %(team)s "
                        "starting %(start)s."
                    )
                    % {"team": other.team.code, "start": other.start_date.isoformat()}
                }
            )


@transaction.atomic
def org_record_save(*, instance: Model) -> Model:
    """Validate (field rules, constraints and org rules) and save an org record."""
    if isinstance(instance, Membership) and instance.person_id:
        # Lock the person so two concurrent writers cannot both add overlapping ranges.
        Person.objects.select_for_update().filter(id=instance.person_id).first()
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def person_set_password(*, person: Person, password: str):
    """Enable a person's login (username = person code) with the given password."""
    User = get_user_model()
    user = person.user or User.objects.filter(username=person.code).first()
    if user is None:
        user = User(username=person.code)
    user.username = person.code
    user.email = person.email
    user.first_name = person.name[:150]
    validate_password(password, user)
    user.set_password(password)
    user.is_active = True
    user.save()
    if person.user_id != user.id:
        person.user = user
        person.save(update_fields=["user"])
    return user
