"""The `salesorg` command: every Django management command plus SalesOrg's own.

Hyphenated names are accepted for commands (`salesorg set-password` runs
`set_password`), so the command line reads naturally.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command, as `manage.py` would."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesorg.settings")
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
