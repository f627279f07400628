"""Scorecard writes: compute (one set-based pass), close, reopen.

Computing a period reads the indicator table of every rep once (the engine's bounded
queries), scores every rep in Python with `scoring`, and writes all scorecards and lines
with a fixed number of bulk statements, whatever the number of reps.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from salesorg.core.problems import Problems
from salesorg.core.roles import Role, person_of
from salesorg.core.scoping import SYSTEM
from salesorg.org.models import Membership, Person
from salesorg.performance import scoring
from salesorg.performance.choices import Level
from salesorg.performance.kpi.columns import IndicatorRow
from salesorg.performance.kpi.indicators import indicator_table
from salesorg.performance.kpi.periods import Period, period_progress
from salesorg.performance.kpi.to_date import row_to_date
from salesorg.performance.models import (
    IncentivePolicy,
    PeriodKind,
    PolicyIndicator,
    Scorecard,
    ScorecardLine,
    ScorecardPeriod,
    ScorecardReopening,
    ScorecardStatus,
)
from salesorg.performance.permissions import can_manage_scorecards
from salesorg.performance.selectors.policies import IDEAL_OF, policy_rules, published_policy
from salesorg.performance.selectors.scorecards import (
    period_bounds,
    period_start_problem,
    provisional_as_of,
)


@dataclass(frozen=True)
class ScoredLine:
    """One indicator of one rep, ready to store."""

    indicator: str
    value: str
    band: str
    weight: Decimal
    points: Decimal
    weighted_points: Decimal
    capped: bool
    ideal_bonus: bool
    position: int


def value_text(value) -> str:
    """An indicator value as exact text ('' for null)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return scoring.plain(value)
    return str(value)


def score_row(*, row: IndicatorRow, rules: list[PolicyIndicator]) -> list[ScoredLine]:
    """Score one rep's indicator row under a policy's rules (pure)."""
    lines = []
    for position, rule in enumerate(rules):
        value: Any = row.value(rule.indicator)
        ideal_column = IDEAL_OF.get(rule.indicator)
        ideal_value: Any = row.value(ideal_column) if ideal_column else None
        result = scoring.indicator_points(
            value=value,
            bands=scoring.bands_from_json(rule.bands),
            cap=rule.cap,
            ideal_bonus=rule.ideal_bonus,
            ideal_reached=ideal_value is not None and ideal_value >= 1,
        )
        lines.append(
            ScoredLine(
                indicator=rule.indicator,
                value=value_text(value),
                band=result.band.label() if result.band else "",
                weight=rule.weight,
                points=result.points,
                weighted_points=scoring.weighted(points=result.points, weight=rule.weight),
                capped=result.capped,
                ideal_bonus=result.ideal_bonus,
                position=position,
            )
        )
    return lines


def competition_ranks(totals: dict[int, Decimal]) -> dict[int, int]:
    """Rank 1 for the highest total; equal totals share a rank (1, 2, 2, 4)."""
    ordered = sorted(totals.values(), reverse=True)
    first_index: dict[Decimal, int] = {}
    for index, total in enumerate(ordered):
        first_index.setdefault(total, index + 1)
    return {key: first_index[total] for key, total in totals.items()}


def _teams_at_end(*, person_ids: list[int], period: Period) -> dict[int, int]:
    """Each person's team at the period's end (else their last team in it): one query."""
    teams: dict[int, int] = {}
    rows = (
        Membership.objects.filter(person_id__in=person_ids, start_date__lte=period.end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=period.start))
        .order_by("person_id", "start_date", "id")
        .values_list("person_id", "team_id")
    )
    for person_id, team_id in rows:
        teams[person_id] = team_id
    return teams


@transaction.atomic
def scorecards_compute(
    *, actor: User | None, kind: str, start: date, policy: IncentivePolicy | None = None
) -> ScorecardPeriod:
    """Score every rep for the period (creating it if needed); refused once closed."""
    problems = Problems()
    if actor is not None and not can_manage_scorecards(actor):
        problems.add("period", _("Only the director and admin compute scorecards."))
        problems.raise_if_any()
    start_problem = period_start_problem(kind=kind, start=start)
    if start_problem:
        problems.add("kind" if kind not in PeriodKind.values else "start", start_problem)
        problems.raise_if_any()
    bounds = period_bounds(kind=kind, start=start)
    scored = (
        ScorecardPeriod.objects.select_for_update()
        .filter(kind=kind, start=bounds.start)
        .select_related("policy")
        .first()
    )
    if scored is not None and scored.is_closed:
        problems.add("status", _("This period is closed; reopen it before computing again."))
        problems.raise_if_any()
    if policy is None:
        policy = scored.policy if scored is not None else published_policy(as_of=bounds.start)
    if policy is None or not policy.is_published:
        problems.add("policy", _("No published incentive policy is in force for this period."))
        problems.raise_if_any()
    if scored is None:
        scored = ScorecardPeriod(kind=kind, start=bounds.start, end=bounds.end)
    scored.policy = cast(IncentivePolicy, policy)  # checked above
    scored.computed_at = timezone.now()
    scored.save()
    _store(scored=scored, policy=scored.policy, bounds=bounds)
    return scored


def _store(*, scored: ScorecardPeriod, policy: IncentivePolicy, bounds: Period) -> None:
    """Write every rep's scorecard and lines with bulk statements (bounded queries)."""
    rules = policy_rules(policy=policy)
    tiers = scoring.tiers_from_json(policy.bonus_tiers)
    months = len(bounds.months())
    table = indicator_table(user=SYSTEM, start=bounds.start, end=bounds.end, level=Level.PERSON)
    as_of = provisional_as_of(scored=scored)
    if as_of is not None:  # a running period is scored against its targets due to date
        progress = period_progress(bounds, today=as_of)
        table_rows = [row_to_date(row=row, progress=progress) for row in table.rows]
    else:
        table_rows = table.rows
    employed = (
        Person.objects.filter(role=Role.REP)
        .exclude(leave_date__lt=bounds.start)
        .exclude(hire_date__gt=bounds.end)
    )
    ids = dict(employed.values_list("code", "id"))
    rows = {ids[row.code]: row for row in table_rows if row.code in ids}
    teams = _teams_at_end(person_ids=list(rows), period=bounds)
    lines_by_person, totals = {}, {}
    for person_id, row in rows.items():
        lines = score_row(row=row, rules=rules)
        lines_by_person[person_id] = lines
        totals[person_id] = scoring.total_score(
            weighted_points=[line.weighted_points for line in lines], cap=policy.total_cap
        )
    company_ranks = competition_ranks(totals)
    by_team: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for person_id, total in totals.items():
        if teams.get(person_id) is not None:
            by_team[teams[person_id]][person_id] = total
    team_ranks = {}
    for members in by_team.values():
        team_ranks.update(competition_ranks(members))
    existing = {card.person_id: card for card in Scorecard.objects.filter(period=scored)}
    gone = [card.pk for person_id, card in existing.items() if person_id not in rows]
    # Lines of an open period are rebuilt; a raw delete keeps this one statement (the
    # audit trail is the period's and the scorecards' history, not the derived lines').
    old_lines = ScorecardLine.objects.filter(scorecard__period=scored)
    old_lines._raw_delete(old_lines.db)
    Scorecard.objects.filter(pk__in=gone).delete()
    to_create, to_update = [], []
    for person_id in rows:
        factor = scoring.bonus_factor(total=totals[person_id], tiers=tiers)
        team_id = teams.get(person_id)
        values = {
            "team_id": team_id,
            "total_score": totals[person_id],
            "rank_team": team_ranks.get(person_id),
            "rank_company": company_ranks[person_id],
            "team_size": len(by_team.get(team_id, {})) if team_id else 0,
            "company_size": len(rows),
            "bonus_factor": factor if policy.bonus_base is not None else None,
            "bonus": scoring.bonus_amount(base=policy.bonus_base, months=months, factor=factor),
        }
        card = existing.get(person_id)
        if card is None:
            to_create.append(Scorecard(period=scored, person_id=person_id, **values))
        else:
            for name, value in values.items():
                setattr(card, name, value)
            to_update.append(card)
    # Scorecards keep their audit trail (a history row per create and per recompute).
    to_create = bulk_create_with_history(to_create, Scorecard, batch_size=500)
    if to_update:
        bulk_update_with_history(to_update, Scorecard, [*values], batch_size=500)
    cards = {card.person_id: card for card in (*to_create, *to_update)}
    ScorecardLine.objects.bulk_create(
        ScorecardLine(scorecard_id=cards[person_id].pk, **line.__dict__)
        for person_id, lines in lines_by_person.items()
        for line in lines
    )


@transaction.atomic
def scorecards_close(*, actor: User | None, period: ScorecardPeriod) -> ScorecardPeriod:
    """Freeze a period: its stored values never change again unless it is reopened."""
    problems = Problems()
    if actor is not None and not can_manage_scorecards(actor):
        problems.add("status", _("Only the director and admin close scorecards."))
    period = ScorecardPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_closed:
        problems.add("status", _("This period is already closed."))
    problems.raise_if_any()
    period.status = ScorecardStatus.CLOSED
    period.closed_at = timezone.now()
    period.closed_by = person_of(actor) if actor is not None else None
    period.save(update_fields=["status", "closed_at", "closed_by"])
    return period


@transaction.atomic
def scorecards_reopen(*, actor: User, period: ScorecardPeriod, reason: str) -> ScorecardReopening:
    """Open a closed period again (director/admin), recording who, when and why."""
    problems = Problems()
    if not can_manage_scorecards(actor):
        problems.add("status", _("Only the director and admin reopen scorecards."))
    if not (reason or "").strip():
        problems.add("reason", _("Say why the period is reopened."))
    period = ScorecardPeriod.objects.select_for_update().get(pk=period.pk)
    if not period.is_closed:
        problems.add("status", _("This period is not closed."))
    person = person_of(actor)
    if person is None:
        problems.add("status", _("Only a person of the organization can reopen scorecards."))
    problems.raise_if_any()
    period.status = ScorecardStatus.OPEN
    period.closed_at = None
    period.closed_by = None
    period.save(update_fields=["status", "closed_at", "closed_by"])
    return ScorecardReopening.objects.create(
        period=period, reopened_by=person, reason=reason.strip()
    )
