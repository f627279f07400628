"""`salesorg product-mix`: print each unit's confirmed sales per category for a period."""

from django.core.management.base import CommandError
from django.utils.translation import gettext_lazy

from salesorg.core.commands import ReadOnlyCommand
from salesorg.core.scoping import SYSTEM
from salesorg.performance.kpi.exports import as_json, product_mix_csv, product_mix_records
from salesorg.performance.kpi.indicators import product_mix
from salesorg.performance.kpi.periods import PeriodError
from salesorg.performance.management.commands._options import (
    add_period_options,
    parse_date,
    write_output,
)


class Command(ReadOnlyCommand):
    help = gettext_lazy("Print the product mix (KPI.md) per unit and category as CSV or JSON.")

    def add_arguments(self, parser):
        add_period_options(parser)

    def handle(self, *args, **options):
        start = parse_date(value=options["start"], option="--from")
        end = parse_date(value=options["end"], option="--to")
        try:
            rows = product_mix(user=SYSTEM, start=start, end=end, level=options["level"])
        except PeriodError as error:
            raise CommandError(str(error)) from None
        if options["output_format"] == "json":
            text = as_json(records=product_mix_records(rows=rows))
        else:
            text = product_mix_csv(rows=rows)
        write_output(self, text=text, output=options["output"])
