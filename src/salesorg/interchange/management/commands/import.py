"""salesorg import DIR [--dry-run]: import a folder of INTERCHANGE.md files, all or nothing."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from salesorg.core.commands import TranslatedCommand
from salesorg.interchange.importer import interchange_import
from salesorg.interchange.progress import terminal_progress


class Command(TranslatedCommand):
    help = "Import a folder of interchange CSV files (INTERCHANGE.md), all or nothing."
    # Django's system checks load every URL, view and API module (about a second, half of
    # a small company's import) and check nothing the import uses: models and tables are
    # checked by the import itself, row by row (#19 point 3).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="the folder holding the CSV files")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the files and write nothing"
        )

    def handle(self, *args, folder: Path, dry_run: bool, **options):
        if not folder.is_dir():
            raise CommandError(_("%(folder)s is not a folder.") % {"folder": folder})
        result = interchange_import(
            folder=folder, dry_run=dry_run, progress=terminal_progress(self.stderr)
        )
        for name in result.ignored_files:
            self.stderr.write(_("Ignored %(file)s: not an interchange file name.") % {"file": name})
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            if result.more_problems:
                self.stderr.write(
                    _("… and %(count)s more problems.") % {"count": result.more_problems}
                )
            raise CommandError(
                _("%(count)s problems found; nothing was written.")
                % {"count": result.problem_count}
            )
        for filename, report in result.files.items():
            if dry_run:
                line = _("%(file)s: %(rows)s rows checked.") % {
                    "file": filename,
                    "rows": report.rows,
                }
            else:
                line = _(
                    "%(file)s: %(rows)s rows, %(created)s created, %(updated)s updated, "
                    "%(unchanged)s unchanged."
                ) % {
                    "file": filename,
                    "rows": report.rows,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                }
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(_("Dry run: no problems found; nothing was written."))
        else:
            self.stdout.write(
                _("Import done. Inferred %(teams)s team managers and %(regions)s region heads.")
                % {
                    "teams": result.inferred_team_managers,
                    "regions": result.inferred_region_heads,
                }
            )
