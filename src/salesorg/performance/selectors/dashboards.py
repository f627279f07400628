"""Dashboards for one unit the viewer may see: units and drill-down, series, the whole dashboard."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import cast

from django.contrib.auth.models import User
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from salesorg.core.calendar import workday_set
from salesorg.core.scoping import SystemActor
from salesorg.performance.charts.achievement import achievement_charts
from salesorg.performance.charts.activity import (
    check_in_chart,
    customers_charts,
    products_charts,
    receivables_charts,
    visits_charts,
)
from salesorg.performance.charts.tables import (
    DASHBOARD_BY_SLUG,
    DASHBOARD_FACTS,
    Dashboard,
    DashboardNotFound,
    NothingVisible,
    Unit,
)
from salesorg.performance.choices import Facts, Level
from salesorg.performance.kpi import facts
from salesorg.performance.kpi.attribution import (
    COMPANY,
    COMPANY_KEY,
    PERSON,
    REGION,
    TEAM,
    OrgSnapshot,
    UnitKey,
    org_snapshot,
)
from salesorg.performance.kpi.columns import FACT_COLUMNS, money
from salesorg.performance.kpi.indicators import (
    AUTO,
    RAW,
    indicator_table,
    product_mix,
    table_units,
)
from salesorg.performance.kpi.periods import (
    Period,
    month_end,
    progress_among,
    this_month,
)
from salesorg.performance.kpi.rollup_ageing import bucket_of, open_by_age
from salesorg.performance.kpi.rollup_sums import people_of
from salesorg.performance.kpi.targets import monthly_targets
from salesorg.performance.kpi.to_date import to_date
from salesorg.performance.kpi.unit_series import daily_visits, monthly_sales
from salesorg.sales.selectors.check_ins import (
    far_threshold_metres,
    may_see_check_in_coverage,
    rep_check_ins,
)
from salesorg.targets.choices import Metric

LEVELS = (COMPANY, REGION, TEAM, PERSON)


AGEING_BUCKETS: tuple[tuple[int, int | None, Promise], ...] = (
    (0, 30, gettext_lazy("0–30 days")),
    (31, 60, gettext_lazy("31–60 days")),
    (61, 90, gettext_lazy("61–90 days")),
    (91, 180, gettext_lazy("91–180 days")),
    (181, None, gettext_lazy("Over 180 days")),
)
AGE_BOUNDS = tuple((low, high) for low, high, _label in AGEING_BUCKETS)


def visible_units(*, org: OrgSnapshot, user: User | SystemActor) -> dict[UnitKey, Unit]:
    """The units the viewer may see: exactly those the engine would give them a row for."""
    units = table_units(org=org, level=Level.ALL, user=user)
    return {
        key: Unit(level=key[0], id=key[1], code=code, name=name)
        for key, (code, name) in units.labels.items()
    }


def default_unit(*, visible: dict[UnitKey, Unit]) -> Unit | None:
    """The highest unit the viewer may see: company, else a region, a team, themselves."""
    for level in LEVELS:
        candidates = [unit for unit in visible.values() if unit.level == level]
        if candidates:
            return sorted(candidates, key=lambda unit: unit.code)[0]
    return None


def _team_of(*, org: OrgSnapshot, person_id: int, day: date) -> int | None:
    teams = org.teams_on(person_id=person_id, day=day)
    if not teams:
        stints = org.stints.get(person_id, [])
        teams = [stints[-1].team_id] if stints else []
    return teams[0] if teams else None


def _parent(*, org: OrgSnapshot, unit: Unit, day: date) -> UnitKey | None:
    if unit.level == PERSON:
        team_id = _team_of(org=org, person_id=cast(int, unit.id), day=day)
        return (TEAM, team_id) if team_id is not None else COMPANY_KEY
    if unit.level == TEAM:
        return (REGION, org.teams[cast(int, unit.id)].region_id)
    if unit.level == REGION:
        return COMPANY_KEY
    return None


def _child_keys(*, org: OrgSnapshot, unit: Unit, day: date) -> list[UnitKey]:
    if unit.level == COMPANY:
        return [(REGION, region_id) for region_id in org.regions]
    if unit.level == REGION:
        return [(TEAM, t.id) for t in org.teams.values() if t.region_id == unit.id]
    if unit.level == TEAM:
        return [
            (PERSON, person_id)
            for person_id in org.rep_ids
            if unit.id in org.teams_on(person_id=person_id, day=day)
        ]
    return []


def breadcrumbs(*, org: OrgSnapshot, unit: Unit, visible: dict, day: date) -> list[Unit]:
    """The visible ancestors of a unit, top first, then the unit itself."""
    trail = [unit]
    key = _parent(org=org, unit=unit, day=day)
    while key is not None:
        if key in visible:
            trail.insert(0, visible[key])
        parent_unit = visible[key] if key in visible else _unit_for_key(org=org, key=key)
        key = _parent(org=org, unit=parent_unit, day=day)
    return trail


def _unit_for_key(*, org: OrgSnapshot, key: UnitKey) -> Unit:
    level, unit_id = key
    infos: dict[str, dict] = {PERSON: org.people, TEAM: org.teams, REGION: org.regions}
    info = infos.get(level, {}).get(unit_id)
    if info is None:
        return Unit(level=COMPANY, id=None, code="", name="")
    return Unit(level=level, id=unit_id, code=info.code, name=info.name)


def children(*, org: OrgSnapshot, unit: Unit, visible: dict, day: date) -> list[Unit]:
    """The unit's visible child units (the next drill level), by code."""
    keys = _child_keys(org=org, unit=unit, day=day)
    units = [visible[key] for key in keys if key in visible]
    return sorted(units, key=lambda child: child.code)


def dashboard_period(*, year: int, today: date) -> Period:
    """Whole months of `year` up to the current month (the whole year for past years)."""
    if year == today.year:
        return Period(start=date(year, 1, 1), end=month_end(year=year, month=today.month))
    return Period(start=date(year, 1, 1), end=date(year, 12, 31))


def receivables_ageing(
    *, org: OrgSnapshot, as_of: date, unit: UnitKey, today: date, source: str = AUTO
) -> list[tuple[str, Decimal]]:
    """A unit's open receivables at the end of `as_of` by age of the invoice.

    The balance is the engine's opening balance of the day after `as_of`, so the buckets
    add up to opening + invoiced − collected of the period ending on `as_of`. Read from
    the rollups (`kpi.rollup_ageing`); `source=RAW` computes it from the raw invoices and
    payments (the rollups' check).
    """
    reference = min(as_of, today)
    buckets: Counter = Counter()
    rows: Iterable[tuple[tuple[int, date, int], int]]
    if source == RAW:
        day_after = as_of + timedelta(days=1)
        rows = (
            ((rep_id, day, bucket_of(age=(reference - day).days, bounds=AGE_BOUNDS)), cents)
            for rep_id, day, cents in facts.opening_receivables(
                period=Period(start=day_after, end=day_after)
            )
        )
    else:
        # Every fact counts for the company: it needs the sums per bucket, nobody's units.
        company = unit == COMPANY_KEY
        rows = open_by_age(
            org=org,
            as_of=as_of,
            reference=reference,
            bounds=AGE_BOUNDS,
            people=people_of(org, unit),
            collapse=company,
        ).items()
        if company:
            for (_person, _day, bucket), cents in rows:
                buckets[bucket] += cents
            rows = ()
    for (person_id, day, bucket), cents in rows:
        if cents and unit in org.units_of(person_id=person_id, day=day):
            buckets[bucket] += cents
    return [
        (str(label), money(cents=buckets[i])) for i, (_l, _h, label) in enumerate(AGEING_BUCKETS)
    ]


def _chosen_unit(
    *, visible: dict[UnitKey, Unit], level: str | None, unit_id: int | None, what: str
) -> Unit:
    """The unit asked for if the viewer may see it (DashboardNotFound otherwise), or the
    highest one they see when none is asked for (NothingVisible if there is none)."""
    if level is None:
        unit = default_unit(visible=visible)
        if unit is None:
            raise NothingVisible(what)
        return unit
    key = (level, None if level == COMPANY else unit_id)
    if level not in LEVELS or key not in visible:
        raise DashboardNotFound(f"{level} {unit_id}")
    return visible[key]


@dataclass(frozen=True)
class AgeBucket:
    """The open receivables of invoices aged `low`–`high` days (`high` None: and older)."""

    label: str
    low: int
    high: int | None
    amount: Decimal


@dataclass(frozen=True)
class UnitAgeing:
    """A unit's open receivables at the end of `as_of`, by age counted to `reference`."""

    unit: Unit
    as_of: date
    reference: date
    buckets: list[AgeBucket]

    @property
    def total(self) -> Decimal:
        return sum((bucket.amount for bucket in self.buckets), Decimal("0.00"))


def unit_ageing(
    *,
    user: User | SystemActor,
    level: str | None,
    unit_id: int | None,
    as_of: date,
    today: date,
) -> UnitAgeing:
    """The receivables ageing of a unit the viewer may see (DashboardNotFound otherwise;
    no unit named: the highest they see), as the receivables dashboard shows it."""
    org = org_snapshot()
    unit = _chosen_unit(
        visible=visible_units(org=org, user=user), level=level, unit_id=unit_id, what="ageing"
    )
    amounts = receivables_ageing(org=org, as_of=as_of, unit=unit.key, today=today)
    return UnitAgeing(
        unit=unit,
        as_of=as_of,
        reference=min(as_of, today),
        buckets=[
            AgeBucket(label=label, low=low, high=high, amount=amount)
            for (low, high), (label, amount) in zip(AGE_BOUNDS, amounts, strict=True)
        ],
    )


def _check_in_chart(
    *, user: User | SystemActor, org: OrgSnapshot, unit: Unit, visible: dict, period: Period
):
    """The check-ins of the reps in `unit` the viewer may see, one row each (#18 point 3)."""
    members = people_of(org, unit.key)
    reps = sorted(
        (
            visible[(PERSON, person_id)]
            for person_id in org.rep_ids
            if (PERSON, person_id) in visible and (members is None or person_id in members)
        ),
        key=lambda rep: rep.code,
    )
    counts = rep_check_ins(
        user=user,
        start=period.start,
        end=period.end,
        rep_ids=None if members is None else {cast(int, rep.id) for rep in reps},
    )
    rows = []
    for rep in reps:
        found = counts.get(cast(int, rep.id))
        rows.append(
            (rep.name, *((found.visits, found.checked_in, found.far) if found else (0, 0, 0)))
        )
    return check_in_chart(rows=rows, far_metres=far_threshold_metres())


def dashboard_build(
    *,
    user: User | SystemActor,
    slug: str,
    level: str | None,
    unit_id: int | None,
    year: int,
    today: date,
) -> Dashboard:
    """The dashboard `slug` for one unit the viewer may see (DashboardNotFound otherwise)."""
    kind = DASHBOARD_BY_SLUG.get(slug)
    if kind is None:
        raise DashboardNotFound(slug)
    period = dashboard_period(year=year, today=today)
    org = org_snapshot()
    visible = visible_units(org=org, user=user)
    unit = _chosen_unit(visible=visible, level=level, unit_id=unit_id, what=slug)
    day = min(period.end, today)
    workdays = workday_set(period.start, period.end)  # one calendar read for the year and month
    progress = progress_among(period, today=today, workdays=workdays)
    month_progress = progress_among(this_month(today=day), today=today, workdays=workdays)
    kid_units = children(org=org, unit=unit, visible=visible, day=day)
    # Only the unit and its children are shown: the engine computes just their rows.
    shown = [unit.key, *(kid.key for kid in kid_units)]
    wanted = set(DASHBOARD_FACTS[slug])
    table = indicator_table(
        start=period.start, end=period.end, user=user, org=org, only=shown, wanted=wanted
    )
    rows = {(row.level, row.code): row for row in table.rows}
    row = rows[(unit.level, unit.code)]
    if Facts.SALES not in wanted:
        # The header shows the unit's sales against its target, and no chart its children's:
        # a table of the unit alone reads them (for the company, without split months).
        (header,) = indicator_table(
            start=period.start, end=period.end, user=user, org=org, only=[unit.key],
            wanted={Facts.SALES},
        ).rows  # fmt: skip
        row = replace(row, **{name: getattr(header, name) for name in FACT_COLUMNS[Facts.SALES]})
    kids = [(kid, rows[(kid.level, kid.code)]) for kid in kid_units]
    if slug == "achievement":
        charts = achievement_charts(
            unit=unit,
            row=row,
            sales=monthly_sales(org=org, period=period, unit=unit.key),
            # The table's metrics and units: its targets were read for this snapshot already.
            targets=monthly_targets(
                org=org, period=period, metrics=(Metric.SALES, Metric.GROSS_MARGIN), units=shown
            ),
            months=period.months(),
            kids=kids,
            progress=progress,
            month_progress=month_progress,
        )
    elif slug == "receivables":
        ageing = receivables_ageing(org=org, as_of=period.end, unit=unit.key, today=today)
        charts = receivables_charts(unit=unit, row=row, kids=kids, ageing=ageing, progress=progress)
    elif slug == "visits":
        by_day = daily_visits(org=org, period=period, unit=unit.key)
        charts = visits_charts(unit=unit, row=row, kids=kids, by_day=by_day, period=period)
        if may_see_check_in_coverage(user):
            charts.append(
                _check_in_chart(user=user, org=org, unit=unit, visible=visible, period=period)
            )
    elif slug == "products":
        mix_rows = product_mix(start=period.start, end=period.end, user=user, org=org, only=shown)
        charts = products_charts(unit=unit, row=row, kids=kids, mix_rows=mix_rows)
    else:
        charts = customers_charts(unit=unit, row=row, kids=kids)
    return Dashboard(
        kind=kind,
        unit=unit,
        year=year,
        period=period,
        breadcrumbs=breadcrumbs(org=org, unit=unit, visible=visible, day=day),
        children=kid_units,
        charts=charts,
        row=row,
        progress=progress,
        to_date=to_date(row=row, progress=progress),
    )
