"""Menu entries of customer evaluation, downgrades, credit approvals and development."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesorg.core.roles import Role, role_of

SALES_ROLES = frozenset({Role.DIRECTOR, Role.ADMIN, Role.REGION_HEAD, Role.MANAGER, Role.REP})


def credit_nav_items(user) -> list[dict]:
    """Evaluations and downgrades (also finance), credit approvals, proposals and pipeline."""
    role = role_of(user)
    items = []
    if role in SALES_ROLES or role == Role.FINANCE:
        items.append(
            {"url": reverse("customers:evaluations"), "label": _("Ratings"), "icon": "shield-check"}
        )
        items.append(
            {
                "url": reverse("customers:root_causes"),
                "label": _("Downgrades"),
                "icon": "graph-down-arrow",
            }
        )
    if role in SALES_ROLES:
        items.append(
            {
                "url": reverse("customers:credit_approvals"),
                "label": _("Credit approvals"),
                "icon": "hourglass-split",
            }
        )
        items.append(
            {"url": reverse("customers:proposals"), "label": _("Proposals"), "icon": "lightbulb"}
        )
        items.append(
            {"url": reverse("customers:pipeline"), "label": _("Pipeline"), "icon": "funnel"}
        )
    if role in (Role.DIRECTOR, Role.ADMIN):
        items.append(
            {
                "url": reverse("customers:scoring_settings"),
                "label": _("Scoring model"),
                "icon": "sliders",
            }
        )
    return items
