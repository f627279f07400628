"""Options shared by the `kpi` and `product-mix` commands."""

from __future__ import annotations

from datetime import date

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesorg.performance.choices import Level


def parse_date(*, value: str, option: str) -> date:
    """A YYYY-MM-DD option value, or a CommandError naming the option."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("%(option)s: %(value)r is not a date (YYYY-MM-DD).")
            % {"option": option, "value": value}
        ) from None


def add_period_options(parser: CommandParser) -> None:
    """--from, --to, --level, --format and --output."""
    parser.add_argument(
        "--from", dest="start", required=True, help=gettext_lazy("first day (YYYY-MM-DD)")
    )
    parser.add_argument(
        "--to", dest="end", required=True, help=gettext_lazy("last day (YYYY-MM-DD)")
    )
    parser.add_argument(
        "--level",
        choices=[choice.value for choice in Level],
        default=Level.ALL.value,
        help=gettext_lazy("which rows: person, team, region, company or all"),
    )
    parser.add_argument(
        "--format", dest="output_format", choices=["csv", "json"], default="csv",
        help=gettext_lazy("output format (default csv)"),
    )  # fmt: skip
    parser.add_argument(
        "--output", help=gettext_lazy("write to this file instead of standard output")
    )


def write_output(command, *, text: str, output: str | None) -> None:
    """Write to --output (UTF-8) or to standard output."""
    if output:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    else:
        command.stdout.write(text, ending="")
