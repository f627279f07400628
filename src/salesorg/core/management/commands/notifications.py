"""salesorg notifications: bring every person's notifications up to date now."""

from django.utils.translation import gettext_lazy

from salesorg.core.commands import TranslatedCommand
from salesorg.core.notifications import notifications_refresh_all


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Bring every person's notifications up to date (the scheduler does it every half hour)."
    )

    def handle(self, *args, **options):
        counts = notifications_refresh_all()
        self.stdout.write(", ".join(f"{key} {value}" for key, value in counts.items()))
