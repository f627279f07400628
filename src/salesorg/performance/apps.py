from django.apps import AppConfig, apps
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from salesorg.core.registry import (
    register_after_restore,
    register_deletion_rule,
    register_derived_models,
    register_home_part,
)
from salesorg.core.reminders import reminder_modules
from salesorg.core.roles import SALES_FORCE, Role


class PerformanceConfig(AppConfig):
    name = "salesorg.performance"
    label = "performance"
    verbose_name = _("Performance")

    def ready(self) -> None:
        from salesorg.performance import menu
        from salesorg.performance.receivers import connect_receivers
        from salesorg.performance.services import rollups

        connect_receivers()  # the rollups follow every saved or deleted fact
        menu.menu_register()
        reminder_modules("salesorg.performance.reminders")  # imported on first use
        register_home_part(
            position=20,
            roles=SALES_FORCE | {Role.FINANCE},
            build="salesorg.performance.home.home_context",
        )
        register_deletion_rule("performance.ScorecardPeriod", closed_period_kept)
        register_deletion_rule("performance.Scorecard", closed_scorecard_kept)
        # Rollups are derived from the records: never backed up, rebuilt after a restore.
        rollup_models = [
            model for model in self.get_models() if model.__name__.startswith("Rollup")
        ]
        register_derived_models(*(model._meta.label for model in rollup_models))
        register_after_restore(rollups.rebuild)


def closed_period_kept(period) -> str | None:
    """Closed scorecard periods are kept for ever."""
    return gettext("A closed scorecard period is never deleted.") if period.is_closed else None


def closed_scorecard_kept(scorecard) -> str | None:
    """Scorecards of closed periods are kept for ever (the period's status is read afresh)."""
    periods = apps.get_model("performance", "ScorecardPeriod").objects
    status = periods.filter(pk=scorecard.period_id).values_list("status", flat=True).first()
    return gettext("A closed scorecard is never deleted.") if status == "closed" else None
