"""salesorg customer-lifecycle [--as-of DATE]: recompute every customer's lifecycle stage."""

import time
from datetime import date

from django.core.management.base import BaseCommand

from salesorg.customers.services.customers import customers_lifecycle_recompute


class Command(BaseCommand):
    help = "Recompute the lifecycle stage of every customer from its orders (set-based)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of",
            dest="as_of",
            type=date.fromisoformat,
            default=None,
            help="reference date YYYY-MM-DD (default today)",
        )

    def handle(self, *args, as_of: date | None, **options):
        started = time.perf_counter()
        counts = customers_lifecycle_recompute(as_of=as_of)
        changed = counts.pop("changed")
        summary = ", ".join(f"{stage} {count}" for stage, count in counts.items())
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Customer lifecycle: {summary}; {changed} changed ({elapsed:.2f} s).")
