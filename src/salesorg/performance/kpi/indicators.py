"""The indicator engine: the indicator table and product mix of KPI.md for any period.

Everything is computed from a fixed number of aggregate queries (see `facts`), then
credited to units in Python through the membership on each fact's date. Amounts are
kept as integer cents until the row is built; rates are exact Decimal quotients in a
28-digit context, never rounded here (rendering is the edges' job).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from salesorg.core.dbrouter import reading_reports
from salesorg.core.scoping import Domain, SystemActor, scope_for
from salesorg.performance.choices import COLUMN_BY_NAME, Level
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
    workdays_by_unit,
)
from salesorg.performance.kpi.columns import (
    ALL_FACTS,
    CUSTOMERS,
    EXPENSES,
    FACT_COLUMNS,
    RECEIVABLES,
    SALES,
    VISITS,
    IndicatorRow,
    IndicatorTable,
    ProductMixRow,
    money,
    ratio,
)
from salesorg.performance.kpi.periods import Period, asked_period
from salesorg.performance.kpi.rollup_reader import RollupReader
from salesorg.performance.kpi.rollup_sums import credit_sales_lines, people_of
from salesorg.performance.kpi.targets import TargetCents, period_targets
from salesorg.sales.models import Category
from salesorg.targets.choices import Metric

# Where the engine reads facts: the rollups for whole months (AUTO), or the raw records.
AUTO, RAW = "auto", "raw"


LEVEL_ORDER = {PERSON: 0, TEAM: 1, REGION: 2, COMPANY: 3}


@dataclass
class TableUnits:
    """The units of a table, in row order, with their codes and names."""

    keys: list[UnitKey] = field(default_factory=list)
    labels: dict[UnitKey, tuple[str, str]] = field(default_factory=dict)


def _levels(level: str) -> tuple[str, ...]:
    if level == Level.ALL:
        return (PERSON, TEAM, REGION, COMPANY)
    if level not in LEVEL_ORDER:
        raise ValueError(f"unknown level {level!r}")
    return (str(level),)


def table_units(
    *, org: OrgSnapshot, level: str, user: User | SystemActor, only: Iterable[UnitKey] | None = None
) -> TableUnits:
    """The table's units at `level`, restricted to what `user` may see (SYSTEM: everything).

    `only` keeps just these units (a dashboard shows one unit and its children), so the
    engine reads and credits no more than they need; the scope still applies.
    """
    scope = scope_for(user)  # no user, no rows: a read that forgot its user fails closed
    full = scope.sees_all(Domain.SALES)
    wanted = None if only is None else set(only)
    units = TableUnits()

    def add(key: UnitKey, code: str, name: str) -> None:
        if wanted is None or key in wanted:
            units.keys.append(key)
            units.labels[key] = (code, name)

    levels = _levels(level)
    if PERSON in levels:
        for person_id in org.rep_ids:
            if full or person_id in scope.person_ids:
                person = org.people[person_id]
                add((PERSON, person_id), person.code, person.name)
    for unit_level, infos, visible in (
        (TEAM, org.teams, None if full else scope.led_team_ids),
        (REGION, org.regions, None if full else scope.led_region_ids),
    ):
        if unit_level in levels:
            for info in sorted(infos.values(), key=lambda info: info.code):
                if visible is None or info.id in visible:
                    add((unit_level, info.id), info.code, info.name)
    if COMPANY in levels and full:
        add(COMPANY_KEY, "", str(_("Company")))
    return units


def _own_rows_people(*, level: str, user: User | SystemActor) -> frozenset[int] | None:
    """The people a table of person rows can show the user, when that is not everyone (a
    rep: themselves): the engine then loads just them of the organization (None: all)."""
    if level != Level.PERSON:
        return None
    scope = scope_for(user)
    return None if scope.sees_all(Domain.SALES) else scope.person_ids


def _credit_sales(
    *, org: OrgSnapshot, period: Period, totals: dict, mix: dict | None, focus: set[int]
) -> None:
    rows = facts.sales_lines(period=period)
    credit_sales_lines(org=org, rows=rows, totals=totals, mix=mix, focus=focus)


def _credit(*, org: OrgSnapshot, totals: dict, metric: str, rows) -> None:
    """Add (person, day, value) facts to every unit they count for."""
    for person_id, day, value in rows:
        for unit in org.units_of(person_id=person_id, day=day):
            totals[unit][metric] += value


def _additive_totals(
    *, org: OrgSnapshot, period: Period, focus: set[int], wanted: frozenset[str] = ALL_FACTS
) -> dict:
    """Σ of every additive fact of the `wanted` families per unit, in cents or counts
    (up to nine aggregate queries)."""
    totals: dict[UnitKey, Counter] = defaultdict(Counter)
    if SALES in wanted:
        _credit_sales(org=org, period=period, totals=totals, mix=None, focus=focus)
    if RECEIVABLES in wanted:
        _credit(
            org=org,
            totals=totals,
            metric="ar_opening",
            rows=facts.opening_receivables(period=period),
        )
        _credit(org=org, totals=totals, metric="invoiced", rows=facts.invoiced(period=period))
        _credit(org=org, totals=totals, metric="collected", rows=facts.collected(period=period))
    if EXPENSES in wanted:
        _credit(org=org, totals=totals, metric="expenses", rows=facts.expenses(period=period))
    if CUSTOMERS in wanted:
        _credit(
            org=org,
            totals=totals,
            metric="new_customers",
            rows=((rep_id, day, 1) for rep_id, day in facts.first_orders(period=period)),
        )
        _credit(
            org=org, totals=totals, metric="prospects_added", rows=facts.prospects(period=period)
        )
    if VISITS in wanted:
        for rep_id, day, visit_count, service_count in facts.visits(period=period):
            for unit in org.units_of(person_id=rep_id, day=day):
                totals[unit]["visits"] += visit_count
                totals[unit]["service_calls"] += service_count
    return totals


def _target_pair(*, targets: dict, unit: UnitKey, metric: str) -> tuple[int | None, int | None]:
    value: TargetCents | None = targets.get((unit, metric))
    return (None, None) if value is None else (value.realistic, value.ideal)


def _reader(
    *, org: OrgSnapshot, period: Period, source: str, units: TableUnits
) -> RollupReader | None:
    """The rollups serve whole months; other periods (or source=RAW) read raw records.

    The reader reads only the facts of people who may count for the table's units.
    """
    if source == RAW or not period.covers_whole_months:
        return None
    if COMPANY_KEY in units.labels:  # the company counts everyone's facts
        return RollupReader(
            org=org, period=period, people=None, company_only=units.keys == [COMPANY_KEY]
        )
    people: set[int] | None = set()
    for unit in units.keys:
        unit_people = people_of(org, unit)
        if unit_people is None:
            people = None
            break
        people |= unit_people
    return RollupReader(org=org, period=period, people=people)


def _indicator_row(
    *,
    unit: UnitKey,
    units: TableUnits,
    totals: dict,
    targets: dict,
    breadth: dict[UnitKey, tuple[int, int]],
    workdays: dict[UnitKey, int],
) -> IndicatorRow:
    """One unit's row from the credited totals (cents and counts) and its targets."""
    unit_totals = totals.get(unit, Counter())
    sales = unit_totals["sales"]
    gross_margin = sales - unit_totals["cost"]
    sales_target, sales_target_ideal = _target_pair(targets=targets, unit=unit, metric=Metric.SALES)
    gm_target, gm_target_ideal = _target_pair(
        targets=targets, unit=unit, metric=Metric.GROSS_MARGIN
    )
    expense_budget, _ideal = _target_pair(targets=targets, unit=unit, metric=Metric.EXPENSE_BUDGET)
    opening, invoiced = unit_totals["ar_opening"], unit_totals["invoiced"]
    customers, industries = breadth.get(unit, (0, 0))
    unit_workdays = workdays.get(unit, 0)
    code, name = units.labels[unit]
    return IndicatorRow(
        level=unit[0],
        code=code,
        name=name,
        sales=money(cents=sales),
        gross_margin=money(cents=gross_margin),
        sales_target=_maybe_money(sales_target),
        sales_target_ideal=_maybe_money(sales_target_ideal),
        sales_achievement=ratio(numerator=sales, denominator=sales_target),
        sales_achievement_ideal=ratio(numerator=sales, denominator=sales_target_ideal),
        gm_target=_maybe_money(gm_target),
        gm_target_ideal=_maybe_money(gm_target_ideal),
        gm_achievement=ratio(numerator=gross_margin, denominator=gm_target),
        gm_achievement_ideal=ratio(numerator=gross_margin, denominator=gm_target_ideal),
        ar_opening=money(cents=opening),
        invoiced=money(cents=invoiced),
        collected=money(cents=unit_totals["collected"]),
        collection_rate=ratio(numerator=unit_totals["collected"], denominator=opening + invoiced),
        visits=unit_totals["visits"],
        service_calls=unit_totals["service_calls"],
        workdays=unit_workdays,
        visits_per_workday=ratio(numerator=unit_totals["visits"], denominator=unit_workdays),
        customers=customers,
        new_customers=unit_totals["new_customers"],
        prospects_added=unit_totals["prospects_added"],
        industries=industries,
        focus_share=ratio(numerator=unit_totals["focus_sales"], denominator=sales),
        expenses=money(cents=unit_totals["expenses"]),
        expense_budget=_maybe_money(expense_budget),
        expense_ratio=ratio(numerator=unit_totals["expenses"], denominator=expense_budget),
    )


@reading_reports()
def indicator_table(
    *,
    start: date,
    end: date,
    level: str = Level.ALL,
    user: User | SystemActor,
    org: OrgSnapshot | None = None,
    source: str = AUTO,
    only: Iterable[UnitKey] | None = None,
    wanted: Iterable[str] = ALL_FACTS,
) -> IndicatorTable:
    """The indicator table of KPI.md for [start, end] at `level`, as `user` (or SYSTEM) sees it.

    `org` lets a caller that already loaded the org snapshot share it (saves four queries);
    `source=RAW` computes from the raw records even for whole months (the rollups' check);
    `only` limits the rows to these units (see `table_units`), `wanted` the columns to
    those of these fact families (`FACT_COLUMNS`; the others are None).
    """
    wanted = frozenset(wanted)
    if not wanted <= ALL_FACTS:
        raise ValueError(f"unknown fact families {sorted(wanted - ALL_FACTS)}")
    period = asked_period(start=start, end=end)
    org = org or org_snapshot(people_only=_own_rows_people(level=level, user=user))
    units = table_units(org=org, level=level, user=user, only=only)
    reader = _reader(org=org, period=period, source=source, units=units)
    # The focus categories serve the raw order lines: of the period, or of its split months
    # (the rollups hold focus sales already); a rep's month mostly needs none (one query).
    focus: set[int] = set()
    if reader is None or (SALES in wanted and reader.split_in_period):
        focus = set(Category.objects.filter(focus=True).order_by().values_list("id", flat=True))
    breadth: dict[UnitKey, tuple[int, int]] = {}
    if reader is None:
        totals = _additive_totals(org=org, period=period, focus=focus, wanted=wanted)
        if CUSTOMERS in wanted:
            breadth = facts.customer_breadth(period=period)
    else:
        totals = defaultdict(Counter)
        reader.credit_all(totals=totals, focus=focus, wanted=wanted)
        if CUSTOMERS in wanted:
            breadth = reader.customer_breadth()
    # A table of person rows needs their own targets and workdays only, not every team's.
    people = {key[1] for key in units.keys} if all(k[0] == PERSON for k in units.keys) else None
    workdays = workdays_by_unit(org=org, period=period, people=people) if VISITS in wanted else {}
    # KPI.md, Sales and margin: targets only when P covers whole months.
    whole_months = period.covers_whole_months
    metrics = (
        *((Metric.SALES, Metric.GROSS_MARGIN) if SALES in wanted else ()),
        *((Metric.EXPENSE_BUDGET,) if EXPENSES in wanted else ()),
    )
    targets = (
        period_targets(
            org=org,
            period=period,
            metrics=metrics,
            people=people,
            units=None if only is None else units.keys,
        )
        if whole_months and metrics
        else {}
    )
    hidden = frozenset().union(*(FACT_COLUMNS[f] for f in ALL_FACTS - wanted))
    rows = []
    for unit in units.keys:
        row = _indicator_row(
            unit=unit,
            units=units,
            totals=totals,
            targets=targets,
            breadth=breadth,
            workdays=workdays,
        )
        rows.append(replace(row, **dict.fromkeys(hidden)) if hidden else row)
    return IndicatorTable(
        period=period, level=str(level), rows=rows, targets_available=whole_months
    )


def _maybe_money(cents: int | None) -> Decimal | None:
    return None if cents is None else money(cents=cents)


@reading_reports()
def product_mix(
    *,
    start: date,
    end: date,
    level: str = Level.ALL,
    user: User | SystemActor,
    org: OrgSnapshot | None = None,
    source: str = AUTO,
    only: Iterable[UnitKey] | None = None,
) -> list[ProductMixRow]:
    """Per unit and category with a confirmed order line in P: Σ amount and share of sales.

    `only` limits the rows to these units, as for `indicator_table`.
    """
    period = asked_period(start=start, end=end)
    org = org or org_snapshot(people_only=_own_rows_people(level=level, user=user))
    units = table_units(org=org, level=level, user=user, only=only)
    categories = {
        row[0]: row[1:]
        for row in Category.objects.order_by().values_list("id", "code", "name", "focus")
    }
    totals: dict[UnitKey, Counter] = defaultdict(Counter)
    mix: dict[UnitKey, dict[int, Counter]] = defaultdict(lambda: defaultdict(Counter))
    focus = {category_id for category_id, (_c, _n, is_focus) in categories.items() if is_focus}
    reader = _reader(org=org, period=period, source=source, units=units)
    if reader is None:
        _credit_sales(org=org, period=period, totals=totals, mix=mix, focus=focus)
    else:
        reader.credit_sales(totals=totals, mix=mix, focus=focus)
    rows = []
    for unit in units.keys:
        code, name = units.labels[unit]
        sales = totals[unit]["sales"] if unit in totals else 0
        by_category = sorted(mix.get(unit, {}).items(), key=lambda item: categories[item[0]][0])
        for category_id, sums in by_category:
            category_code, category_name, _focus = categories[category_id]
            rows.append(
                ProductMixRow(
                    level=unit[0],
                    code=code,
                    name=name,
                    category=category_code,
                    category_name=category_name,
                    amount=money(cents=sums["amount"]),
                    share=ratio(numerator=sums["amount"], denominator=sales),
                )
            )
    return rows


SORT_KEYS = frozenset({"level", "code", "name", *COLUMN_BY_NAME})


def indicator_rows_sorted(*, rows: list[IndicatorRow], sort: str) -> list[IndicatorRow]:
    """Rows by a column (`-column` descending); nulls always last; ties in table order."""
    descending = sort.startswith("-")
    column = sort.removeprefix("-")
    if column not in SORT_KEYS or column == "level":
        ordered = sorted(rows, key=lambda row: (LEVEL_ORDER[row.level], row.code))
        return list(reversed(ordered)) if descending and column == "level" else ordered
    present = [row for row in rows if row.value(column) is not None]
    missing = [row for row in rows if row.value(column) is None]
    present.sort(key=lambda row: row.value(column), reverse=descending)
    return present + missing


def indicator_rows_tree(
    *, rows: list[IndicatorRow], org: OrgSnapshot, period: Period, descending: bool = False
) -> list[IndicatorRow]:
    """Rows in tree order: the company first, then each region followed by its teams, each
    team followed by its people (a person under their last team in the period); units
    outside the tree (a team without region, a rep without team) after the others."""
    region_codes = {region_id: info.code for region_id, info in org.regions.items()}
    outside = (1, "")

    def team_path(team_id: int | None) -> tuple:
        team = org.teams.get(team_id) if team_id is not None else None
        if team is None:
            return (outside, outside)
        region = region_codes.get(team.region_id)
        return ((0, region) if region is not None else outside, (0, team.code))

    def last_team(person_id: int) -> int | None:
        stints = [
            s
            for s in org.stints.get(person_id, ())
            if s.start <= period.end and (s.end is None or s.end >= period.start)
        ]
        return max(stints, key=lambda s: s.start).team_id if stints else None

    team_ids = {info.code: team_id for team_id, info in org.teams.items()}
    region_ids = {info.code: region_id for region_id, info in org.regions.items()}
    person_ids = {info.code: person_id for person_id, info in org.people.items()}

    def path(row: IndicatorRow) -> tuple:
        if row.level == COMPANY:
            return ()
        if row.level == REGION:
            return ((0, row.code),) if row.code in region_ids else (outside,)
        if row.level == TEAM:
            return team_path(team_ids.get(row.code))
        person_id = person_ids.get(row.code)
        team = last_team(person_id) if person_id is not None else None
        return (*team_path(team), (0, row.code))

    ordered = sorted(rows, key=path)
    return list(reversed(ordered)) if descending else ordered
