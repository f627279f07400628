"""Reads of handovers (交接): what a leaver still holds, who may take it over, and the daily
check of records still held by people who have left or are leaving.

A leaver is a person with a leave date (past: left; today or later: leaving). What they hold,
per kind: their customers, open pipeline items, development proposals awaiting a decision or
returned, open action items and root causes not yet accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, IntegerField, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from salesorg.core.roles import SALES_FORCE
from salesorg.core.scoping import SystemActor
from salesorg.customers.models import (
    Customer,
    DevelopmentProposal,
    PipelineItem,
    PipelineItemStatus,
    RootCause,
    RootCauseStatus,
)
from salesorg.customers.models import ProposalStatus as CustomerProposalStatus
from salesorg.development.models import Handover, HandoverKind
from salesorg.org.models import Person
from salesorg.targets.choices import ActionStatus
from salesorg.targets.models import ActionItem

RECORDS_LISTED = 50


@dataclass(frozen=True)
class HeldKind:
    """Where a kind of record names its holder, and which of its records are still held."""

    model: type[Model]
    field: str
    still_held: Q
    related: tuple[str, ...] = ()


HELD: dict[str, HeldKind] = {
    HandoverKind.CUSTOMERS: HeldKind(Customer, "owner", Q()),
    HandoverKind.PIPELINE: HeldKind(PipelineItem, "rep", Q(status=PipelineItemStatus.OPEN)),
    HandoverKind.PROPOSALS: HeldKind(
        DevelopmentProposal,
        "rep",
        Q(status__in=[CustomerProposalStatus.SUBMITTED, CustomerProposalStatus.RETURNED]),
        ("customer",),
    ),
    HandoverKind.ACTION_ITEMS: HeldKind(ActionItem, "owner", Q(status=ActionStatus.OPEN)),
    HandoverKind.ROOT_CAUSES: HeldKind(
        RootCause, "owner", ~Q(status=RootCauseStatus.ACCEPTED), ("customer",)
    ),
}


def held_records(kind: str, person: Person) -> QuerySet:
    """The records of `kind` the person still holds (unscoped: for the handover service,
    which checks the actor's right to hand the person over first)."""
    held = HELD[kind]
    return held.model._default_manager.filter(held.still_held, **{held.field: person})


def holdings_of(*, user: User | SystemActor, person: Person) -> dict[str, list]:
    """What the person still holds, per kind, as the user sees it (at most RECORDS_LISTED
    records listed per kind): one query per kind."""
    holdings = {}
    for kind, held in HELD.items():
        manager: Any = held.model._default_manager  # a scoped manager: every HELD model has one
        records = (
            manager.visible_to(user)
            .filter(held.still_held, **{held.field: person})
            .select_related(*held.related)
        )
        holdings[kind] = list(records.order_by("pk")[:RECORDS_LISTED])
    return holdings


def holding_counts(*, user: User | SystemActor, person: Person) -> dict[str, int]:
    """How many records of each kind the person still holds, as the user sees them."""
    row = _with_counts(Person.objects.visible_to(user).filter(pk=person.pk)).first()
    return {kind: getattr(row, f"held_{kind}") if row else 0 for kind in HELD}


def _with_counts(people: QuerySet) -> QuerySet:
    """Annotate each person with the count of each kind they still hold (one query)."""
    counts = {}
    for kind, held in HELD.items():
        records = (
            held.model._default_manager.filter(held.still_held, **{held.field: OuterRef("pk")})
            .order_by()
            .values(held.field)
            .annotate(total=Count("pk"))
            .values("total")[:1]
        )
        counts[f"held_{kind}"] = Coalesce(Subquery(records, output_field=IntegerField()), 0)
    return people.annotate(**counts)


def successor_candidates(*, user: User | SystemActor, person: Person, today: date) -> QuerySet:
    """Who may take the person's records over: the sales force in the user's scope who are
    in post today and have no leave date, the leaver excepted."""
    return (
        Person.objects.visible_to(user)
        .employed_on(today)
        .filter(role__in=SALES_FORCE, leave_date__isnull=True)
        .exclude(pk=person.pk)
        .order_by("code")
    )


@dataclass(frozen=True)
class LeaverHoldings:
    """One leaver in the check: their leave date and how much they still hold, per kind."""

    person: Person
    counts: dict[str, int]
    today: date

    @property
    def has_left(self) -> bool:
        return bool(self.person.leave_date and self.person.leave_date < self.today)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def handover_url(self) -> str:
        return reverse("development:handover", args=[self.person.pk])


def leavers_holding(*, user: User | SystemActor, today: date) -> list[LeaverHoldings]:
    """People in the user's scope with a leave date who still hold records (one query),
    those who have left first, then by leave date."""
    people = _with_counts(
        Person.objects.visible_to(user).filter(leave_date__isnull=False).order_by("leave_date")
    )
    rows = [
        LeaverHoldings(
            person=person,
            counts={kind: getattr(person, f"held_{kind}") for kind in HELD},
            today=today,
        )
        for person in people
    ]
    return [row for row in rows if row.total]


def handovers_of(*, user: User | SystemActor, person: Person) -> list[dict]:
    """The person's done handovers the user may see, latest first, each with what went to
    whom per kind (two queries)."""
    handovers = list(
        Handover.objects.visible_to(user)
        .filter(person=person)
        .select_related("done_by")
        .order_by("-done_at", "-id")
    )
    successor_ids = {
        entry["successor_id"] for handover in handovers for entry in handover.moved.values()
    }
    names = dict(Person.objects.filter(pk__in=successor_ids).values_list("pk", "name"))
    return [
        {
            "handover": handover,
            "lines": [
                {
                    "label": HandoverKind(kind).label,
                    "count": len(entry["ids"]),
                    "successor": names.get(entry["successor_id"], ""),
                }
                for kind, entry in handover.moved.items()
            ],
        }
        for handover in handovers
    ]
