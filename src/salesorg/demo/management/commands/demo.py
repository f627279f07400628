"""salesorg demo [--scale N] [--seed S]: load a demo company into an empty database."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from salesorg.demo.care import demo_care_create
from salesorg.demo.checklists import visit_purposes_create
from salesorg.demo.coaching import demo_coaching_create
from salesorg.demo.credit import demo_credit_create
from salesorg.demo.followups import demo_follow_ups_create
from salesorg.demo.notifications import demo_notifications_create
from salesorg.demo.org import DEMO_PASSWORD, demo_company_create
from salesorg.demo.photos import demo_photos_create
from salesorg.demo.pipeline import demo_pipeline_create
from salesorg.demo.plans import demo_plans_create
from salesorg.demo.reviews import demo_reviews_create
from salesorg.demo.sales import demo_records_create
from salesorg.demo.scorecards import demo_scorecards_create
from salesorg.demo.surveys import demo_surveys_create
from salesorg.demo.training import demo_training_create
from salesorg.org.models import Person
from salesorg.performance.services import rollups


class Command(BaseCommand):
    help = "Generate a realistic, deterministic demo company (only into an empty database)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="size: 2×N regions (default 1)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="reference date YYYY-MM-DD (default today)",
        )

    def handle(self, *args, scale: int, seed: int, today: date | None, **options):
        if scale < 1:
            raise CommandError("--scale must be at least 1")
        if Person.objects.exists():
            self.stdout.write("Demo data already loaded (the database has people); nothing to do.")
            self._print_logins(Person.objects.filter(user__isnull=False).order_by("role", "code"))
            return
        today = today or timezone.localdate()
        with transaction.atomic():
            company = demo_company_create(scale=scale, seed=seed, today=today)
            visit_purposes_create()
            with rollups.appending():  # the records are bulk-created, without signals
                counts = demo_records_create(company=company, seed=seed, today=today)
            counts |= demo_care_create(company=company, seed=seed, today=today)
            counts |= demo_surveys_create(company=company, seed=seed, today=today)
            counts |= demo_credit_create(company=company, seed=seed, today=today)
            counts |= demo_pipeline_create(company=company, seed=seed, today=today)
            counts |= demo_reviews_create(company=company, seed=seed, today=today)
            counts |= demo_plans_create(company=company, seed=seed, today=today)
            counts |= demo_training_create(company=company, seed=seed, today=today)
            counts |= demo_scorecards_create(company=company, seed=seed, today=today)
            counts |= demo_coaching_create(company=company, seed=seed, today=today)
            counts |= demo_follow_ups_create(company=company, seed=seed, today=today)
            counts |= demo_notifications_create(company=company, seed=seed, today=today)
            counts |= demo_photos_create(company=company, seed=seed, today=today)
        self.stdout.write(
            f"Demo company: {len(company.regions)} regions, {len(company.teams)} teams, "
            f"{len(company.people)} people."
        )
        self.stdout.write(
            "Demo records: " + ", ".join(f"{count} {kind}" for kind, count in counts.items()) + "."
        )
        self._print_logins(company.logins)

    def _print_logins(self, people) -> None:
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
        for person in people:
            self.stdout.write(f"  {person.code:<8} {person.get_role_display():<16} {person.name}")
