"""The pipeline funnel (S17): pipeline items that entered the pipeline in a period, by stage,
rep and team: counts, values (the proposals' expected annual sales), conversion from stage to
stage and overall, median days per stage, and why items were won or lost.

An item has reached a stage when its stage (the one it is in, or closed in) is that stage or
a later one: items only move forward. Days in a stage come from the stays that ended (the item
moved on or was closed there), recorded in `PipelineStageEntry`. A fixed number of queries,
whatever the number of items.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import User
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from salesorg.core.scoping import SystemActor
from salesorg.customers.models import (
    PipelineItem,
    PipelineItemStatus,
    PipelineStage,
    PipelineStageEntry,
)
from salesorg.org.models import Membership, Team

HUNDRED = Decimal(100)
SECONDS_PER_DAY = Decimal(86400)
MAX_REASONS = 10


@dataclass(frozen=True)
class FunnelFilters:
    """Which items the funnel counts: entered the pipeline in [start, end], of a rep or team."""

    start: date
    end: date
    rep_id: int | None = None
    team_id: int | None = None

    @classmethod
    def default(cls, today: date | None = None) -> FunnelFilters:
        """The last twelve months."""
        today = today or timezone.localdate()
        return cls(start=today - timedelta(days=364), end=today)


@dataclass
class FunnelStage:
    """One stage of the funnel."""

    stage: PipelineStage
    reached: int = 0
    reached_value: Decimal = Decimal(0)
    open: int = 0
    open_value: Decimal = Decimal(0)
    won: int = 0
    lost: int = 0
    conversion: Decimal | None = None  # % going on to the next stage (the last: won)
    median_days: Decimal | None = None
    stays: int = 0  # how many ended stays the median is of


@dataclass
class FunnelGroup:
    """The items of one rep or team."""

    key: int | None
    label: str
    items: int = 0
    value: Decimal = Decimal(0)
    open: int = 0
    won: int = 0
    won_value: Decimal = Decimal(0)
    lost: int = 0
    conversion: Decimal | None = None  # won of all items, %


@dataclass
class Funnel:
    """The funnel of the items a user sees, for the filters."""

    filters: FunnelFilters
    stages: list[FunnelStage]
    total: FunnelGroup
    win_rate: Decimal | None  # won of closed items, %
    by_rep: list[FunnelGroup] = field(default_factory=list)
    by_team: list[FunnelGroup] = field(default_factory=list)
    won_reasons: list[tuple[str, int]] = field(default_factory=list)
    lost_reasons: list[tuple[str, int]] = field(default_factory=list)


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def funnel_items(*, user: User | SystemActor, filters: FunnelFilters) -> QuerySet[PipelineItem]:
    """Items in the user's scope that entered the pipeline in the period, with the team their
    rep was in on that day (`rep_team_id`) and the proposal's expected sales."""
    entered_on = OuterRef("entered_on")
    team = Membership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=entered_on),
        person_id=OuterRef("rep_id"),
        start_date__lte=entered_on,
    ).order_by("-start_date", "-pk")
    items = (
        PipelineItem.objects.visible_to(user)
        .annotate(entered_on=TruncDate("created_at"))
        .annotate(rep_team_id=Subquery(team.values("team_id")[:1]))
        .filter(entered_on__gte=filters.start, entered_on__lte=filters.end)
    )
    if filters.rep_id:
        items = items.filter(rep_id=filters.rep_id)
    if filters.team_id:
        items = items.filter(rep_team_id=filters.team_id)
    return items


def funnel_stages(*, user: User | SystemActor) -> list[PipelineStage]:
    """The active stages in order."""
    return list(
        PipelineStage.objects.visible_to(user).filter(active=True).order_by("position", "pk")
    )


def funnel_drill(
    *, user: User | SystemActor, filters: FunnelFilters, stage_id: int | None, status: str = ""
) -> QuerySet[PipelineItem]:
    """The items behind a figure: those that reached `stage_id` (all without one), by status."""
    items = funnel_items(user=user, filters=filters)
    if stage_id is not None:
        stage_ids = [stage.pk for stage in funnel_stages(user=user)]
        if stage_id in stage_ids:
            items = items.filter(stage_id__in=stage_ids[stage_ids.index(stage_id) :])
        else:
            items = items.none()
    if status in PipelineItemStatus.values:
        items = items.filter(status=status)
    return items.select_related("rep", "stage", "customer", "proposal").order_by(
        "-created_at", "-pk"
    )


def pipeline_funnel(*, user: User | SystemActor, filters: FunnelFilters) -> Funnel:
    """The funnel of the items the user sees (four queries)."""
    items = funnel_items(user=user, filters=filters)
    rows = list(
        items.values(  # type: ignore[misc]  # rep_team_id is annotated in funnel_items
            "pk",
            "rep_id",
            "rep__name",
            "rep_team_id",
            "stage_id",
            "status",
            "proposal__expected_sales",
            "won_reason",
            "lost_reason",
        )
    )
    stages = [FunnelStage(stage=stage) for stage in funnel_stages(user=user)]
    index = {row.stage.pk: position for position, row in enumerate(stages)}
    total = FunnelGroup(key=None, label="")
    reps: dict[int, FunnelGroup] = {}
    teams: dict[int | None, FunnelGroup] = {}
    won_reasons: Counter[str] = Counter()
    lost_reasons: Counter[str] = Counter()
    for row in rows:
        value = row["proposal__expected_sales"] or Decimal(0)
        rep = reps.setdefault(row["rep_id"], FunnelGroup(key=row["rep_id"], label=row["rep__name"]))
        team = teams.setdefault(row["rep_team_id"], FunnelGroup(key=row["rep_team_id"], label=""))
        for group in (total, rep, team):
            _count(group, row["status"], value)
        if row["status"] == PipelineItemStatus.WON and row["won_reason"].strip():
            won_reasons[row["won_reason"].strip()] += 1
        if row["status"] == PipelineItemStatus.LOST and row["lost_reason"].strip():
            lost_reasons[row["lost_reason"].strip()] += 1
        if row["stage_id"] in index:
            _reach(stages, index[row["stage_id"]], row["status"], value)
    _conversions(stages)
    _median_days(stages, index, items)
    _team_labels(teams)
    for group in (total, *reps.values(), *teams.values()):
        group.conversion = _rate(group.won, group.items)
    return Funnel(
        filters=filters,
        stages=stages,
        total=total,
        win_rate=_rate(total.won, total.won + total.lost),
        by_rep=sorted(reps.values(), key=lambda group: (-group.value, group.label)),
        by_team=sorted(teams.values(), key=lambda group: (-group.value, group.label)),
        won_reasons=won_reasons.most_common(MAX_REASONS),
        lost_reasons=lost_reasons.most_common(MAX_REASONS),
    )


def _count(group: FunnelGroup, status: str, value: Decimal) -> None:
    group.items += 1
    group.value += value
    if status == PipelineItemStatus.OPEN:
        group.open += 1
    elif status == PipelineItemStatus.WON:
        group.won += 1
        group.won_value += value
    else:
        group.lost += 1


def _reach(stages: list[FunnelStage], position: int, status: str, value: Decimal) -> None:
    """Count an item at its stage (open, won or lost there) and as having reached every
    stage up to it."""
    for reached in stages[: position + 1]:
        reached.reached += 1
        reached.reached_value += value
    here = stages[position]
    if status == PipelineItemStatus.OPEN:
        here.open += 1
        here.open_value += value
    elif status == PipelineItemStatus.WON:
        here.won += 1
    else:
        here.lost += 1


def _conversions(stages: list[FunnelStage]) -> None:
    for position, row in enumerate(stages):
        if position + 1 < len(stages):
            row.conversion = _rate(stages[position + 1].reached, row.reached)
        else:
            row.conversion = _rate(row.won, row.reached)


def _median_days(stages: list[FunnelStage], index: dict[int, int], items) -> None:
    """Median days of the ended stays in each stage (one query)."""
    stays: dict[int, list[Decimal]] = {}
    entries = PipelineStageEntry.objects.filter(
        item_id__in=items.values("pk"), left_at__isnull=False
    ).values_list("stage_id", "entered_at", "left_at")
    for stage_id, entered_at, left_at in entries:
        if left_at is None:  # excluded by the query; for the type checker
            continue
        seconds = Decimal((left_at - entered_at).total_seconds())
        stays.setdefault(stage_id, []).append(seconds / SECONDS_PER_DAY)
    for stage_id, days in stays.items():
        if stage_id in index:
            row = stages[index[stage_id]]
            row.stays = len(days)
            row.median_days = Decimal(statistics.median(days)).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )


def _team_labels(teams: dict[int | None, FunnelGroup]) -> None:
    names = dict(Team.objects.filter(pk__in=[k for k in teams if k]).values_list("pk", "name"))
    for key, group in teams.items():
        group.label = names.get(key, "") if key else ""
