"""The files of a backup: every file a stored record names (photos, training attachments),
kept in the backup file after the records and written back to the storage on restore.

Each file is one or more lines `{"file": name, "model": label, "field": name, "data": base64}`
of at most CHUNK bytes each (consecutive lines of one file are appended), so neither side
holds more than one chunk in memory. A file a record names but the storage has lost is left
out and counted ("files missing"); the record still restores.
"""

from __future__ import annotations

import base64
import json
import tempfile
from collections.abc import Callable, Iterator
from typing import IO, Any

from django.apps import apps
from django.core.files import File
from django.db import models
from django.db.models import Model

CHUNK = 1024 * 1024
FILES = "files"
MISSING = "files missing"


def file_fields(stored: list[type[Model]]) -> Iterator[tuple[type[Model], models.FileField]]:
    """The file fields of the stored models (history rows name the same files as text)."""
    for model in stored:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                yield model, field


def files_write(out: IO[str], stored: list[type[Model]], counts: dict[str, int]) -> None:
    """Write every file the stored records name, after them; count them in `counts`."""
    counts[FILES] = counts[MISSING] = 0
    for model, field in file_fields(stored):
        names = model._base_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True)
        storage = field.storage
        for name in names.order_by("pk").iterator():
            try:
                handle = storage.open(name, "rb")
            except (FileNotFoundError, OSError):
                counts[MISSING] += 1
                continue
            with handle:
                place = {"file": name, "model": model._meta.label_lower, "field": field.name}
                first = True
                while True:
                    data = handle.read(CHUNK)
                    if not data and not first:
                        break
                    line = {**place, "data": base64.b64encode(data).decode("ascii")}
                    out.write(json.dumps(line) + "\n")
                    first = False
                    if len(data) < CHUNK:
                        break
            counts[FILES] += 1


def is_file_line(row: Any) -> bool:
    """Is this line of a backup a (part of a) file rather than a record?"""
    return isinstance(row, dict) and "file" in row


def file_line_problem(row: dict) -> str | None:
    """Why a file line cannot be restored here, or None."""
    try:
        model = apps.get_model(row["model"])
        field = model._meta.get_field(row["field"])
        base64.b64decode(row["data"], validate=True)
    except (LookupError, KeyError, TypeError, ValueError):
        return f"the file {row.get('file')!r} is not a file of a SalesOrg record"
    if not isinstance(field, models.FileField) or not isinstance(row["file"], str):
        return f"the file {row.get('file')!r} is not a file of a SalesOrg record"
    return None


class FileRestorer:
    """Writes the files of a backup back to their storage, one file at a time."""

    def __init__(self, counts: dict[str, int], progress: Callable[[str, int], None] | None):
        self.counts = counts
        self.progress = progress
        self.current: dict | None = None
        self.spool: Any = None
        counts.setdefault(FILES, 0)

    def add(self, row: dict) -> None:
        """Take one line of a file (starting the next file when the name changes)."""
        if self.current is None or row["file"] != self.current["file"]:
            self.finish()
            self.current = row
            self.spool = tempfile.SpooledTemporaryFile(max_size=8 * CHUNK)  # noqa: SIM115 (finish)
        self.spool.write(base64.b64decode(row["data"]))

    def finish(self) -> None:
        """Save the file being read (replacing one of the same name in the storage)."""
        if self.current is None:
            return
        row, self.current = self.current, None
        storage = apps.get_model(row["model"])._meta.get_field(row["field"]).storage
        if storage.exists(row["file"]):
            storage.delete(row["file"])
        self.spool.seek(0)
        saved = storage.save(row["file"], File(self.spool, name=row["file"]))
        self.spool.close()
        if saved != row["file"]:  # the storage renamed it: the record would not find it
            raise OSError(f"the storage kept {row['file']!r} as {saved!r}")
        self.counts[FILES] += 1
        if self.progress:
            self.progress(FILES, self.counts[FILES])
