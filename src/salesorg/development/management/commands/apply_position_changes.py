"""salesorg apply-position-changes [--date YYYY-MM-DD]: apply approved promotions that are due."""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from salesorg.development.services.personnel import position_changes_apply


class Command(BaseCommand):
    help = "Apply the approved position changes whose effective date has come (run daily)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            default=None,
            help="apply changes effective on or before this date (default today)",
        )

    def handle(self, *args, date: date | None, **options):
        applied = position_changes_apply(today=date or timezone.localdate())
        self.stdout.write(f"{applied} position changes applied.")
