"""Month sums of the rollups, and who and which months of people they may be credited for."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import connections
from django.db.models import Q

from salesorg.core.dbrouter import report_read_alias
from salesorg.customers.models import Customer
from salesorg.performance.choices import Facts
from salesorg.performance.kpi.attribution import COMPANY_KEY, PERSON, TEAM, OrgSnapshot, UnitKey
from salesorg.performance.kpi.periods import Period, month_end
from salesorg.performance.kpi.sql import Key, SqlDialect, table_name
from salesorg.performance.models import (
    RollupCategoryMonth,
    RollupFirstOrder,
    RollupMonth,
    RollupPayment,
    RollupVisitDay,
)
from salesorg.sales.models import Category


def _split_columns(select: str) -> list[str]:
    """The comma-separated expressions of a select list (commas inside parentheses kept)."""
    columns, depth, current = [], 0, ""
    for char in select:
        if char == "," and depth == 0:
            columns.append(current)
            current = ""
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        current += char
    return [*columns, current]


# The facts `_month_sums` adds up per person and month, in its column order.
MONTH_SUMS = (
    "sales",
    "cost",
    "focus_sales",
    "invoiced",
    "expenses",
    "collected",
    "visits",
    "service_calls",
    "new_customers",
    "prospects_added",
)


def split_months(org: OrgSnapshot, people: set[int] | None = None) -> set[Key]:
    """(person, month) pairs in which one of the person's memberships starts or ends (of
    `people`; None: of everyone)."""
    split: set[Key] = set()
    if people is None:
        chosen = org.stints.items()
    else:
        chosen = ((person_id, org.stints.get(person_id, ())) for person_id in people)
    for person_id, stints in chosen:
        for stint in stints:
            if stint.start.day != 1:
                split.add((person_id, stint.start.replace(day=1)))
            end = stint.end
            if end is not None and end != month_end(year=end.year, month=end.month):
                split.add((person_id, end.replace(day=1)))
    return split


def pairs_q(pairs: set[Key], *, person: str, day: str) -> Q | None:
    """Rows of the given persons' months: one OR term per month."""
    by_month: dict[date, list[int]] = defaultdict(list)
    for person_id, month in pairs:
        by_month[month].append(person_id)
    condition = None
    for month, person_ids in sorted(by_month.items()):
        term = Q(
            **{
                f"{person}__in": sorted(person_ids),
                f"{day}__range": (month, month_end(year=month.year, month=month.month)),
            }
        )
        condition = term if condition is None else condition | term
    return condition


def credit_sales_lines(
    *, org: OrgSnapshot, rows, totals: dict, mix: dict | None, focus: set[int]
) -> None:
    """Credit `facts.sales_lines` rows to every unit they count for (and the mix).

    The rows are added up per set of units first (a person's days mostly share one),
    then credited once per unit: thousands of rows, a few dozen sets.
    """
    units_of = org.units_of
    by_units: dict[tuple[UnitKey, ...], dict[int, list[int]]] = defaultdict(dict)
    for rep_id, day, category_id, amount, cost, lines in rows:
        categories = by_units[units_of(person_id=rep_id, day=day)]
        sums = categories.get(category_id)
        if sums is None:
            categories[category_id] = [amount, cost, lines]
        else:
            sums[0] += amount
            sums[1] += cost
            sums[2] += lines
    for units, categories in by_units.items():
        sales = sum(amount for amount, _cost, _lines in categories.values())
        cost = sum(cost for _amount, cost, _lines in categories.values())
        focus_sales = sum(
            amount for category_id, (amount, _c, _l) in categories.items() if category_id in focus
        )
        for unit in units:
            unit_totals = totals[unit]
            unit_totals["sales"] += sales
            unit_totals["cost"] += cost
            if focus_sales:
                unit_totals["focus_sales"] += focus_sales
            if mix is not None:
                unit_mix = mix[unit]
                for category_id, (amount, _cost, lines) in categories.items():
                    unit_mix[category_id]["amount"] += amount
                    unit_mix[category_id]["lines"] += lines


def people_of(org: OrgSnapshot, unit: UnitKey) -> set[int] | None:
    """The people whose facts may count for `unit` (None: everyone, the company)."""
    level, unit_id = unit
    if unit == COMPANY_KEY:
        return None
    if level == PERSON:
        return {unit_id}
    teams = (
        {unit_id}
        if level == TEAM
        else {team_id for team_id, team in org.teams.items() if team.region_id == unit_id}
    )
    return {
        person_id
        for person_id, stints in org.stints.items()
        if any(stint.team_id in teams for stint in stints)
    }


def _sum_part(
    *,
    select: str,
    table,
    where: str,
    period: Period,
    people: set[int] | None,
    person: str = "person_id",
    extra: tuple = (),
    moving: set[int] | None = None,
) -> tuple[str, list]:
    """One rollup table's sums per (person, month), as `month_sums` unites them.

    Each part is summed per (person, month) on its own, so the union holds one row per key
    and part (tens of thousands), not every rollup row (the visit days alone are hundreds
    of thousands, which made the outer sort spill). With `moving`, the months of P of
    everyone else are summed into one row keyed by P's first month.
    """
    names = ["person_id", "month", *(f"c{n}" for n in range(len(MONTH_SUMS)))]
    expressions = [expression.strip() for expression in _split_columns(select)]
    keys, values = expressions[:2], expressions[2:]
    key_params: list = []
    if moving is not None:
        month = keys[1]
        stays = ""
        if moving:
            stays = f" AND t.{person} NOT IN ({', '.join(['%s'] * len(moving))})"
        keys[1] = f"CASE WHEN {month} BETWEEN %s AND %s{stays} THEN %s ELSE {month} END"
        key_params = [period.start, period.end, *sorted(moving), period.start]
    columns = ", ".join(
        [f"{expression} AS {name}" for expression, name in zip(keys, names, strict=False)]
        + [
            # Sums as bigint: PostgreSQL's SUM(bigint) is numeric, read back as Decimal.
            f"{expression} AS {name}"
            if expression == "0"
            else f"CAST(SUM({expression}) AS bigint) AS {name}"
            for expression, name in zip(values, names[2:], strict=True)
        ]
    )
    sql = f"SELECT {columns} FROM {table_name(table)} t WHERE {where}"
    people_params: list = []
    if people is not None:
        sql += f" AND t.{person} IN ({', '.join(['%s'] * len(people))})"
        people_params = sorted(people)
    # By position: PostgreSQL does not match a SELECT expression to a GROUP BY one that
    # carries parameters of its own.
    return f"{sql} GROUP BY 1, 2", [
        *key_params,
        period.start,
        period.end,
        *extra,
        *people_params,
    ]


def _month_sum_parts(d: SqlDialect) -> list[tuple[Facts | None, dict]]:
    """The rollup tables `month_sums` adds up, each with the fact family it serves (None:
    sales, cost, invoiced and expenses, one row per person-month, always read)."""
    return [
        (
            None,
            {
                "select": "t.person_id, t.month, t.sales, t.cost, 0, t.invoiced, t.expenses, "
                "0, 0, 0, 0, 0",
                "table": RollupMonth,
                "where": "t.month BETWEEN %s AND %s",
            },
        ),
        (
            Facts.SALES,
            {
                "select": "t.person_id, t.month, 0, 0, t.amount, 0, 0, 0, 0, 0, 0, 0",
                "table": RollupCategoryMonth,
                "where": f"t.month BETWEEN %s AND %s AND t.category_id IN (SELECT id FROM "
                f"{table_name(Category)} WHERE focus = %s)",
                "extra": (True,),
            },
        ),
        (
            Facts.RECEIVABLES,
            {
                "select": "t.person_id, t.invoice_month, 0, 0, 0, 0, 0, t.amount, 0, 0, 0, 0",
                "table": RollupPayment,
                "where": "t.payment_month BETWEEN %s AND %s",
            },
        ),
        (
            Facts.VISITS,
            {
                "select": "t.person_id, t.month, 0, 0, 0, 0, 0, 0, t.visits, t.service_calls, 0, 0",
                "table": RollupVisitDay,
                "where": "t.month BETWEEN %s AND %s",
            },
        ),
        (
            Facts.CUSTOMERS,
            {
                "select": f"t.person_id, {d.month('t.day')}, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0",
                "table": RollupFirstOrder,
                "where": "t.day BETWEEN %s AND %s",
            },
        ),
        (
            Facts.CUSTOMERS,
            {
                "select": f"t.owner_id, {d.month('t.created_date')}, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1",
                "table": Customer,
                "where": "t.created_date BETWEEN %s AND %s",
                "person": "owner_id",
            },
        ),
    ]


def month_sums(
    *,
    period: Period,
    people: set[int] | None,
    wanted: frozenset[str],
    moving: set[int] | None = None,
) -> list[tuple]:
    """(person, month, *MONTH_SUMS) of the rollups of the `wanted` fact families,
    summed in one statement (the families not wanted sum to 0); `people` None is everyone.

    `collected` is keyed by the invoice's month (a payment's crediting date), every
    other fact by the month of its own date. `moving` names the people whose units change
    inside P: the others' months of P come as one row keyed by P's first month (a year of
    1,000 people is 1,000 rows and not 12,000), their months outside P (payments on older
    invoices) as they are.
    """
    if people is not None and not people:
        return []
    parts = [
        _sum_part(period=period, people=people, moving=moving, **part)
        for family, part in _month_sum_parts(SqlDialect())
        if family in (None, *wanted)
    ]
    params = [param for _sql, part_params in parts for param in part_params]
    union = " UNION ALL ".join(sql for sql, _extra in parts)
    sums = ", ".join(f"CAST(SUM(s.c{n}) AS bigint)" for n in range(len(MONTH_SUMS)))
    # Raw SQL passes no router: ask for the alias report reads go to.
    with connections[report_read_alias()].cursor() as cursor:
        cursor.execute(
            f"SELECT s.person_id, s.month, {sums} FROM ({union}) s GROUP BY s.person_id, s.month",
            params,
        )
        rows = cursor.fetchall()
    return [
        (row[0], row[1] if isinstance(row[1], date) else date.fromisoformat(row[1]), *row[2:])
        for row in rows
    ]
