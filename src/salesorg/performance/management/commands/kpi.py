"""`salesorg kpi`: print the indicator table of KPI.md for a period."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesorg.core.commands import ReadOnlyCommand
from salesorg.core.scoping import SYSTEM
from salesorg.performance.kpi.exports import as_json, indicator_csv, indicator_records
from salesorg.performance.kpi.indicators import indicator_table
from salesorg.performance.kpi.periods import PeriodError
from salesorg.performance.management.commands._options import (
    add_period_options,
    parse_date,
    write_output,
)


class Command(ReadOnlyCommand):
    help = gettext_lazy("Print the indicator table (KPI.md) for a period as CSV or JSON.")

    def add_arguments(self, parser):
        add_period_options(parser)

    def handle(self, *args, **options):
        start = parse_date(value=options["start"], option="--from")
        end = parse_date(value=options["end"], option="--to")
        try:
            table = indicator_table(user=SYSTEM, start=start, end=end, level=options["level"])
        except PeriodError as error:
            raise CommandError(str(error)) from None
        if not table.targets_available:
            self.stderr.write(
                _(
                    "The period does not cover whole months: targets and target-based "
                    "rates are empty."
                )
            )
        if options["output_format"] == "json":
            text = as_json(records=indicator_records(rows=table.rows))
        else:
            text = indicator_csv(rows=table.rows)
        write_output(self, text=text, output=options["output"])
