"""Menu entries of quarterly reviews, PDCA, standards and action items, per role."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesorg.core.roles import Role, role_of

WORKING_ROLES = (Role.REP, Role.MANAGER, Role.REGION_HEAD, Role.DIRECTOR, Role.ADMIN)


def review_nav_items(user) -> list[dict]:
    """Reviews, PDCA and action items for people who sell or lead; standards for everyone."""
    role = role_of(user)
    if role is None:
        return []
    items = []
    if role in WORKING_ROLES:
        items += [
            {
                "url": reverse("targets:reviews"),
                "label": _("Quarterly reviews"),
                "icon": "clipboard-check",
            },
            {"url": reverse("targets:pdca"), "label": _("PDCA"), "icon": "arrow-repeat"},
            {
                "url": reverse("targets:action_items"),
                "label": _("Action items"),
                "icon": "list-check",
            },
        ]
    items.append({"url": reverse("targets:standards"), "label": _("Standards"), "icon": "journal"})
    return items
