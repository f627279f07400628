"""Optimistic concurrency: a record's `version` is raised at every change, and a writer who
read an older version is told instead of silently overwriting someone else's change.

A person's change of a stored record must say which version it read: one that does not is
refused like a stale one (#21 F10), so that no page, API call or script can overwrite a
change it never saw. Only the system's own writes (rows a plan's workflow derives, a
handover, an import) skip the check, and they say so with `system=True`."""

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


def missing_message() -> str:
    """The message shown to a writer who did not say which version they read."""
    return _(
        "This change does not say which version of the record it is based on. "
        "Please reload it and apply your changes again."
    )


def version_check(
    *, instance: models.Model, expected_version: int | None, system: bool = False
) -> None:
    """Lock the stored row, refuse a stale or missing `expected_version`, and set the next
    version.

    Call inside the service's transaction, just before saving: the row lock holds until the
    transaction ends, so two concurrent writers of the same version cannot both succeed.
    A new record (no pk) keeps its default version. `system=True` marks the system's own
    change of a stored record, which reads no version and is not checked (only raised).
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
    if system:
        pass
    elif expected_version is None:
        raise StaleVersion({"version": [missing_message()]}, code="missing")
    elif int(expected_version) != stored:
        raise StaleVersion({"version": [stale_message()]}, code="stale")
    instance.version = stored + 1  # type: ignore[attr-defined]  # a versioned model
