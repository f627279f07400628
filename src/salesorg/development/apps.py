from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    name = "salesorg.development"
    label = "development"
    verbose_name = _("Team development")

    def ready(self) -> None:
        from salesorg.development import reminders  # noqa: F401 (registration)
        from salesorg.development.selectors import (  # noqa: F401 (registration)
            targeted,  # its stored training reasons
        )
        from salesorg.development.services import onboarding  # noqa: F401 (its signal)
