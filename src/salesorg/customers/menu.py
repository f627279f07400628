"""Customers' menu group and pages: the customer list, care (referrals and, for director and
admin, care settings), evaluation, downgrades, credit approvals, proposals and the pipeline."""

from django.utils.translation import gettext_lazy as _

from salesorg.core.registry import MenuEntry, MenuGroup, register_menu_entries, register_menu_group
from salesorg.core.roles import COMPANY_WIDE, SALES_FORCE, Role, role_among
from salesorg.customers.permissions import can_change_care_settings

sells = role_among(SALES_FORCE)
sells_or_finance = role_among(SALES_FORCE | {Role.FINANCE})
company_wide = role_among(COMPANY_WIDE)


def changes_care_settings(user) -> bool:
    """Care settings are for the director and admin (and never a trainer)."""
    return sells_or_finance(user) and can_change_care_settings(user)


def _care_entries() -> tuple[MenuEntry, ...]:
    """The customer list and its care pages: referrals, rewards, satisfaction, settings."""
    return (
        MenuEntry(
            group="customers",
            position=10,
            url_name="customers:customers",
            label=_("Customers"),
            icon="building",
            shown_to=sells_or_finance,
        ),
        MenuEntry(
            group="customers",
            position=20,
            url_name="customers:referrals",
            label=_("Referrals"),
            icon="share",
            shown_to=sells_or_finance,
        ),
        MenuEntry(
            group="customers",
            position=22,
            url_name="customers:rewards",
            label=_("Rewards"),
            icon="gift",
            shown_to=sells,
        ),
        MenuEntry(
            group="customers",
            position=25,
            url_name="customers:satisfaction",
            label=_("Satisfaction by team"),
            icon="emoji-smile",
            shown_to=sells_or_finance,
        ),
        MenuEntry(
            group="customers",
            position=30,
            url_name="customers:settings",
            label=_("Care settings"),
            icon="sliders",
            shown_to=changes_care_settings,
        ),
    )


def menu_register() -> None:
    """Register the "Customers" group and its pages."""
    register_menu_group(
        MenuGroup(key="customers", label=_("Customers"), icon="building", position=30)
    )
    register_menu_entries(
        *_care_entries(),
        MenuEntry(
            group="customers",
            position=40,
            url_name="customers:evaluations",
            label=_("Ratings"),
            icon="shield-check",
            shown_to=sells_or_finance,
        ),
        MenuEntry(
            group="customers",
            position=50,
            url_name="customers:root_causes",
            label=_("Downgrades"),
            icon="graph-down-arrow",
            shown_to=sells_or_finance,
        ),
        MenuEntry(
            group="customers",
            position=60,
            url_name="customers:credit_approvals",
            label=_("Credit approvals"),
            icon="hourglass-split",
            shown_to=sells,
        ),
        MenuEntry(
            group="customers",
            position=70,
            url_name="customers:proposals",
            label=_("Proposals"),
            icon="lightbulb",
            shown_to=sells,
        ),
        MenuEntry(
            group="customers",
            position=80,
            url_name="customers:pipeline",
            label=_("Pipeline"),
            icon="funnel",
            shown_to=sells,
        ),
        MenuEntry(
            group="customers",
            position=85,
            url_name="customers:pipeline_funnel",
            label=_("Pipeline funnel"),
            icon="bar-chart-steps",
            shown_to=sells,
        ),
        MenuEntry(
            group="customers",
            position=90,
            url_name="customers:scoring_settings",
            label=_("Scoring model"),
            icon="sliders",
            shown_to=company_wide,
        ),
    )
