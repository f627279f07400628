"""Reads of competitor intelligence (S17) about one customer: the competitor notes reps and
leaders record in research (targets' `ResearchNote`, a shared schema) linked to it."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from salesorg.core.scoping import SystemActor
from salesorg.customers.models import Customer
from salesorg.targets.models import ResearchKind, ResearchNote

LATEST_NOTES = 10


def customer_competitor_notes(
    *, user: User | SystemActor, customer: Customer | None
) -> list[ResearchNote]:
    """The latest competitor notes linked to `customer` the user may read (none without one)."""
    if customer is None:
        return []
    notes: QuerySet[ResearchNote] = (
        ResearchNote.objects.visible_to(user)
        .filter(kind=ResearchKind.COMPETITOR, customers=customer)
        .select_related("author")
        .order_by("-observed_on", "-id")
    )
    return list(notes[:LATEST_NOTES])
