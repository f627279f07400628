from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    name = "salesorg.development"
    label = "development"
    verbose_name = _("Team development")

    def ready(self) -> None:
        from salesorg.development import (  # noqa: F401 (registration)
            onboarding,
            reminders,
            targeted,  # its stored training reasons
        )
