"""`salesorg audit-export --since DATE [--model app.Model] OUT.csv`: history rows for compliance.

Cells a spreadsheet would evaluate are neutralised like every export (docs/security.md, Exports).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from io import TextIOBase

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from salesorg.core.audit import audited_models, history_since
from salesorg.core.exports import CsvWriter


class Command(BaseCommand):
    help = "Write the history rows of all business records since a date to a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("out", help="the CSV file to write ('-' for standard output)")
        parser.add_argument("--since", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--model", help="only this model, as app_label.ModelName")

    def handle(self, *args, **options):
        try:
            day = dt.date.fromisoformat(options["since"])
        except ValueError as error:
            raise CommandError(f"--since: not a date (YYYY-MM-DD): {options['since']}") from error
        since = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        models = audited_models()
        if options["model"]:
            try:
                model = apps.get_model(options["model"])
            except (LookupError, ValueError) as error:
                raise CommandError(f"--model: unknown model {options['model']}") from error
            if model not in models:
                raise CommandError(f"--model: {options['model']} has no audit trail")
            models = [model]
        out = options["out"]
        with contextlib.ExitStack() as stack:
            handle: TextIOBase
            if out == "-":
                handle = self.stdout
            else:
                handle = stack.enter_context(open(out, "w", newline="", encoding="utf-8"))
            count = self._write(handle, since, models)
        if out != "-":
            self.stdout.write(f"{count} history rows written to {out}")

    def _write(self, handle, since, models) -> int:
        count = 0
        writer = CsvWriter(handle)  # people open it in a spreadsheet: formulas neutralised
        writer.writerow(["model", "object_id", "when", "who", "ip", "type", "changed_fields"])
        for model, row in history_since(since=since, models=models):
            changed = "; ".join(f"{label}: {old} -> {new}" for label, old, new in row.changes)
            writer.writerow(
                [
                    model._meta.label,
                    row.object_id,
                    row.when.isoformat(),
                    row.who,
                    row.ip,
                    row.change,
                    changed,
                ]
            )
            count += 1
        return count
