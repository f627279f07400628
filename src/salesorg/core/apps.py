from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
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
