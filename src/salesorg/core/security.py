"""Every login, success or failure, goes to the `salesorg.security` log (axes stores them too)."""

from __future__ import annotations

import logging

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from salesorg.core.ratelimit import client_ip

logger = logging.getLogger("salesorg.security")


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs) -> None:
    ip = client_ip(request) if request is not None else ""
    logger.info("login ok user=%s ip=%s", user.get_username(), ip)


@receiver(user_login_failed)
def log_login_failure(sender, credentials, request=None, **kwargs) -> None:
    ip = client_ip(request) if request is not None else ""
    # Only the username is logged: never the password or any other credential.
    logger.warning("login failed user=%s ip=%s", credentials.get("username", ""), ip)
