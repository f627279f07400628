"""Menu entries of coaching for the navigation (called by core.context_processors)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesorg.core.roles import LEADERS, Role, role_of


def coaching_nav_items(user) -> list[dict]:
    """“Coaching” for leaders, “My coaching” for reps, “Targeted training” for trainers."""
    role = role_of(user)
    if role in LEADERS:
        return [
            {"url": reverse("development:coaching"), "label": _("Coaching"), "icon": "person-check"}
        ]
    if role == Role.REP:
        return [
            {
                "url": reverse("development:coaching"),
                "label": _("My coaching"),
                "icon": "person-check",
            }
        ]
    if role == Role.TRAINER:
        return [
            {
                "url": reverse("development:targeted"),
                "label": _("Targeted training"),
                "icon": "bullseye",
            }
        ]
    return []
