from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterchangeConfig(AppConfig):
    name = "salesorg.interchange"
    label = "interchange"
    verbose_name = _("Interchange")

    def ready(self) -> None:
        from salesorg.interchange import menu

        menu.menu_register()
