from django.apps import AppConfig
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from salesorg.core.registry import (
    register_deletion_rule,
    register_home_part,
    register_seeded_models,
)
from salesorg.core.reminders import reminder_modules
from salesorg.core.roles import EVERYONE


class DevelopmentConfig(AppConfig):
    name = "salesorg.development"
    label = "development"
    verbose_name = _("Team development")

    def ready(self) -> None:
        from salesorg.development import menu
        from salesorg.development.jobs import jobs_register
        from salesorg.development.selectors import (  # noqa: F401 (registration)
            targeted,  # its stored training reasons
        )
        from salesorg.development.services import (  # noqa: F401 (registration)
            handover,  # its stored action-item texts
            onboarding,  # its signal
            personnel,  # its stored action-item texts
        )

        menu.menu_register()
        reminder_modules("salesorg.development.reminders")  # imported on first use
        jobs_register()  # position changes and the leavers check, daily
        register_home_part(
            position=30, roles=EVERYONE, build="salesorg.development.home.home_context"
        )
        register_deletion_rule("development.PersonnelReview", personnel_review_kept)
        # migration 0002_coaching creates the default joint-visit rubric
        register_seeded_models("development.Rubric", "development.RubricCriterion")


def personnel_review_kept(review) -> str:
    """Personnel reviews are kept for ever."""
    return gettext("A personnel review is never deleted.")
