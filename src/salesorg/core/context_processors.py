"""Template context shared by every page: the navigation for the user's role."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesorg.core.roles import can_manage_org, person_of, role_of


def navigation(request):
    """Menu entries the logged-in user may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [
        {"url": reverse("home"), "label": _("Home"), "icon": "house"},
        {"url": reverse("org:tree"), "label": _("Organization"), "icon": "diagram-3"},
        {"url": reverse("org:people"), "label": _("People"), "icon": "people"},
    ]
    return {
        "nav_items": items,
        "nav_person": person_of(user),
        "nav_role": role_of(user),
        "nav_can_admin": can_manage_org(user) and user.is_staff,
    }
