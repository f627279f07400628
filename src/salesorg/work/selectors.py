"""Reads of action items that every layer above may need."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User

from salesorg.core.scoping import SystemActor
from salesorg.targets.models import ActionItem


def action_items_openable(*, user: User | SystemActor, ids: Iterable[int]) -> set[int]:
    """Which of these action items the user may open (their page answers 404 to the rest)."""
    visible = ActionItem.objects.visible_to(user).filter(id__in=list(ids))
    return set(visible.values_list("id", flat=True))
