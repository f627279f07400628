from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from salesorg.core.registry import (
    register_home_part,
    register_person_resolver,
    register_scope_builder,
)
from salesorg.core.roles import EVERYONE


class OrgConfig(AppConfig):
    name = "salesorg.org"
    label = "org"
    verbose_name = _("Organization")

    def ready(self) -> None:
        from salesorg.org import menu, scoping

        register_person_resolver(scoping.person_of_login)
        register_scope_builder(scoping.scope_of_login)
        register_home_part(position=10, roles=EVERYONE, build="salesorg.org.home.home_context")
        menu.menu_register()
