"""Streaming CSV reading and writing in the interchange dialect (UTF-8, RFC 4180, `\\n`)."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

PROGRESS_EVERY = 5000


@dataclass(frozen=True)
class Progress:
    """Where an import or export stands in one file, for a progress bar."""

    phase: str
    filename: str
    rows: int
    bytes_done: int
    bytes_total: int
    finished: bool = False


ProgressCallback = Callable[[Progress], None]


class NotUtf8Error(ValueError):
    """A file that is not UTF-8 text; `line` is the first line that is not."""

    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


class CsvSource:
    """One CSV file read row by row: a header, then (line number, cells) pairs.

    A BOM is skipped; rows that are empty or hold only blanks are skipped; the line
    number is that of the row's first physical line (the header is line 1).
    """

    def __init__(self, path: Path):
        self.path = path
        self.bytes_total = path.stat().st_size
        self._binary: IO[bytes] = path.open("rb")
        # Decoded in blocks (fast); a bad byte is then located line by line (rare).
        self._text = io.TextIOWrapper(self._binary, encoding="utf-8-sig", newline="")
        self._reader = csv.reader(self._text)
        self.header: list[str] | None = None
        self.next_line = 1
        self.rows_read = 0

    def __enter__(self) -> CsvSource:
        return self

    def __exit__(self, *exc_info) -> None:
        self._text.close()

    def _first_bad_line(self) -> int:
        """The number of the first physical line that is not UTF-8."""
        with self.path.open("rb") as binary:
            for number, raw in enumerate(binary, start=1):
                if number == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8) :]
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError:
                    return number
        return self.next_line  # pragma: no cover - the decoder failed, so some line is bad

    @property
    def bytes_done(self) -> int:
        return self._binary.tell()

    def read_header(self) -> list[str] | None:
        """Read the header row (None for an empty file); names are stripped of blanks."""
        for _line, cells in self._rows():
            self.header = [cell.strip() for cell in cells]
            self.rows_read = 0
            return self.header
        return None

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Yield the data rows after the header as (line number, cells)."""
        yield from self._rows()

    def _rows(self) -> Iterator[tuple[int, list[str]]]:
        reader = self._reader
        try:
            for cells in reader:
                line = self.next_line
                self.next_line = reader.line_num + 1
                if (cells and cells[0].strip()) or any(cell.strip() for cell in cells):
                    self.rows_read += 1
                    yield line, cells
        except UnicodeDecodeError as error:
            raise NotUtf8Error(self._first_bad_line()) from error


def progress_rows(
    source: CsvSource, *, phase: str, progress: ProgressCallback | None
) -> Iterator[tuple[int, list[str]]]:
    """Yield the rows of a source, reporting progress every few thousand rows."""
    count = 0
    for item in source.rows():
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(
                Progress(phase, source.path.name, count, source.bytes_done, source.bytes_total)
            )
        yield item
    if progress is not None:
        progress(
            Progress(
                phase,
                source.path.name,
                count,
                source.bytes_total,
                source.bytes_total,
                finished=True,
            )
        )


def open_writer(path: Path) -> tuple[IO[str], Any]:
    """Open a CSV file for writing: UTF-8 without BOM, minimal quoting, `\\n` line endings."""
    stream = path.open("w", encoding="utf-8", newline="")
    return stream, csv.writer(stream, lineterminator="\n")
