from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "salesorg.performance"
    label = "performance"
    verbose_name = _("Performance")

    def ready(self) -> None:
        from salesorg.performance import (
            reminders,  # noqa: F401  (registers home reminders)
        )
        from salesorg.performance.receivers import connect_receivers

        connect_receivers()
