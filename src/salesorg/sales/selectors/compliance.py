"""Checklist compliance (S2): the required steps visits skipped or answered "no", by rep,
team and reason, in the reader's scope."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet

from salesorg.core.scoping import SystemActor
from salesorg.org.models import Membership, Person, Team
from salesorg.sales.models import Visit, VisitStep

PERIODS = ("this_month", "last_month", "this_quarter", "last_quarter", "this_year", "last_year")


def compliance_period(*, key: str, today: date) -> tuple[date, date]:
    """The first and last day of a named period around `today` (this month by default)."""
    month_start = today.replace(day=1)
    quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    if key == "last_month":
        end = month_start - timedelta(days=1)
        return end.replace(day=1), end
    if key == "this_quarter":
        return quarter_start, _months_later(quarter_start, 3) - timedelta(days=1)
    if key == "last_quarter":
        end = quarter_start - timedelta(days=1)
        return end.replace(month=end.month - 2, day=1), end
    if key == "this_year":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if key == "last_year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    return month_start, _months_later(month_start, 1) - timedelta(days=1)


def _months_later(first: date, months: int) -> date:
    month = first.month - 1 + months
    return date(first.year + month // 12, month % 12 + 1, 1)


@dataclass
class ComplianceRow:
    """One rep's (or team's) visits with a checklist and the required steps they skipped."""

    visits: int = 0
    visits_skipping: int = 0
    steps_skipped: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    rep: Person | None = None
    team: Team | None = None

    @property
    def compliance_rate(self) -> Decimal | None:
        """Share of the visits with a checklist that skipped no required step."""
        if not self.visits:
            return None
        return Decimal(self.visits - self.visits_skipping) / Decimal(self.visits)

    @property
    def compliance_percent(self) -> Decimal | None:
        """The compliance rate in per cent, to two decimals (66.67)."""
        rate = self.compliance_rate
        return None if rate is None else (rate * 100).quantize(Decimal("0.01"))

    @property
    def top_reasons(self) -> list[tuple[str, int]]:
        """The reasons given, most frequent first."""
        return sorted(self.reasons.items(), key=lambda item: (-item[1], item[0]))


@dataclass
class ComplianceReport:
    """The compliance of a period: per rep, per team, in total, and the reasons given."""

    date_from: date
    date_to: date
    reps: list[ComplianceRow]
    teams: list[ComplianceRow]
    total: ComplianceRow


def skipped_steps(
    *, user: User | SystemActor, date_from: date, date_to: date
) -> QuerySet[VisitStep]:
    """Required steps skipped or answered "no" on visits of the period, in the user's scope."""
    return VisitStep.objects.visible_to(user).filter(
        visit__visit_date__gte=date_from,
        visit__visit_date__lte=date_to,
        required=True,
        done=False,
    )


def _teams_of(rep_ids: set[int], date_from: date, date_to: date) -> dict[int, Team]:
    """Each rep's team in the period (the latest membership that overlaps it)."""
    memberships = (
        Membership.objects.filter(person_id__in=rep_ids, start_date__lte=date_to)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=date_from))
        .select_related("team")
        .order_by("start_date")
    )
    return {membership.person_id: membership.team for membership in memberships}


def compliance_report(
    *, user: User | SystemActor, date_from: date, date_to: date
) -> ComplianceReport:
    """Visits with a checklist and required steps skipped, by rep, team and reason (5 queries)."""
    visits = (
        Visit.objects.visible_to(user)
        .filter(visit_date__gte=date_from, visit_date__lte=date_to, purpose_type__isnull=False)
        .values("rep_id")
        .annotate(visits=Count("id"))
    )
    rows: dict[int, ComplianceRow] = defaultdict(ComplianceRow)
    for entry in visits:
        rows[entry["rep_id"]].visits = entry["visits"]
    skipped = skipped_steps(user=user, date_from=date_from, date_to=date_to)
    for rep_id, steps, visits_skipping in (
        skipped.values("visit__rep_id")
        .annotate(steps=Count("id"), visits=Count("visit_id", distinct=True))
        .values_list("visit__rep_id", "steps", "visits")
    ):
        rows[rep_id].steps_skipped, rows[rep_id].visits_skipping = steps, visits_skipping
    for rep_id, reason, count in (
        skipped.values("visit__rep_id", "skip_reason")
        .annotate(count=Count("id"))
        .values_list("visit__rep_id", "skip_reason", "count")
    ):
        rows[rep_id].reasons[reason] = count
    people = Person.objects.in_bulk(list(rows))
    teams = _teams_of(set(rows), date_from, date_to)
    by_team: dict[int | None, ComplianceRow] = {}
    total = ComplianceRow()
    for rep_id, row in rows.items():
        row.rep, row.team = people[rep_id], teams.get(rep_id)
        team_row = by_team.setdefault(row.team.pk if row.team else None, ComplianceRow())
        team_row.team = row.team
        for summary in (team_row, total):
            _add(summary, row)
    reps = sorted(
        rows.values(), key=lambda r: (r.team.code if r.team else "", r.rep.code if r.rep else "")
    )
    teams_list = sorted(by_team.values(), key=lambda r: r.team.code if r.team else "")
    return ComplianceReport(date_from, date_to, reps, teams_list, total)


def _add(summary: ComplianceRow, row: ComplianceRow) -> None:
    summary.visits += row.visits
    summary.visits_skipping += row.visits_skipping
    summary.steps_skipped += row.steps_skipped
    for reason, count in row.reasons.items():
        summary.reasons[reason] = summary.reasons.get(reason, 0) + count


def compliance_skips(
    *,
    user: User | SystemActor,
    date_from: date,
    date_to: date,
    rep_id: int | None = None,
    team_id: int | None = None,
    reason: str | None = None,
) -> QuerySet[VisitStep]:
    """The skipped required steps behind a row of the report, with their visits, by date."""
    steps = skipped_steps(user=user, date_from=date_from, date_to=date_to)
    if rep_id is not None:
        steps = steps.filter(visit__rep_id=rep_id)
    if team_id is not None:
        # the team each rep is counted in on the report
        rep_ids = set(steps.values_list("visit__rep_id", flat=True).distinct())
        teams = _teams_of(rep_ids, date_from, date_to)
        steps = steps.filter(visit__rep_id__in=[p for p, t in teams.items() if t.pk == team_id])
    if reason is not None:
        steps = steps.filter(skip_reason=reason)
    return steps.select_related("visit__rep", "visit__customer", "visit__purpose_type").order_by(
        "-visit__visit_date", "visit__code", "position"
    )
