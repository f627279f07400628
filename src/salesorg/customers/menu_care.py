"""Menu entries of customer care: the referrals report and, for director and admin, the
lifecycle and reward settings."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesorg.core.roles import Role, role_of
from salesorg.customers.care import can_change_care_settings


def care_nav_items(user) -> list[dict]:
    """The care pages `user` may open."""
    role = role_of(user)
    if role is None or role == Role.TRAINER:
        return []
    items = [{"url": reverse("customers:referrals"), "label": _("Referrals"), "icon": "share"}]
    if can_change_care_settings(user):
        items.append(
            {"url": reverse("customers:settings"), "label": _("Care settings"), "icon": "sliders"}
        )
    return items
