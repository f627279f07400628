"""How the plan page shows a published plan's revisions and the goal beside the company's
targets (the pages themselves are in `views.plans`)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from salesorg.core.money import format_money
from salesorg.core.numbers import format_number
from salesorg.targets.choices import Metric
from salesorg.targets.decomposition import is_count
from salesorg.targets.models import RevisionCell, TargetRevision
from salesorg.targets.permissions import can_decide_revision
from salesorg.targets.selectors.revisions import GoalLine


def _value(value: Decimal | None, metric: str) -> str:
    if value is None:
        return "—"
    return format_number(value) if is_count(metric) else format_money(value)


def _pair(realistic: Decimal | None, ideal: Decimal | None, metric: str) -> str:
    if realistic is None:
        return _("no target")
    return f"{_value(realistic, metric)} / {_value(ideal, metric)}"


def _owner_name(cell: RevisionCell) -> str:
    owner = cell.person or cell.team or cell.region
    return owner.name if owner is not None else _("Company")


def cell_view(cell: RevisionCell) -> dict:
    """A revised target as the plan page lists it: where, and old → new."""
    return {
        "unit": _owner_name(cell),
        "metric": Metric(cell.metric).label,
        "period": _("Year") if cell.month == 0 else _("M%(month)s") % {"month": cell.month},
        "old": _pair(cell.old_realistic, cell.old_ideal, cell.metric),
        "new": _pair(cell.new_realistic, cell.new_ideal, cell.metric),
    }


def revision_view(revision: TargetRevision, *, user, errors=None, typed: str = "") -> dict:
    """A revision on the plan page, with its cells and whether the reader may decide it."""
    unit = revision.team or revision.region
    return {
        "revision": revision,
        "unit": unit.name if unit is not None else _("Company"),
        "cells": [cell_view(cell) for cell in revision.cells.all()],
        "can_decide": can_decide_revision(user, revision),
        "errors": errors or [],
        "typed_reason": typed,
    }


def goal_view(line: GoalLine) -> dict:
    """A goal line: the goal, the company's target and the difference, as money."""
    difference = line.difference
    sign = "+" if difference > 0 else ""
    return {
        "metric": line.label,
        "goal": format_money(line.goal),
        "target": format_money(line.target) if line.target is not None else _("no target"),
        "difference": f"{sign}{format_money(difference)}",
        "matches": line.matches,
    }
