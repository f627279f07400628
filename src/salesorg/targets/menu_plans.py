"""Menu entry of the planning pages (research → goals → plans → targets)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesorg.core.roles import Role, role_of

PLAN_MENU_ROLES = frozenset(
    {Role.DIRECTOR, Role.ADMIN, Role.REGION_HEAD, Role.MANAGER, Role.REP}  # reps read only
)


def plan_nav_items(user) -> list[dict]:
    """ "Plans & targets" for the director, admin, region heads, managers and reps."""
    if role_of(user) not in PLAN_MENU_ROLES:
        return []
    return [{"url": reverse("targets:plans"), "label": _("Plans & targets"), "icon": "bullseye"}]
