from django.apps import AppConfig
from django.contrib import admin
from django.contrib.admin.apps import SimpleAdminConfig
from django.contrib.admin.checks import check_admin_app, check_dependencies
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True  # the app's config among the classes here (AdminConfig is named in settings)
    name = "salesorg.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from salesorg.core import (
            audit,  # noqa: F401  (fills the client address of history rows)
            menu,
            notification_jobs,
            security,  # noqa: F401  (connects the login log)
        )

        menu.menu_register()
        notification_jobs.jobs_register()  # notifications and daily digests


class AdminConfig(SimpleAdminConfig):
    """django.contrib.admin, whose apps' admin modules load when the admin is first used.

    Django's own AdminConfig imports every app's `admin` module at start-up (with their
    forms and the versioned change form), which each command from the shell paid for
    although none shows the admin. Here they are imported with the URLconf (`salesorg.urls`,
    which web workers load at start) and before the admin's system checks inspect them."""

    def ready(self) -> None:
        checks.register(check_dependencies, checks.Tags.admin)
        checks.register(check_discovered_admin, checks.Tags.admin)


def check_discovered_admin(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Django's checks of the registered ModelAdmins, once every admin module is imported."""
    admin.autodiscover()
    return check_admin_app(app_configs, **kwargs)
