from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    name = "salesorg.development"
    label = "development"
    verbose_name = _("Team development")

    def ready(self) -> None:
        from salesorg.development import onboarding, reminders  # noqa: F401 (registration)
