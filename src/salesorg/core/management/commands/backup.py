"""salesorg backup FILE: write every record and its history to a portable file."""

from pathlib import Path

from salesorg.core.backup import backup_write
from salesorg.core.backup_files import FILES, MISSING
from salesorg.core.commands import ReadOnlyCommand


class Command(ReadOnlyCommand):
    help = "Back up every record and its history to FILE (gzip JSON lines, any database)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        counts = backup_write(file, progress=self._progress if options["verbosity"] > 1 else None)
        files, missing = counts.pop(FILES, 0), counts.pop(MISSING, 0)
        self.stdout.write(
            f"Backed up {sum(counts.values())} rows of {len(counts)} tables "
            f"and {files} files to {file}."
        )
        if missing:
            self.stderr.write(f"{missing} files that records name were not in the storage.")

    def _progress(self, label: str, count: int) -> None:
        self.stdout.write(f"  {label}: {count}")
