"""salesorg notification-digest: mail the daily digests whose time has come."""

from django.utils.translation import gettext_lazy

from salesorg.core.commands import TranslatedCommand
from salesorg.core.digest import digests_send_due, mail_enabled


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Mail the daily notification digests whose time has come and that were not sent "
        "today (the scheduler does it every few minutes); nothing while SALESORG_SMTP_HOST "
        "is unset."
    )

    def handle(self, *args, **options):
        if not mail_enabled():
            self.stderr.write("SALESORG_SMTP_HOST is not set: no mail is sent.")
        counts = digests_send_due()
        self.stdout.write(", ".join(f"{key} {value}" for key, value in counts.items()))
