"""The `salesorg` command: every Django management command plus SalesOrg's own.

Hyphenated names are accepted for commands (`salesorg set-password` runs
`set_password`, `salesorg help set-password` explains it), so the command line reads
naturally.
"""

import gc
import os
import sys


def _command_name(word: str) -> str:
    """`set-password` → `set_password`; options (`--help`) stay as they are."""
    return word if word.startswith("-") else word.replace("-", "_")


def _setup_without_collections(argv: list[str]) -> None:
    """Load the settings and the apps with the garbage collector paused, then freeze what
    they loaded out of its scans.

    Start-up creates some 150,000 long-lived objects (the modules, the models and their
    history models); the collector walked them again and again while they were made, about
    a tenth of a short command such as `salesorg kpi`. A web worker freezes them
    likewise (`salesorg.wsgi`). `runserver` sets up under its reloader, which reports
    errors in the code itself, and `--settings` or `--pythonpath` must be read first, so
    those are left to Django."""
    import django
    from django.apps import apps

    subcommand = argv[1] if len(argv) > 1 else "help"
    options = ("--settings", "--pythonpath")
    if subcommand == "runserver" or apps.ready or any(a.startswith(options) for a in argv):
        return
    collecting = gc.isenabled()
    gc.disable()
    try:
        django.setup()
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def main(argv: list[str] | None = None) -> None:
    """Run a management command, as `manage.py` would."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesorg.settings")
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1:
        argv[1] = _command_name(argv[1])
    if len(argv) > 2 and argv[1] == "help":
        argv[2] = _command_name(argv[2])
    from django.core.management import execute_from_command_line

    _setup_without_collections(argv)
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
