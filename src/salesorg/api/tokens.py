"""Revoking API tokens: by their owner, and whenever a password, a job or a login ends."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import pre_save
from django.dispatch import receiver

from salesorg.api.models import ApiToken
from salesorg.core.security import logins_ended


@transaction.atomic
def token_revoke(*, token: ApiToken) -> None:
    """Revoke one token (it is deleted: a revoked token is kept nowhere)."""
    token.delete()


@transaction.atomic
def tokens_revoke(*, users: QuerySet | Iterable[int]) -> int:
    """Revoke every token of these users (a queryset of users, or their ids); returns how many
    there were."""
    deleted, _per_model = ApiToken.objects.filter(user__in=users).delete()
    return deleted


@receiver(logins_ended)
def revoke_tokens_of_ended_logins(sender, users, **kwargs) -> None:
    tokens_revoke(users=users)


@receiver(pre_save, sender=get_user_model())
def revoke_tokens_on_password_change_or_deactivation(sender, instance, update_fields=None, **kw):
    """A user saved with a new password or made inactive (password page, Django admin,
    `changepassword`, a person's login form) loses their tokens at once."""
    if instance.pk is None or kw.get("raw"):
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return  # a login saves only last_login
    stored = get_user_model().objects.filter(pk=instance.pk).values("password", "is_active").first()
    if stored is None:
        return
    if instance.password != stored["password"] or (stored["is_active"] and not instance.is_active):
        tokens_revoke(users=[instance.pk])
