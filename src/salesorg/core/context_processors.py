"""Template context shared by every page: the navigation for the user's role."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from salesorg.core.notifications import notification_unread_count
from salesorg.core.registry import menu_for
from salesorg.core.roles import can_manage_org, person_of, role_of


def navigation(request):
    """Menu entries the logged-in user may open, grouped for the navigation bar (the apps
    register the groups and entries; see core.registry)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    nav_groups = menu_for(user)
    return {
        "nav_home": {"url": reverse("home"), "label": _("Home"), "icon": "house"},
        "nav_groups": nav_groups,
        "nav_items": [item for group in nav_groups for item in group["items"]],
        "nav_person": person_of(user),
        "nav_role": role_of(user),
        "nav_can_admin": can_manage_org(user) and user.is_staff,
    }


def notifications(request):
    """The unread notifications count of the top bar's badge: one count query, made only when
    a page shows the badge."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_unread": SimpleLazyObject(lambda: notification_unread_count(user=user))}
