"""Development's menu group and pages: training for everyone with a role, coaching (“My
coaching” for reps), targeted training for trainers; and culture, in the org group."""

from django.utils.translation import gettext_lazy as _

from salesorg.core.registry import MenuEntry, MenuGroup, register_menu_entries, register_menu_group
from salesorg.core.roles import LEADERS, Role, role_among

has_role = role_among(Role)


def menu_register() -> None:
    """Register the "Development" group and its pages, and culture under "Organization"."""
    register_menu_group(
        MenuGroup(key="development", label=_("Development"), icon="mortarboard", position=60)
    )
    register_menu_entries(
        MenuEntry(
            group="org",
            position=30,
            url_name="development:culture",
            label=_("Culture"),
            icon="award",
            shown_to=has_role,
        ),
        MenuEntry(
            group="development",
            position=10,
            url_name="development:materials",
            label=_("Training"),
            icon="book",
            shown_to=has_role,
        ),
        MenuEntry(
            group="development",
            position=20,
            url_name="development:coaching",
            label=_("Coaching"),
            icon="person-check",
            shown_to=role_among(LEADERS),
        ),
        MenuEntry(
            group="development",
            position=20,
            url_name="development:coaching",
            label=_("My coaching"),
            icon="person-check",
            shown_to=role_among({Role.REP}),
        ),
        MenuEntry(
            group="development",
            position=20,
            url_name="development:targeted",
            label=_("Targeted training"),
            icon="bullseye",
            shown_to=role_among({Role.TRAINER}),
        ),
        MenuEntry(
            group="development",
            position=40,
            url_name="development:leaver_check",
            label=_("Leaver check"),
            icon="person-dash",
            shown_to=role_among(LEADERS),
        ),
    )
