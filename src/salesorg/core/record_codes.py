"""Record codes the system gives new records: the kind's prefix, the day, six hex digits."""

from __future__ import annotations

import re
import secrets
from datetime import date

from django.db.models import Model
from django.utils import timezone

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
        if not model.objects.filter(code=code).exists():  # type: ignore[attr-defined]
            return code
