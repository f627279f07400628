"""Checks of record writes shared by every app: collected field problems, references in the
writer's scope, amounts."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _


class Problems:
    """Collects field errors so that a form or API answer lists them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
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
    if not model.objects.visible_to(actor).filter(pk=pk).exists():  # type: ignore[attr-defined]
        problems.add(
            field,
            _("Unknown %(model)s: %(pk)s.") % {"model": model._meta.verbose_name, "pk": pk},
        )


def not_negative_check(problems: Problems, *, field: str, value: Decimal | None) -> None:
    """Refuse a negative amount, cost or quantity (INTERCHANGE.md import rules)."""
    if value is not None and value < 0:
        problems.add(field, _("This cannot be negative."))
