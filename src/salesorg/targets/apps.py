from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "salesorg.targets"
    label = "targets"
    verbose_name = _("Targets")

    def ready(self) -> None:
        from salesorg.targets import menu, reminders  # noqa: F401  (reminders register themselves)

        menu.menu_register()
