from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class SalesConfig(AppConfig):
    name = "salesorg.sales"
    label = "sales"
    verbose_name = pgettext_lazy("menu group", "Sales")

    def ready(self) -> None:
        from salesorg.sales import menu

        menu.menu_register()
