"""Interchange's menu group: the import page, for whoever manages the organization."""

from django.utils.translation import gettext_lazy as _

from salesorg.core.registry import MenuEntry, MenuGroup, register_menu_entries, register_menu_group
from salesorg.core.roles import can_manage_org


def menu_register() -> None:
    """Register the "Import" group, last in the bar."""
    register_menu_group(MenuGroup(key="import", label=_("Import"), icon="upload", position=70))
    register_menu_entries(
        MenuEntry(
            group="import",
            position=10,
            url_name="interchange:import",
            label=_("Import"),
            icon="upload",
            shown_to=can_manage_org,
        )
    )
