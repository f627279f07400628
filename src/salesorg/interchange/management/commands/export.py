"""salesorg export DIR [--user CODE]: write every INTERCHANGE.md file from the database."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from salesorg.core.commands import ReadOnlyCommand
from salesorg.interchange.exporter import interchange_export
from salesorg.interchange.progress import terminal_progress
from salesorg.org.models import Person


class Command(ReadOnlyCommand):
    help = "Export the interchange CSV files (INTERCHANGE.md) into a folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="the folder to write the CSV files into")
        parser.add_argument(
            "--user",
            metavar="CODE",
            help="export only the rows the login of this person (by code) may see",
        )

    def handle(self, *args, folder: Path, user: str | None, **options):
        login = None
        if user is not None:
            person = Person.objects.select_related("user").filter(code=user).first()
            if person is None:
                raise CommandError(_("No person with code %(code)s.") % {"code": user})
            if person.user is None:
                raise CommandError(
                    _("Person %(code)s has no login, so there is nothing they may see.")
                    % {"code": user}
                )
            login = person.user
        if folder.exists() and not folder.is_dir():
            raise CommandError(_("%(folder)s is not a folder.") % {"folder": folder})
        counts = interchange_export(
            folder=folder, user=login, progress=terminal_progress(self.stderr)
        )
        for filename, rows in counts.items():
            self.stdout.write(_("%(file)s: %(rows)s rows.") % {"file": filename, "rows": rows})
