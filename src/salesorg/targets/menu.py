"""Targets' menu group and pages: plans and targets (reps read only), quarterly reviews, PDCA
and action items for people who sell or lead; standards for everyone with a role."""

from django.utils.translation import gettext_lazy as _

from salesorg.core.registry import MenuEntry, MenuGroup, register_menu_entries, register_menu_group
from salesorg.core.roles import SALES_FORCE, Role, role_among

sells = role_among(SALES_FORCE)
has_role = role_among(Role)


def menu_register() -> None:
    """Register the "Goals & plans" group and its pages."""
    register_menu_group(
        MenuGroup(key="goals", label=_("Goals & plans"), icon="bullseye", position=40)
    )
    register_menu_entries(
        MenuEntry(
            group="goals",
            position=10,
            url_name="targets:plans",
            label=_("Plans & targets"),
            icon="bullseye",
            shown_to=sells,
        ),
        MenuEntry(
            group="goals",
            position=20,
            url_name="targets:reviews",
            label=_("Quarterly reviews"),
            icon="clipboard-check",
            shown_to=sells,
        ),
        MenuEntry(
            group="goals",
            position=30,
            url_name="targets:pdca",
            label=_("PDCA"),
            icon="arrow-repeat",
            shown_to=sells,
        ),
        MenuEntry(
            group="goals",
            position=40,
            url_name="targets:action_items",
            label=_("Action items"),
            icon="list-check",
            shown_to=sells,
        ),
        MenuEntry(
            group="goals",
            position=50,
            url_name="targets:standards",
            label=_("Standards"),
            icon="journal",
            shown_to=has_role,
        ),
    )
