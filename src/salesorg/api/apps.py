from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "salesorg.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        from salesorg.api import tokens  # noqa: F401  (revokes tokens on password/login events)
