"""Shared checks of record writes: references in the writer's scope, amounts, new codes."""

from __future__ import annotations

import re
import secrets
from datetime import date
from decimal import Decimal

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _


class Problems:
    """Collects field errors so that a form or API answer lists them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        from django.core.exceptions import ValidationError

        if self.errors:
            raise ValidationError(self.errors)


def reference_check(
    problems: Problems,
    *,
    field: str,
    model: type[Model],
    pk: int | None,
    actor,
    required: bool = True,
) -> None:
    """Refuse a reference that is missing, unknown or outside the writer's scope."""
    if pk is None:
        if required:
            problems.add(field, _("This field is required."))
        return
    if not model.objects.visible_to(actor).filter(pk=pk).exists():
        problems.add(
            field,
            _("Unknown %(model)s: %(pk)s.") % {"model": model._meta.verbose_name, "pk": pk},
        )


def not_negative_check(problems: Problems, *, field: str, value: Decimal | None) -> None:
    """Refuse a negative amount, cost or quantity (INTERCHANGE.md import rules)."""
    if value is not None and value < 0:
        problems.add(field, _("This cannot be negative."))


# One code style per record kind, whoever creates the record (a page, the API, the demo):
# the kind's prefix, the day the record was entered and six random hex digits. Codes a
# company brings in by import are its own (INTERCHANGE.md) and are kept as they are.
RECORD_CODE_PREFIXES: dict[str, str] = {
    "customers.customer": "CUST",
    "customers.contact": "CON",
    "sales.order": "ORD",
    "sales.invoice": "INV",
    "sales.payment": "PAY",
    "sales.visit": "VIS",
    "sales.expense": "EXP",
}
RECORD_CODE_PATTERN = re.compile(r"^(?P<prefix>[A-Z]+)-(?P<day>\d{8})-(?P<suffix>[0-9A-F]{6})$")


def record_code_prefix(model: type[Model]) -> str:
    """The prefix of the codes the system gives records of `model` (VIS for visits …)."""
    return RECORD_CODE_PREFIXES[model._meta.label_lower]


def record_code(model: type[Model], *, day: date, number: int) -> str:
    """The code of a record of `model` entered on `day`, from a number below 16**6."""
    return f"{record_code_prefix(model)}-{day:%Y%m%d}-{number:06X}"


def record_code_new(model: type[Model], *, day: date | None = None) -> str:
    """A fresh, unused code for a record entered today (or on `day`)."""
    day = day or timezone.localdate()
    while True:
        code = record_code(model, day=day, number=secrets.randbelow(16**6))
        if not model.objects.filter(code=code).exists():
            return code
