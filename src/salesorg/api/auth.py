"""API authentication: bearer tokens for scripts, the session for the browser."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from salesorg.api.models import ApiToken, hash_token

TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a token from POST /api/v1/auth/token."""

    def authenticate(self, request, token: str):
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(token), user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > TOKEN_TOUCH_INTERVAL:
            ApiToken.objects.filter(id=found.id).update(last_used_at=now)
        request.user = found.user
        return found.user


API_AUTH = [BearerTokenAuth(), SessionAuth()]
