"""Django's admin as an installed app whose admin modules load when the admin is first used.

Django's own AdminConfig imports every app's `admin` module at start-up (with their forms
and the versioned change form), which each command from the shell paid for although none
shows the admin. Here they are imported with the URLconf (`salesorg.urls`, which the web
workers load at start) and before the admin's system checks, which inspect them.
"""

from django.contrib import admin
from django.contrib.admin.apps import SimpleAdminConfig
from django.contrib.admin.checks import check_admin_app, check_dependencies
from django.core import checks


class AdminConfig(SimpleAdminConfig):
    """django.contrib.admin without the discovery of the admin modules at start-up."""

    def ready(self) -> None:
        checks.register(check_dependencies, checks.Tags.admin)
        checks.register(check_discovered_admin, checks.Tags.admin)


def check_discovered_admin(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Django's checks of the registered ModelAdmins, once every admin module is imported."""
    admin.autodiscover()
    return check_admin_app(app_configs, **kwargs)
