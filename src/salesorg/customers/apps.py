from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "salesorg.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from salesorg.customers import reminders  # noqa: F401  (registers the providers)
