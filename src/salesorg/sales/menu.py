"""Sales' menu group and record pages: orders, invoices (also finance), visits, expenses,
checklist compliance and visit purposes."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from salesorg.core.registry import MenuEntry, MenuGroup, register_menu_entries, register_menu_group
from salesorg.core.roles import SALES_FORCE, Role, role_among

# Every list is scoped: a rep sees their own records, a manager their team's.
sells = role_among(SALES_FORCE)
sells_or_finance = role_among(SALES_FORCE | {Role.FINANCE})


def menu_register() -> None:
    """Register the "Sales" group and its record pages."""
    register_menu_group(
        MenuGroup(key="sales", label=pgettext_lazy("menu group", "Sales"), icon="cart", position=20)
    )
    register_menu_entries(
        MenuEntry(
            group="sales",
            position=10,
            url_name="sales:orders",
            label=_("Orders"),
            icon="cart",
            shown_to=sells,
        ),
        MenuEntry(
            group="sales",
            position=20,
            url_name="sales:invoices",
            label=_("Invoices"),
            icon="receipt",
            shown_to=sells_or_finance,
        ),
        MenuEntry(
            group="sales",
            position=30,
            url_name="sales:visits",
            label=_("Visits"),
            icon="geo-alt",
            shown_to=sells,
        ),
        MenuEntry(
            group="sales",
            position=40,
            url_name="sales:expenses",
            label=_("Expenses"),
            icon="wallet2",
            shown_to=sells,
        ),
        MenuEntry(
            group="sales",
            position=50,
            url_name="sales:compliance",
            label=_("Checklist compliance"),
            icon="clipboard-check",
            shown_to=sells,
        ),
        MenuEntry(
            group="sales",
            position=60,
            url_name="sales:purposes",
            label=_("Visit purposes"),
            icon="list-check",
            shown_to=sells,
        ),
    )
