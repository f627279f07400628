"""salesorg restore FILE: load a backup into a freshly migrated database (checked first)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from salesorg.core.backup import BackupError, backup_restore
from salesorg.core.backup_files import FILES


class Command(BaseCommand):
    help = (
        "Restore a backup made by `salesorg backup` into a freshly migrated database; values "
        "it cannot hold are refused, naming table, row and field, before anything is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            counts = backup_restore(file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        files = counts.pop(FILES, 0)
        self.stdout.write(
            f"Restored {sum(counts.values())} rows of {len(counts)} tables and {files} files."
        )
