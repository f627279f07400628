"""API tokens: bearer credentials for scripts and integrations."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def password_fingerprint(user) -> str:
    """A digest of the user's stored password hash: it changes whenever the password does."""
    return hashlib.sha256(user.password.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def issue(self, *, user) -> tuple[ApiToken, str]:
        """Create a token for a user, valid SALESORG_TOKEN_DAYS days; the raw token is returned
        once and only its hash is kept (the user's expired tokens are cleared on the way)."""
        now = timezone.now()
        self.filter(user=user, expires_at__lte=now).delete()
        raw = secrets.token_urlsafe(32)
        token = self.create(
            user=user,
            key_hash=hash_token(raw),
            password_fingerprint=password_fingerprint(user),
            expires_at=now + timedelta(days=ApiToken.lifetime_days()),
        )
        return token, raw

    def unexpired(self) -> ApiTokenQuerySet:
        return self.filter(expires_at__gt=timezone.now())

    def visible_to(self, user) -> ApiTokenQuerySet:
        """A login's own unexpired tokens: the only ones it lists and revokes (an administrator
        manages everyone's in Django admin)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.unexpired().filter(user_id=user.pk)


class ApiToken(models.Model):
    """A bearer token of one user; stored as a SHA-256 hash, never in clear."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    # The password_fingerprint() of the user when the token was issued: a token outlives no
    # password change, however the password was changed.
    password_fingerprint = models.CharField(_("password fingerprint"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"

    @staticmethod
    def lifetime_days() -> int:
        """How many days a new token works (the SALESORG_TOKEN_DAYS setting)."""
        return settings.SALESORG_TOKEN_DAYS

    def is_valid_for_now(self) -> bool:
        """Does this token still open the API: unexpired, its user active, the password the one
        it was issued under?"""
        return (
            self.expires_at > timezone.now()
            and self.user.is_active
            and self.password_fingerprint == password_fingerprint(self.user)
        )
