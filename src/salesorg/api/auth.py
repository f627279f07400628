"""API authentication: bearer tokens for scripts, the session for the browser."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from salesorg.api.models import ApiToken, hash_token
from salesorg.core.roles import has_left

TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a token from POST /api/v1/auth/token.

    A token is refused once it has expired, its user is inactive or has left, or the user's
    password has changed since it was issued: the events revoke tokens too (api.tokens), but
    this check leaves no window for a change made where no signal is sent.
    """

    def authenticate(self, request, token: str):
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(token), expires_at__gt=timezone.now())
            .first()
        )
        if found is None or not found.is_valid_for_now() or has_left(found.user):
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > TOKEN_TOUCH_INTERVAL:
            ApiToken.objects.filter(id=found.id).update(last_used_at=now)
        request.user = found.user
        request.api_token = found
        return found.user


API_AUTH = [BearerTokenAuth(), SessionAuth()]
