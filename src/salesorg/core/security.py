"""Every login, success or failure, goes to the `salesorg.security` log (axes stores them too)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import Signal, receiver
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from salesorg.core.ratelimit import client_ip

logger = logging.getLogger("salesorg.security")

# Sent with `users` (a queryset of users) when logins end in bulk (leavers): whoever holds
# credentials of those users (the API's tokens) revokes them. A save of one user needs no
# signal: the API watches its password and active flag itself.
logins_ended = Signal()


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs) -> None:
    ip = client_ip(request) if request is not None else ""
    logger.info("login ok user=%s ip=%s", user.get_username(), ip)


@receiver(user_login_failed)
def log_login_failure(sender, credentials, request=None, **kwargs) -> None:
    ip = client_ip(request) if request is not None else ""
    # Only the username is logged: never the password or any other credential.
    logger.warning("login failed user=%s ip=%s", credentials.get("username", ""), ip)


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out login gets: JSON {"detail"} from the API, the lock-out page else."""
    status = settings.AXES_HTTP_RESPONSE_CODE  # type: ignore[misc]  # django-axes' setting
    if request.path.startswith("/api/"):
        detail = _("Too many failed logins: this account is locked for an hour.")
        return JsonResponse({"detail": detail}, status=status)
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=status)
