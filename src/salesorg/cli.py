"""The `salesorg` command: every Django management command plus SalesOrg's own.

Hyphenated names are accepted for commands (`salesorg set-password` runs
`set_password`, `salesorg help set-password` explains it), so the command line reads
naturally.
"""

import os
import sys


def _command_name(word: str) -> str:
    """`set-password` → `set_password`; options (`--help`) stay as they are."""
    return word if word.startswith("-") else word.replace("-", "_")


def main(argv: list[str] | None = None) -> None:
    """Run a management command, as `manage.py` would."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesorg.settings")
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1:
        argv[1] = _command_name(argv[1])
    if len(argv) > 2 and argv[1] == "help":
        argv[2] = _command_name(argv[2])
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
