from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from salesorg.core.reminders import reminder_modules


class TargetsConfig(AppConfig):
    name = "salesorg.targets"
    label = "targets"
    verbose_name = _("Targets")

    def ready(self) -> None:
        from salesorg.targets import menu

        menu.menu_register()
        reminder_modules("salesorg.targets.reminders")  # imported on first use
