"""`salesorg rollups rebuild|check`: recompute the engine's rollups, or compare them."""

from datetime import date

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesorg.core.commands import TranslatedCommand
from salesorg.core.scoping import SYSTEM
from salesorg.performance.kpi.indicators import RAW, indicator_table, product_mix
from salesorg.performance.services import rollups


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Rebuild the indicator rollups from the records, or check them against the records."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "check"])
        parser.add_argument(
            "--year",
            type=int,
            help=gettext_lazy("The year that `check` compares (default: this year)."),
        )

    def handle(self, *args, **options):
        if options["action"] == "rebuild":
            rollups.rebuild()
            if options["verbosity"]:
                self.stdout.write(_("The rollups were rebuilt."))
            return
        year = options["year"] or timezone.localdate().year
        start, end = date(year, 1, 1), date(year, 12, 31)
        fast, slow = (
            indicator_table(user=SYSTEM, start=start, end=end),
            indicator_table(user=SYSTEM, start=start, end=end, source=RAW),
        )
        differing = [a.code for a, b in zip(fast.rows, slow.rows, strict=True) if a != b]
        if product_mix(user=SYSTEM, start=start, end=end) != product_mix(
            user=SYSTEM, start=start, end=end, source=RAW
        ):
            differing.append("product mix")
        if differing:
            raise CommandError(
                _("The rollups differ from the records for: %(units)s. Run `rollups rebuild`.")
                % {"units": ", ".join(code or _("Company") for code in differing[:20])}
            )
        if options["verbosity"]:
            self.stdout.write(
                _("The rollups agree with the records for %(year)s.") % {"year": year}
            )
