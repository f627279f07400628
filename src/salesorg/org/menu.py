"""Org's menu group and pages: the organization tree and the people list."""

from django.utils.translation import gettext_lazy as _

from salesorg.core.registry import MenuEntry, MenuGroup, register_menu_entries, register_menu_group


def logged_in(user) -> bool:
    """Anyone logged in (the menu is only built for them) may open the org pages."""
    return True


def menu_register() -> None:
    """Register the "Organization" group (first in the bar) and its org pages."""
    register_menu_group(
        MenuGroup(key="org", label=_("Organization"), icon="diagram-3", position=10)
    )
    register_menu_entries(
        MenuEntry(
            group="org",
            position=10,
            url_name="org:tree",
            label=_("Organization"),
            icon="diagram-3",
            shown_to=logged_in,
        ),
        MenuEntry(
            group="org",
            position=20,
            url_name="org:people",
            label=_("People"),
            icon="people",
            shown_to=logged_in,
        ),
    )
