"""The pipeline funnel (S17) as the funnel page shows it: by stage, rep and team for a period
(items that entered the pipeline in it), scoped to the caller. Amounts are exact decimals,
rates percentages with two decimals (null where nothing was there to convert)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema

from salesorg.api.types import Day, RecordId
from salesorg.customers.selectors import funnel as selectors

router = Router(tags=["evaluation and development"])
SCOPED_ROWS = {"x-scoped-rows": True}


class FunnelStageOut(Schema):
    stage_id: RecordId
    name: str
    reached: int
    reached_value: Decimal
    open: int
    open_value: Decimal
    won: int
    lost: int
    conversion: Decimal | None
    median_days: Decimal | None
    ended_stays: int


class FunnelGroupOut(Schema):
    id: RecordId | None
    name: str
    items: int
    value: Decimal
    open: int
    won: int
    won_value: Decimal
    lost: int
    conversion: Decimal | None


class ReasonOut(Schema):
    reason: str
    count: int


class FunnelOut(Schema):
    start: date
    end: date
    rep_id: RecordId | None
    team_id: RecordId | None
    total: FunnelGroupOut
    win_rate: Decimal | None
    stages: list[FunnelStageOut]
    by_rep: list[FunnelGroupOut]
    by_team: list[FunnelGroupOut]
    won_reasons: list[ReasonOut]
    lost_reasons: list[ReasonOut]


def _group(group: selectors.FunnelGroup) -> dict:
    return {
        "id": group.key,
        "name": group.label,
        "items": group.items,
        "value": group.value,
        "open": group.open,
        "won": group.won,
        "won_value": group.won_value,
        "lost": group.lost,
        "conversion": group.conversion,
    }


@router.get(
    "/pipeline-funnel",
    response=FunnelOut,
    operation_id="pipeline_funnel",
    openapi_extra=SCOPED_ROWS,
)
def pipeline_funnel(
    request,
    start: Day | None = None,
    end: Day | None = None,
    rep_id: RecordId | None = None,
    team_id: RecordId | None = None,
):
    """The funnel of the caller's pipeline items that entered in [start, end] (default: the
    last twelve months), optionally of one rep or team."""
    default = selectors.FunnelFilters.default()
    filters = selectors.FunnelFilters(
        start=start or default.start, end=end or default.end, rep_id=rep_id, team_id=team_id
    )
    if filters.start > filters.end:
        raise ValidationError({"start": [_("The period's start is after its end.")]})
    funnel = selectors.pipeline_funnel(user=request.user, filters=filters)
    return {
        "start": filters.start,
        "end": filters.end,
        "rep_id": rep_id,
        "team_id": team_id,
        "total": _group(funnel.total),
        "win_rate": funnel.win_rate,
        "stages": [
            {
                "stage_id": row.stage.pk,
                "name": row.stage.label,
                "reached": row.reached,
                "reached_value": row.reached_value,
                "open": row.open,
                "open_value": row.open_value,
                "won": row.won,
                "lost": row.lost,
                "conversion": row.conversion,
                "median_days": row.median_days,
                "ended_stays": row.stays,
            }
            for row in funnel.stages
        ],
        "by_rep": [_group(group) for group in funnel.by_rep],
        "by_team": [_group(group) for group in funnel.by_team],
        "won_reasons": [{"reason": r, "count": c} for r, c in funnel.won_reasons],
        "lost_reasons": [{"reason": r, "count": c} for r, c in funnel.lost_reasons],
    }
