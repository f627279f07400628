"""salesorg leaver-check [--date YYYY-MM-DD]: end leavers' logins and list what they still hold
(run daily)."""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from salesorg.core.scoping import SYSTEM
from salesorg.development.models import HandoverKind
from salesorg.development.selectors.handover import leavers_holding
from salesorg.org.services import leaver_logins_end


class Command(BaseCommand):
    help = (
        "End the logins (and so the API tokens) of people whose last day employed has passed, "
        "and list the records people who have left or are leaving still hold (run daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            default=None,
            help="the day of the check (default today)",
        )

    def handle(self, *args, date: date | None, **options):
        today = date or timezone.localdate()
        ended = leaver_logins_end(today=today)
        self.stdout.write(f"{ended} logins of leavers ended.")
        rows = leavers_holding(user=SYSTEM, today=today)
        for row in rows:
            held = ", ".join(
                f"{kind} {row.counts[kind]}" for kind in HandoverKind.values if row.counts[kind]
            )
            state = "left" if row.has_left else "leaving"
            self.stdout.write(
                f"{row.person.code} {row.person.name} {state} "
                f"{row.person.leave_date.isoformat()}: {held} → {row.handover_url}"
            )
        self.stdout.write(f"{len(rows)} leavers still hold records.")
        if rows:
            self.stderr.write("Hand these records over: see the leaver check page.")
