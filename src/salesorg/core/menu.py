"""Core's menu group: the pages that keep the system running, for administrators."""

from django.utils.translation import gettext_lazy as _

from salesorg.core.registry import MenuEntry, MenuGroup, register_menu_entries, register_menu_group
from salesorg.core.roles import can_manage_org


def menu_register() -> None:
    """Register the "System" group, after every app's, with the job runs page."""
    register_menu_group(MenuGroup(key="system", label=_("System"), icon="gear-wide", position=80))
    register_menu_entries(
        MenuEntry(
            group="system",
            position=10,
            url_name="jobs:runs",
            label=_("Scheduled jobs"),
            icon="clock-history",
            shown_to=can_manage_org,
        )
    )
