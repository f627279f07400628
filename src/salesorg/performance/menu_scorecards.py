"""Menu entries of incentive policies, scorecards and sales meetings."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesorg.core.roles import Role, role_of

SCORECARD_ROLES = frozenset(
    {Role.REP, Role.MANAGER, Role.REGION_HEAD, Role.DIRECTOR, Role.ADMIN, Role.FINANCE}
)
MEETING_ROLES = frozenset({Role.REP, Role.MANAGER, Role.REGION_HEAD, Role.DIRECTOR, Role.ADMIN})


def scorecard_nav_items(user) -> list[dict]:
    """Scorecards and meetings for the sales roles; the policy for everyone logged in."""
    role = role_of(user)
    if role is None:
        return []
    items = []
    if role in SCORECARD_ROLES:
        items.append(
            {"url": reverse("performance:scorecards"), "label": _("Scorecards"), "icon": "trophy"}
        )
    if role in MEETING_ROLES:
        items.append(
            {
                "url": reverse("performance:meetings"),
                "label": _("Sales meetings"),
                "icon": "people-fill",
            }
        )
    items.append(
        {
            "url": reverse("performance:policy_list"),
            "label": _("Incentive policy"),
            "icon": "cash-coin",
        }
    )
    return items
