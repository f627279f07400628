"""A plain-text progress bar for the terminal (stderr), one line per file and phase."""

from __future__ import annotations

from collections.abc import Callable

from django.core.management.base import OutputWrapper
from django.utils.translation import gettext as _

from salesorg.interchange.csvio import Progress

BAR_WIDTH = 30


class TerminalProgress:
    """Draw import/export progress on a terminal; draw nothing when output is not a terminal."""

    def __init__(self, *, write: Callable[[str], None], enabled: bool):
        self.write = write
        self.enabled = enabled

    def __call__(self, progress: Progress) -> None:
        if not self.enabled:
            return
        phases = {"check": _("checking"), "write": _("writing"), "export": _("exporting")}
        label = f"{phases.get(progress.phase, progress.phase):<10} {progress.filename:<16}"
        if progress.bytes_total:
            share = min(progress.bytes_done / progress.bytes_total, 1.0)
            filled = int(share * BAR_WIDTH)
            bar = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {share:4.0%}"
        else:
            bar = ""
        rows = _("%(rows)s rows") % {"rows": f"{progress.rows:,}"}
        self.write(f"\r{label} {bar} {rows}\033[K" + ("\n" if progress.finished else ""))


def terminal_progress(stream: OutputWrapper) -> TerminalProgress:
    """A progress bar on a command's stderr, drawn only when it is a terminal."""

    def write(text: str) -> None:
        stream.write(text, style_func=lambda plain: plain, ending="")
        stream.flush()

    return TerminalProgress(write=write, enabled=stream.isatty())
