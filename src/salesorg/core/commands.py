"""Bases of SalesOrg's management commands: a translated help text, and quick read-only runs."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.functional import Promise


class TranslatedCommand(BaseCommand):
    """A management command whose help may be a lazily translated text."""

    help: str | Promise = ""  # type: ignore[assignment]  # Django's stubs say str only

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # argparse formats the description with a regular expression: it needs a str.
        if parser.description is not None:
            parser.description = str(parser.description)
        return parser


class ReadOnlyCommand(TranslatedCommand):
    """A command that only reads, so it skips Django's system checks: they load every URL,
    view and API module (about a second) before a report that needs none of them."""

    requires_system_checks: list[str] = []
