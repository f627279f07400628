"""Incentive policies, scorecards and sales meetings over the API.

Reads are scoped by `visible_to` (hidden objects answer 404); writes call the same
services as the pages (performance.services: policies, scorecards, meetings): 400 naming
the field, 403 where the caller sees the object but may not change it. Actions on one object
use `{<name>_id}` in their path. Values are exact: scores and amounts are strings.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from salesorg.api.crud import ApiPagination, scoped_model
from salesorg.api.errors import Forbidden
from salesorg.api.types import Day, RecordId, optional_query
from salesorg.core.problems import Problems
from salesorg.performance.models import (
    IncentivePolicy,
    Scorecard,
    ScorecardPeriod,
)
from salesorg.performance.permissions import (
    can_manage_scorecards,
    can_write_policy,
)
from salesorg.performance.selectors.policies import policy_rules
from salesorg.performance.selectors.scorecards import provisional_as_of, scorecard_lines
from salesorg.performance.services.policies import policy_publish, policy_save
from salesorg.performance.services.scorecards import (
    scorecards_close,
    scorecards_compute,
    scorecards_reopen,
)

router = Router(tags=["scorecards"])

POLICY = scoped_model("performance.IncentivePolicy")
PERIOD = scoped_model("performance.ScorecardPeriod")
SCORECARD = scoped_model("performance.Scorecard")
MEETING = scoped_model("performance.SalesMeeting")
ITEM = scoped_model("performance.MeetingItem")


def _text(value) -> str | None:
    return None if value is None else f"{value:f}"


# ---------------------------------------------------------------- policies


class RuleOut(Schema):
    indicator: str
    weight: str
    cap: str | None
    ideal_bonus: str
    bands: list[dict]


class PolicyOut(Schema):
    id: int
    name: str
    version: int
    effective_from: date
    status: str
    description: str
    total_cap: str | None
    bonus_base: str | None
    bonus_tiers: list[dict]
    published_at: datetime | None
    indicators: list[RuleOut]


class RuleIn(Schema):
    indicator: str
    weight: str
    bands: list[dict] | str
    cap: str | None = None
    ideal_bonus: str = "0"


class PolicyIn(Schema):
    name: str
    effective_from: Day | None = None
    description: str = ""
    bonus_base: str | None = None
    bonus_tiers: list[dict] | str = []
    total_cap: str | None = None
    indicators: list[RuleIn]


def _policy_out(policy: IncentivePolicy, rules=None) -> dict:
    rules = policy_rules(policy=policy) if rules is None else rules
    return {
        "id": policy.pk,
        "name": policy.name,
        "version": policy.version,
        "effective_from": policy.effective_from,
        "status": policy.status,
        "description": policy.description,
        "total_cap": _text(policy.total_cap),
        "bonus_base": _text(policy.bonus_base),
        "bonus_tiers": policy.bonus_tiers,
        "published_at": policy.published_at,
        "indicators": [
            {
                "indicator": rule.indicator,
                "weight": _text(rule.weight),
                "cap": _text(rule.cap),
                "ideal_bonus": _text(rule.ideal_bonus),
                "bands": rule.bands,
            }
            for rule in rules
        ],
    }


def _decimal(problems: Problems, field: str, value: str | None):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        problems.add(field, _("Enter a number."))
        return None


@router.get("/policies", response=list[PolicyOut], openapi_extra=POLICY, operation_id="policy_list")
@paginate(ApiPagination)
def policies_list(request):
    """Published policy versions (and drafts for director/admin), newest first."""
    policies = IncentivePolicy.objects.visible_to(request.user).prefetch_related("indicators")
    return [
        _policy_out(policy, rules=list(policy.indicators.all()))
        for policy in policies.order_by("-version")
    ]


@router.get("/policies/{pk}", response=PolicyOut, openapi_extra=POLICY, operation_id="policy_get")
def policies_get(request, pk: RecordId):
    """One policy version with its indicator rules and bonus tiers."""
    return _policy_out(get_object_or_404(IncentivePolicy.objects.visible_to(request.user), pk=pk))


@router.post(
    "/policies", response={201: PolicyOut}, openapi_extra=POLICY, operation_id="policy_create"
)
def policies_create(request, payload: PolicyIn):
    """A new draft version (director/admin); publish it to make it apply."""
    if not can_write_policy(request.user):
        raise Forbidden
    problems = Problems()
    bonus_base = _decimal(problems, "bonus_base", payload.bonus_base)
    total_cap = _decimal(problems, "total_cap", payload.total_cap)
    problems.raise_if_any()
    policy = policy_save(
        actor=request.user,
        name=payload.name,
        effective_from=payload.effective_from,
        description=payload.description,
        bonus_base=bonus_base,
        bonus_tiers=payload.bonus_tiers,
        total_cap=total_cap,
        rules=[rule.dict() for rule in payload.indicators],
    )
    return 201, _policy_out(policy)


@router.post(
    "/policies/{policy_id}/publish",
    response=PolicyOut,
    openapi_extra=POLICY,
    operation_id="policy_publish",
)
def policies_publish(request, policy_id: RecordId):
    """Publish a draft to everyone (director/admin); it is read-only from then on."""
    policy = get_object_or_404(IncentivePolicy.objects.visible_to(request.user), pk=policy_id)
    if not can_write_policy(request.user):
        raise Forbidden
    return _policy_out(policy_publish(actor=request.user, policy=policy))


# ---------------------------------------------------------------- scorecards


class PeriodOut(Schema):
    id: int
    kind: str
    start: date
    end: date
    policy_id: RecordId
    status: str
    computed_at: datetime | None
    closed_at: datetime | None
    closed_by_id: RecordId | None
    provisional_as_of: date | None = Field(
        None,
        description="The day the scorecards were computed while the period had not ended "
        "(provisional, scored against the targets due by that day); null once final.",
    )

    @staticmethod
    def resolve_provisional_as_of(period: ScorecardPeriod) -> date | None:
        return provisional_as_of(scored=period)


class ComputeIn(Schema):
    kind: str
    start: Day


class ReopenIn(Schema):
    reason: str


class LineOut(Schema):
    indicator: str
    value: str
    band: str
    weight: str
    points: str
    weighted_points: str
    capped: bool
    ideal_bonus: bool


class ScorecardOut(Schema):
    id: int
    period_id: RecordId
    person_id: RecordId
    person_code: str
    team_id: RecordId | None
    total_score: str
    rank_team: int | None
    team_size: int
    rank_company: int
    company_size: int
    bonus_factor: str | None
    bonus: str | None
    lines: list[LineOut] | None = None


def _card_out(card: Scorecard, lines=None) -> dict:
    out = {
        "id": card.pk,
        "period_id": card.period_id,
        "person_id": card.person_id,
        "person_code": card.person.code,
        "team_id": card.team_id,
        "total_score": _text(card.total_score),
        "rank_team": card.rank_team,
        "team_size": card.team_size,
        "rank_company": card.rank_company,
        "company_size": card.company_size,
        "bonus_factor": _text(card.bonus_factor),
        "bonus": _text(card.bonus),
    }
    if lines is not None:
        out["lines"] = [
            {
                "indicator": line.indicator,
                "value": line.value,
                "band": line.band,
                "weight": _text(line.weight),
                "points": _text(line.points),
                "weighted_points": _text(line.weighted_points),
                "capped": line.capped,
                "ideal_bonus": line.ideal_bonus,
            }
            for line in lines
        ]
    return out


@router.get(
    "/scorecard-periods",
    response=list[PeriodOut],
    openapi_extra=PERIOD,
    operation_id="scorecard_period_list",
)
@paginate(ApiPagination)
def periods_list(request):
    """Scored periods, newest first."""
    return ScorecardPeriod.objects.visible_to(request.user).order_by("-start", "kind")


@router.get(
    "/scorecard-periods/{pk}",
    response=PeriodOut,
    openapi_extra=PERIOD,
    operation_id="scorecard_period_get",
)
def periods_get(request, pk: RecordId):
    """One scored period."""
    return get_object_or_404(ScorecardPeriod.objects.visible_to(request.user), pk=pk)


@router.post(
    "/scorecard-periods",
    response=PeriodOut,
    openapi_extra=PERIOD,
    operation_id="scorecard_compute",
)
def periods_compute(request, payload: ComputeIn):
    """Compute (or recompute while open) every rep's scorecard of a period (director/admin)."""
    if not can_manage_scorecards(request.user):
        raise Forbidden
    return scorecards_compute(actor=request.user, kind=payload.kind, start=payload.start)


@router.post(
    "/scorecard-periods/{period_id}/close",
    response=PeriodOut,
    openapi_extra=PERIOD,
    operation_id="scorecard_close",
)
def periods_close(request, period_id: RecordId):
    """Close a period: its scorecards are frozen (director/admin)."""
    period = get_object_or_404(ScorecardPeriod.objects.visible_to(request.user), pk=period_id)
    if not can_manage_scorecards(request.user):
        raise Forbidden
    return scorecards_close(actor=request.user, period=period)


@router.post(
    "/scorecard-periods/{period_id}/reopen",
    response=PeriodOut,
    openapi_extra=PERIOD,
    operation_id="scorecard_reopen",
)
def periods_reopen(request, period_id: RecordId, payload: ReopenIn):
    """Reopen a closed period with a reason, audited (director/admin)."""
    period = get_object_or_404(ScorecardPeriod.objects.visible_to(request.user), pk=period_id)
    if not can_manage_scorecards(request.user):
        raise Forbidden
    scorecards_reopen(actor=request.user, period=period, reason=payload.reason)
    period.refresh_from_db()
    return period


@router.get(
    "/scorecards",
    response=list[ScorecardOut],
    openapi_extra=SCORECARD,
    operation_id="scorecard_list",
)
@paginate(ApiPagination)
def scorecards_list(
    request, period: int | None = optional_query(), team: int | None = optional_query()
):
    """Scorecards the caller may see (a rep their own, leaders their people's), best first."""
    cards = Scorecard.objects.visible_to(request.user).select_related("person")
    if period is not None:
        cards = cards.filter(period_id=period)
    if team is not None:
        cards = cards.filter(team_id=team)
    return [_card_out(card) for card in cards.order_by("period_id", "rank_company", "id")]


@router.get(
    "/scorecards/{pk}", response=ScorecardOut, openapi_extra=SCORECARD, operation_id="scorecard_get"
)
def scorecards_get(request, pk: RecordId):
    """One scorecard with each indicator's value, band and points."""
    card = get_object_or_404(
        Scorecard.objects.visible_to(request.user).select_related("person"), pk=pk
    )
    return _card_out(card, lines=scorecard_lines(scorecard=card))
