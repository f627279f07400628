"""salesorg evaluate-customers [--as-of DATE]: evaluate every customer (S19), set-based."""

import time
from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from salesorg.customers.services.credit import customers_evaluate


class Command(BaseCommand):
    help = (
        "Evaluate every customer with the scoring model as of a date, store the evaluations and "
        "open a root-cause record for every downgrade; earlier downgrades record whether they "
        "recovered."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of",
            dest="as_of",
            type=date.fromisoformat,
            default=None,
            help="evaluation date YYYY-MM-DD (default today)",
        )

    def handle(self, *args, as_of: date | None, **options):
        started = time.perf_counter()
        run = customers_evaluate(as_of=as_of or timezone.localdate())
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Customer evaluation as of {run.as_of:%Y-%m-%d}: {run.evaluated} customers, "
            f"{run.unrated} unrated, {run.downgrades} downgrades, "
            f"{run.root_causes_opened} root causes opened, "
            f"{run.recoveries_checked} earlier downgrades checked for recovery ({elapsed:.2f} s)."
        )
