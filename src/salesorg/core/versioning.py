"""Optimistic concurrency: a record's `version` is raised at every change, and a writer who
read an older version is told instead of silently overwriting someone else's change."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


class StaleVersion(ValidationError):
    """The record changed since the writer read it (the API answers 409 Conflict)."""


def stale_message() -> str:
    """The message shown to the second writer."""
    return _(
        "Someone else changed this record since you opened it. "
        "Please reload it and apply your changes again."
    )


def version_check(*, instance: models.Model, expected_version: int | None) -> None:
    """Lock the stored row, refuse a stale `expected_version`, and set the next version.

    Call inside the service's transaction, just before saving: the row lock holds until the
    transaction ends, so two concurrent writers of the same version cannot both succeed.
    A new record (no pk) keeps its default version.
    """
    if instance.pk is None:
        return
    stored = (
        type(instance)
        ._base_manager.select_for_update()
        .filter(pk=instance.pk)
        .values_list("version", flat=True)
        .first()
    )
    if stored is None:
        return
    if expected_version is not None and int(expected_version) != stored:
        raise StaleVersion({"version": [stale_message()]}, code="stale")
    instance.version = stored + 1  # type: ignore[attr-defined]  # a versioned model
