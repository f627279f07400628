"""Performance's menu group and pages: indicators and dashboards, scorecards, sales meetings
and the incentive policy."""

from django.utils.translation import gettext_lazy as _

from salesorg.core.registry import MenuEntry, MenuGroup, register_menu_entries, register_menu_group
from salesorg.core.roles import SALES_FORCE, Role, role_among

sells_or_finance = role_among(SALES_FORCE | {Role.FINANCE})  # indicators, dashboards, scorecards
sells = role_among(SALES_FORCE)  # sales meetings
has_role = role_among(Role)  # the incentive policy


def menu_register() -> None:
    """Register the "Performance" group and its pages."""
    register_menu_group(
        MenuGroup(key="performance", label=_("Performance"), icon="graph-up", position=50)
    )
    register_menu_entries(
        MenuEntry(
            group="performance",
            position=10,
            url_name="performance:kpi",
            label=_("Indicators"),
            icon="graph-up",
            shown_to=sells_or_finance,
        ),
        MenuEntry(
            group="performance",
            position=20,
            url_name="performance:dashboards",
            label=_("Dashboards"),
            icon="bar-chart-line",
            shown_to=sells_or_finance,
        ),
        MenuEntry(
            group="performance",
            position=30,
            url_name="performance:scorecards",
            label=_("Scorecards"),
            icon="trophy",
            shown_to=sells_or_finance,
        ),
        MenuEntry(
            group="performance",
            position=40,
            url_name="performance:meetings",
            label=_("Sales meetings"),
            icon="people-fill",
            shown_to=sells,
        ),
        MenuEntry(
            group="performance",
            position=50,
            url_name="performance:policy_list",
            label=_("Incentive policy"),
            icon="cash-coin",
            shown_to=has_role,
        ),
    )
