"""Writes to the organization: the only place org rules change data."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model

from salesorg.core.roles import can_manage_org
from salesorg.core.security import logins_ended
from salesorg.org.models import Membership, Person


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
def org_record_delete(*, record: Model, actor: User) -> None:
    """Delete a region, team, person or membership (org managers; records still referred to
    by others are refused by the database's PROTECT)."""
    if not can_manage_org(actor):
        raise PermissionDenied
    record.delete()


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


@transaction.atomic
def leaver_logins_end(*, today: date) -> int:
    """End the logins of people whose last day employed is before `today` and have their API
    tokens revoked; returns how many logins were ended."""
    User = get_user_model()
    leavers = User.objects.filter(person__leave_date__lt=today)
    ended = leavers.filter(is_active=True).update(is_active=False)
    logins_ended.send(sender=leaver_logins_end, users=leavers)  # their API tokens go too
    return ended
