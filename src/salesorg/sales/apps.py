from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class SalesConfig(AppConfig):
    name = "salesorg.sales"
    label = "sales"
    verbose_name = pgettext_lazy("menu group", "Sales")

    def ready(self) -> None:
        from salesorg.core.photos import photo_target_register
        from salesorg.sales import menu
        from salesorg.sales.permissions import can_attach_photo

        menu.menu_register()
        # Photos of visits and of customers (whose write rule is the sales records' too).
        photo_target_register("sales.Visit", may_attach=can_attach_photo)
        photo_target_register("customers.Customer", may_attach=can_attach_photo)
