"""Dashboards: chart series and data tables built from the indicator engine, per unit.

Every number comes from the engine: one `indicator_table` call per page, for just the
unit and its child units of the period, plus the engine's own fact queries (`facts`),
crediting (`attribution`) and targets (`targets`) where a chart needs a finer grain than the
period (months, days, ageing buckets). Each chart's series is derived from its data
table, so the chart, the accessible table beneath it and its Excel download always
show the same numbers. Scope: a unit is shown only if the engine returns its row for
the viewer (a rep sees only their own person row); anything else is "not found".
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _
from openpyxl import Workbook

from salesorg.core.calendar import workday_set
from salesorg.core.money import XLSX_MONEY_FORMAT, format_money
from salesorg.core.numbers import format_number
from salesorg.performance import facts, rollup_facts
from salesorg.performance.attribution import (
    COMPANY,
    COMPANY_KEY,
    PERSON,
    REGION,
    TEAM,
    OrgSnapshot,
    UnitKey,
    org_snapshot,
)
from salesorg.performance.choices import Facts, Level
from salesorg.performance.exports import value_text
from salesorg.performance.indicators import (
    IndicatorRow,
    indicator_rows_sorted,
    indicator_table,
    money,
    product_mix,
    ratio,
    table_units,
)
from salesorg.performance.periods import (
    Period,
    PeriodProgress,
    month_end,
    period_heading,
    progress_among,
    this_month,
)
from salesorg.performance.targets import monthly_targets
from salesorg.performance.to_date import ToDate, to_date
from salesorg.performance.to_date import rate as rate_of
from salesorg.targets.choices import Metric

LEVELS = (COMPANY, REGION, TEAM, PERSON)
HUNDREDTH = Decimal("0.01")
AGEING_BUCKETS: tuple[tuple[int, int | None, Promise], ...] = (
    (0, 30, gettext_lazy("0–30 days")),
    (31, 60, gettext_lazy("31–60 days")),
    (61, 90, gettext_lazy("61–90 days")),
    (91, 180, gettext_lazy("91–180 days")),
    (181, None, gettext_lazy("Over 180 days")),
)

TEXT, AMOUNT, PERCENT, COUNT, RATIO = "text", "amount", "percent", "count", "ratio"


class DashboardNotFound(LookupError):
    """The dashboard, level or unit does not exist or is outside the viewer's scope."""


class NothingVisible(DashboardNotFound):
    """The viewer may see no unit at all (no sales figures in their scope)."""


@dataclass(frozen=True)
class DashboardKind:
    """A dashboard: its URL slug, title and icon."""

    slug: str
    title: Promise
    icon: str


DASHBOARDS: tuple[DashboardKind, ...] = (
    DashboardKind("achievement", gettext_lazy("Sales achievement"), "bullseye"),
    DashboardKind("receivables", gettext_lazy("Receivables"), "cash-coin"),
    DashboardKind("visits", gettext_lazy("Visit rhythm"), "calendar3"),
    DashboardKind("products", gettext_lazy("Product mix"), "pie-chart"),
    DashboardKind("customers", gettext_lazy("Customers"), "building"),
)
DASHBOARD_BY_SLUG = {kind.slug: kind for kind in DASHBOARDS}
# The fact families each dashboard's charts show: the engine computes no others.
DASHBOARD_FACTS: dict[str, tuple[Facts, ...]] = {
    "achievement": (Facts.SALES,),
    "receivables": (Facts.RECEIVABLES,),
    "visits": (Facts.VISITS,),
    "products": (Facts.SALES,),
    "customers": (Facts.CUSTOMERS,),
}


@dataclass(frozen=True)
class Unit:
    """A unit of the org a dashboard can show: the company, a region, a team or a rep."""

    level: str
    id: int | None
    code: str
    name: str

    @property
    def key(self) -> UnitKey:
        return (self.level, self.id)


@dataclass(frozen=True)
class TableColumn:
    """A data-table column: heading and kind (text, amount, percent, count, ratio)."""

    label: str
    kind: str


@dataclass
class DataTable:
    """The numbers of one chart: caption, columns and rows of raw values (Decimal/int/str)."""

    key: str
    caption: str
    columns: list[TableColumn]
    rows: list[list] = field(default_factory=list)

    def display_rows(self) -> list[list[str]]:
        """The rows as text for the screen (amounts in yuan, rates as percentages)."""
        return [
            [
                cell_text(value=value, kind=column.kind)
                for value, column in zip(row, self.columns, strict=True)
            ]
            for row in self.rows
        ]


@dataclass
class Chart:
    """A chart: its ECharts option (data taken from `table`) and the table itself."""

    key: str
    title: str
    option: dict
    table: DataTable
    value_kind: str = AMOUNT
    height: int = 320
    # The index of the category still running (the current month): drawn as partial.
    partial: int | None = None

    @property
    def payload(self) -> dict:
        """What the browser needs to draw the chart (json_script data)."""
        return {
            "option": self.option,
            "kind": self.value_kind,
            "locale": chart_locale(),
            "height": self.height,
            "partial": self.partial,
        }


@dataclass
class Dashboard:
    """One dashboard for one unit and year: where it sits, where to drill, its charts."""

    kind: DashboardKind
    unit: Unit
    year: int
    period: Period
    breadcrumbs: list[Unit]
    children: list[Unit]
    charts: list[Chart]
    row: IndicatorRow
    progress: PeriodProgress
    to_date: ToDate

    @property
    def heading(self) -> str:
        """The period's heading, marked while it runs: "2026年（截至 2026-12-06）"."""
        year = Period(start=date(self.year, 1, 1), end=date(self.year, 12, 31))
        return period_heading(year, today=self.progress.today)

    def chart(self, key: str) -> Chart:
        """The chart with this key (DashboardNotFound if none)."""
        for chart in self.charts:
            if chart.key == key:
                return chart
        raise DashboardNotFound(key)


# Rendering helpers ------------------------------------------------------------


def chart_locale() -> str:
    """ECharts' built-in locale for the active language."""
    return "ZH" if (get_language() or "en").lower().startswith("zh") else "EN"


def percent_value(rate: Decimal | None) -> Decimal | None:
    """A rate as a percentage with 2 decimals (0.85025 → 85.03), as on the KPI screen."""
    if rate is None:
        return None
    return (rate * 100).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def ratio_value(rate: Decimal | None) -> Decimal | None:
    """A plain ratio with 2 decimals (visits per workday), as on the KPI screen."""
    return None if rate is None else rate.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def cell_text(*, value, kind: str) -> str:
    """A table cell as text: — for null, ¥ amounts, percentages with 2 decimals."""
    if value is None:
        return "—"
    if kind == AMOUNT:
        return format_money(value)
    if kind == PERCENT:
        return f"{number_format(percent_value(value), 2)}%"
    if kind == RATIO:
        return number_format(ratio_value(value), 2)
    if kind == COUNT and isinstance(value, int | Decimal):
        return format_number(value)
    return str(value)


def chart_value(value, kind: str):
    """A value as the chart plots it: amounts exact, rates as rounded percentages."""
    if kind == PERCENT:
        return percent_value(value)
    if kind == RATIO:
        return ratio_value(value)
    return value


XLSX_FORMATS = {AMOUNT: XLSX_MONEY_FORMAT, PERCENT: "0.00%", RATIO: "0.00", COUNT: "0"}


def data_table_xlsx(*, table: DataTable, note: str = "") -> bytes:
    """A data table as an .xlsx workbook: translated headings, Decimal cells, nulls empty.

    `note` follows the caption (the period of figures not yet ended: "2026年（截至 …）")."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.key[:31]
    sheet.append([table.caption, note] if note else [table.caption])
    sheet.append([column.label for column in table.columns])
    for row in table.rows:
        sheet.append([str(v) if isinstance(v, Promise) else v for v in row])
        for index, column in enumerate(table.columns, start=1):
            number_format = XLSX_FORMATS.get(column.kind)
            if number_format:
                sheet.cell(row=sheet.max_row, column=index).number_format = number_format
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Units, scope and drill-down ----------------------------------------------------


def visible_units(*, org: OrgSnapshot, user) -> dict[UnitKey, Unit]:
    """The units the viewer may see: exactly those the engine would give them a row for."""
    units = table_units(org=org, level=Level.ALL, user=user)
    return {
        key: Unit(level=key[0], id=key[1], code=code, name=name)
        for key, (code, name) in units.labels.items()
    }


def default_unit(visible: dict[UnitKey, Unit]) -> Unit | None:
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
        team_id = _team_of(org=org, person_id=unit.id, day=day)
        return (TEAM, team_id) if team_id is not None else COMPANY_KEY
    if unit.level == TEAM:
        return (REGION, org.teams[unit.id].region_id)
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
    info = {PERSON: org.people, TEAM: org.teams, REGION: org.regions}.get(level, {}).get(unit_id)
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


# Fine-grained series from the engine's facts -------------------------------------


def monthly_sales(*, org: OrgSnapshot, period: Period, unit: UnitKey) -> dict[tuple[int, int], int]:
    """A unit's confirmed sales in cents per month, credited as the engine credits them."""
    if period.covers_whole_months:
        return rollup_facts.monthly_sales(org=org, period=period, unit=unit)
    by_month: Counter = Counter()
    for rep_id, day, _category, amount, _cost, _lines in facts.sales_lines(period=period):
        if unit in org.units_of(person_id=rep_id, day=day):
            by_month[(day.year, day.month)] += amount
    return by_month


def daily_visits(*, org: OrgSnapshot, period: Period, unit: UnitKey) -> dict[date, int]:
    """A unit's visits (KPI.md, Visits) per day, credited as the engine credits them."""
    return rollup_facts.daily_visits(org=org, period=period, unit=unit)


def receivables_ageing(
    *, org: OrgSnapshot, as_of: date, unit: UnitKey, today: date
) -> list[tuple[str, Decimal]]:
    """A unit's open receivables at the end of `as_of` by age of the invoice (one query).

    The balance is the engine's opening balance of the day after `as_of`, so the buckets
    add up to opening + invoiced − collected of the period ending on `as_of`.
    """
    day_after = as_of + timedelta(days=1)
    reference = min(as_of, today)
    buckets: Counter = Counter()
    for rep_id, invoice_day, open_cents in facts.opening_receivables(
        period=Period(start=day_after, end=day_after)
    ):
        if unit not in org.units_of(person_id=rep_id, day=invoice_day):
            continue
        age = max(0, (reference - invoice_day).days)
        for index, (low, high, _label) in enumerate(AGEING_BUCKETS):
            if age >= low and (high is None or age <= high):
                buckets[index] += open_cents
                break
    return [
        (str(label), money(cents=buckets[i])) for i, (_l, _h, label) in enumerate(AGEING_BUCKETS)
    ]


# Charts -----------------------------------------------------------------------


def _month_label(year: int, month: int) -> str:
    return date_format(date(year, month, 1), "YEAR_MONTH_FORMAT")


def _bar_line_option(*, categories: list[str], series: list[dict], horizontal=False) -> dict:
    category_axis = {"type": "category", "data": categories}
    value_axis = {"type": "value"}
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 16, "top": 40, "bottom": 8, "containLabel": True},
        "xAxis": value_axis if horizontal else category_axis,
        "yAxis": category_axis if horizontal else value_axis,
        "series": series,
    }


def _series(name: str, chart_type: str, data: list, **extra) -> dict:
    return {"name": name, "type": chart_type, "data": data, **extra}


def _column(table: DataTable, index: int) -> list:
    kind = table.columns[index].kind
    return [chart_value(row[index], kind) for row in table.rows]


def achievement_charts(
    *,
    unit: Unit,
    row: IndicatorRow,
    sales: dict,
    targets: dict,
    months,
    kids,
    progress: PeriodProgress,
    month_progress: PeriodProgress,
):
    """Monthly achievement bars with both target lines, cumulative sales, child ranking.

    While the period runs, the current month is labelled "（截至6日）", drawn as a
    partial bar beside its target due to date, and every achievement is also given
    against the target pro-rated by working days elapsed; the ranking goes by that.
    """
    running = progress.running
    current = (month_progress.period.start.year, month_progress.period.start.month)
    monthly = DataTable(
        key="achievement-monthly",
        caption=_("Sales and targets by month"),
        columns=[
            TableColumn(_("Month"), TEXT),
            TableColumn(pgettext("money sold", "Sales"), AMOUNT),
            TableColumn(_("Realistic target"), AMOUNT),
            TableColumn(_("Ideal target"), AMOUNT),
            TableColumn(_("Achievement (realistic)"), PERCENT),
            TableColumn(_("Achievement (ideal)"), PERCENT),
        ],
    )
    cumulative = DataTable(
        key="achievement-cumulative",
        caption=_("Cumulative sales against target, year to date"),
        columns=[
            TableColumn(_("Month"), TEXT),
            TableColumn(_("Cumulative sales"), AMOUNT),
            TableColumn(_("Cumulative realistic target"), AMOUNT),
            TableColumn(_("Cumulative ideal target"), AMOUNT),
        ],
    )
    if running:
        monthly.columns += [
            TableColumn(_("Realistic target to date"), AMOUNT),
            TableColumn(_("Achievement to date (realistic)"), PERCENT),
        ]
        cumulative.columns.append(TableColumn(_("Cumulative realistic target to date"), AMOUNT))
    partial = None
    running_sales, running_target, running_ideal = 0, None, None
    for index, (year, month) in enumerate(months):
        cents = sales.get((year, month), 0)
        target = targets.get((year, month), {}).get((unit.key, Metric.SALES))
        realistic = None if target is None else target.realistic
        ideal = None if target is None else target.ideal
        label = _month_label(year, month)
        whole = None if realistic is None else money(cents=realistic)
        due = whole
        if (year, month) == current and month_progress.running:
            partial = index
            label = period_heading(month_progress.period, today=month_progress.today)
            due = month_progress.prorate(whole)
        monthly.rows.append(
            [
                label,
                money(cents=cents),
                whole,
                None if ideal is None else money(cents=ideal),
                ratio(numerator=cents, denominator=realistic),
                ratio(numerator=cents, denominator=ideal),
            ]
        )
        due_before = None if running_target is None else money(cents=running_target)
        running_sales += cents
        if realistic is not None:
            running_target = (running_target or 0) + realistic
            running_ideal = (running_ideal or 0) + ideal
        cumulative.rows.append(
            [
                label,
                money(cents=running_sales),
                None if running_target is None else money(cents=running_target),
                None if running_ideal is None else money(cents=running_ideal),
            ]
        )
        if running:
            # Only the running month has a target due to date of its own; ended months "—".
            if partial == index:
                monthly.rows[-1] += [due, rate_of(actual=money(cents=cents), target=due)]
            else:
                monthly.rows[-1] += [None, None]
            due_total = due_before if due is None else (due_before or 0) + due
            cumulative.rows[-1].append(due_total)
    labels = [r[0] for r in monthly.rows]
    monthly_series = [
        _series(pgettext("money sold", "Sales"), "bar", _column(monthly, 1)),
        _series(_("Realistic target"), "line", _column(monthly, 2), connectNulls=True),
        _series(
            _("Ideal target"),
            "line",
            _column(monthly, 3),
            connectNulls=True,
            lineStyle={"type": "dashed"},
        ),
    ]
    cumulative_series = [
        _series(_("Cumulative sales"), "line", _column(cumulative, 1), areaStyle={"opacity": 0.15}),
        _series(_("Cumulative realistic target"), "line", _column(cumulative, 2)),
        _series(
            _("Cumulative ideal target"),
            "line",
            _column(cumulative, 3),
            lineStyle={"type": "dashed"},
        ),
    ]
    if partial is not None:
        # The running month's target due to date: a short dash at its level on the bar.
        due_values = _column(monthly, 6)
        monthly_series.append(
            _series(
                _("Realistic target to date"),
                "scatter",
                [value if index == partial else None for index, value in enumerate(due_values)],
                symbol="rect",
                symbolSize=[28, 3],
            )
        )
    if running:
        cumulative_series.append(
            _series(
                _("Cumulative realistic target to date"),
                "line",
                _column(cumulative, 4),
                lineStyle={"type": "dotted"},
            )
        )
    charts = [
        Chart(
            key=monthly.key,
            title=_("Achievement by month"),
            table=monthly,
            partial=partial,
            option=_bar_line_option(categories=labels, series=monthly_series),
        ),
        Chart(
            key=cumulative.key,
            title=_("Cumulative sales against target"),
            table=cumulative,
            partial=partial,
            option=_bar_line_option(categories=labels, series=cumulative_series),
        ),
    ]  # fmt: skip
    if kids:
        charts.append(ranking_chart(kids=kids, progress=progress))
    return charts


def ranking_chart(*, kids, progress: PeriodProgress) -> Chart:
    """Child units by sales achievement: against the target due to date while running."""
    columns = [
        TableColumn(_("Rank"), COUNT),
        TableColumn(_("Unit"), TEXT),
        TableColumn(pgettext("money sold", "Sales"), AMOUNT),
        TableColumn(_("Realistic target"), AMOUNT),
        TableColumn(_("Achievement (realistic)"), PERCENT),
        TableColumn(_("Achievement (ideal)"), PERCENT),
    ]
    if progress.running:
        columns += [
            TableColumn(_("Realistic target to date"), AMOUNT),
            TableColumn(_("Achievement to date (realistic)"), PERCENT),
            TableColumn(_("Achievement to date (ideal)"), PERCENT),
        ]
        caption = _("Ranking by sales achievement against the target due to date")
        ordered = sorted(
            ((kid, to_date(row=kid, progress=progress)) for _u, kid in kids),
            key=lambda pair: (
                pair[1].sales_achievement is None,
                -(pair[1].sales_achievement or 0),
                pair[0].code,
            ),
        )
    else:
        caption = _("Ranking by sales achievement")
        rows = indicator_rows_sorted(rows=[r for _u, r in kids], sort="-sales_achievement")
        ordered = [(kid, None) for kid in rows]
    ranking = DataTable(key="achievement-ranking", caption=caption, columns=columns)
    for rank, (kid, due) in enumerate(ordered, start=1):
        cells = [rank, kid.name, kid.sales, kid.sales_target, kid.sales_achievement,
                 kid.sales_achievement_ideal]  # fmt: skip
        if due is not None:
            cells += [due.sales_target, due.sales_achievement, due.sales_achievement_ideal]
        ranking.rows.append(cells)
    shown = list(reversed(ranking.rows))  # best on top of a horizontal bar chart
    realistic, ideal = (7, 8) if progress.running else (4, 5)
    names = (
        (_("Achievement to date (realistic)"), _("Achievement to date (ideal)"))
        if progress.running
        else (_("Achievement (realistic)"), _("Achievement (ideal)"))
    )
    return Chart(
        key=ranking.key,
        title=_("Ranking"),
        table=ranking,
        value_kind=PERCENT,
        height=max(240, 40 * len(shown) + 80),
        option=_bar_line_option(
            categories=[r[1] for r in shown],
            horizontal=True,
            series=[
                _series(names[0], "bar", [percent_value(r[realistic]) for r in shown]),
                _series(names[1], "bar", [percent_value(r[ideal]) for r in shown]),
            ],
        ),
    )


def _unit_rows(unit: Unit, row: IndicatorRow, kids) -> list[tuple[Unit, IndicatorRow]]:
    return [(unit, row), *kids]


def receivables_charts(
    *, unit: Unit, row: IndicatorRow, kids, ageing, progress: PeriodProgress | None = None
):
    """Collection rate of the unit and its children; its receivables by age."""
    collection = DataTable(
        key="receivables-collection",
        caption=_("Collection rate"),
        columns=[
            TableColumn(_("Unit"), TEXT),
            TableColumn(_("Opening receivables"), AMOUNT),
            TableColumn(pgettext("money billed", "Invoiced"), AMOUNT),
            TableColumn(pgettext("money received", "Collected"), AMOUNT),
            TableColumn(_("Collection rate"), PERCENT),
        ],
    )
    for _u, r in _unit_rows(unit, row, kids):
        collection.rows.append([r.name, r.ar_opening, r.invoiced, r.collected, r.collection_rate])
    ageing_table = DataTable(
        key="receivables-ageing",
        caption=(
            _("Open receivables by age on %(date)s") % {"date": progress.as_of.isoformat()}
            if progress is not None and progress.running
            else _("Open receivables by age at the end of the period")
        ),
        columns=[TableColumn(_("Age"), TEXT), TableColumn(_("Open amount"), AMOUNT)],
        rows=[[label, amount] for label, amount in ageing],
    )
    names = [r[0] for r in collection.rows]
    return [
        Chart(
            key=collection.key,
            title=_("Collection rate"),
            table=collection,
            value_kind=PERCENT,
            option=_bar_line_option(
                categories=names,
                series=[_series(_("Collection rate"), "bar", _column(collection, 4))],
            ),
        ),
        Chart(
            key=ageing_table.key,
            title=_("Receivables ageing"),
            table=ageing_table,
            option=_bar_line_option(
                categories=[r[0] for r in ageing_table.rows],
                series=[_series(_("Open amount"), "bar", _column(ageing_table, 1))],
            ),
        ),
    ]


def visits_charts(*, unit: Unit, row: IndicatorRow, kids, by_day: dict, period: Period):
    """Calendar heat map of the unit's visits per day; visits per workday by unit."""
    days = DataTable(
        key="visits-calendar",
        caption=_("Visits per day (days with visits)"),
        columns=[TableColumn(_("Date"), TEXT), TableColumn(_("Visits"), COUNT)],
        rows=[[day.isoformat(), count] for day, count in sorted(by_day.items())],
    )
    rhythm = DataTable(
        key="visits-rhythm",
        caption=_("Visits per workday"),
        columns=[
            TableColumn(_("Unit"), TEXT),
            TableColumn(_("Visits"), COUNT),
            TableColumn(_("Workdays"), COUNT),
            TableColumn(_("Visits per workday"), RATIO),
        ],
    )
    for _u, r in _unit_rows(unit, row, kids):
        rhythm.rows.append([r.name, r.visits, r.workdays, r.visits_per_workday])
    busiest = max(by_day.values(), default=0)
    calendar_option = {
        "tooltip": {},
        "visualMap": {
            "min": 0,
            "max": max(busiest, 1),
            "orient": "horizontal",
            "left": "center",
            "bottom": 0,
            "calculable": True,
        },
        "calendar": {
            "range": [period.start.isoformat(), period.end.isoformat()],
            "cellSize": ["auto", 14],
            "top": 40,
            "left": 40,
            "right": 16,
            "yearLabel": {"show": False},
        },
        "series": [
            {
                "name": _("Visits"),
                "type": "heatmap",
                "coordinateSystem": "calendar",
                "data": [[r[0], r[1]] for r in days.rows],
            }
        ],
    }
    return [
        Chart(
            key=days.key,
            title=_("Visits per day"),
            table=days,
            option=calendar_option,
            value_kind=COUNT,
            height=230,
        ),
        Chart(
            key=rhythm.key,
            title=_("Visits per workday"),
            table=rhythm,
            value_kind=RATIO,
            option=_bar_line_option(
                categories=[r[0] for r in rhythm.rows],
                series=[_series(_("Visits per workday"), "bar", _column(rhythm, 3))],
            ),
        ),
    ]


def products_charts(*, unit: Unit, row: IndicatorRow, kids, mix_rows):
    """Stacked category shares of the unit and its children; focus-category share."""
    shown = _unit_rows(unit, row, kids)
    mix = DataTable(
        key="products-mix",
        caption=_("Sales by product category"),
        columns=[
            TableColumn(_("Unit"), TEXT),
            TableColumn(pgettext("product category", "Category"), TEXT),
            TableColumn(pgettext("money sold", "Sales"), AMOUNT),
            TableColumn(_("Share"), PERCENT),
        ],
    )
    wanted = {(u.level, u.code): u for u, _r in shown}
    by_unit: dict[tuple[str, str], dict[str, Decimal | None]] = defaultdict(dict)
    categories: dict[str, str] = {}
    order = {(u.level, u.code): i for i, (u, _r) in enumerate(shown)}
    for mix_row in sorted(
        (m for m in mix_rows if (m.level, m.code) in wanted),
        key=lambda m: (order[(m.level, m.code)], m.category),
    ):
        mix.rows.append([mix_row.name, mix_row.category_name, mix_row.amount, mix_row.share])
        by_unit[(mix_row.level, mix_row.code)][mix_row.category] = mix_row.share
        categories[mix_row.category] = mix_row.category_name
    focus = DataTable(
        key="products-focus",
        caption=_("Focus category share"),
        columns=[
            TableColumn(_("Unit"), TEXT),
            TableColumn(pgettext("money sold", "Sales"), AMOUNT),
            TableColumn(_("Focus category share"), PERCENT),
        ],
    )
    for _u, r in shown:
        focus.rows.append([r.name, r.sales, r.focus_share])
    names = [u.name for u, _r in shown]
    stacked = [
        _series(
            name,
            "bar",
            [percent_value(by_unit[(u.level, u.code)].get(code)) for u, _r in shown],
            stack="share",
        )
        for code, name in sorted(categories.items())
    ]
    return [
        Chart(
            key=mix.key,
            title=_("Product mix"),
            table=mix,
            value_kind=PERCENT,
            option=_bar_line_option(categories=names, series=stacked),
        ),
        Chart(
            key=focus.key,
            title=_("Focus category share"),
            table=focus,
            value_kind=PERCENT,
            option=_bar_line_option(
                categories=[r[0] for r in focus.rows],
                series=[_series(_("Focus category share"), "bar", _column(focus, 2))],
            ),
        ),
    ]


def customers_charts(*, unit: Unit, row: IndicatorRow, kids):
    """Customers, new customers and industry breadth of the unit and its children."""
    table = DataTable(
        key="customers-breadth",
        caption=_("Customers, new customers and industries"),
        columns=[
            TableColumn(_("Unit"), TEXT),
            TableColumn(pgettext("number of customers", "Customers"), COUNT),
            TableColumn(_("New customers"), COUNT),
            TableColumn(_("Industries"), COUNT),
            TableColumn(_("Prospects added"), COUNT),
        ],
    )
    for _u, r in _unit_rows(unit, row, kids):
        table.rows.append([r.name, r.customers, r.new_customers, r.industries, r.prospects_added])
    return [
        Chart(
            key=table.key,
            title=_("Customer breadth"),
            table=table,
            value_kind=COUNT,
            option=_bar_line_option(
                categories=[r[0] for r in table.rows],
                series=[
                    _series(pgettext("number of customers", "Customers"), "bar", _column(table, 1)),
                    _series(_("New customers"), "bar", _column(table, 2)),
                    _series(_("Industries"), "bar", _column(table, 3)),
                ],
            ),
        )
    ]


# The page ---------------------------------------------------------------------


def dashboard_build(
    *, user, slug: str, level: str | None, unit_id: int | None, year: int, today: date
) -> Dashboard:
    """The dashboard `slug` for one unit the viewer may see (DashboardNotFound otherwise)."""
    kind = DASHBOARD_BY_SLUG.get(slug)
    if kind is None:
        raise DashboardNotFound(slug)
    period = dashboard_period(year=year, today=today)
    org = org_snapshot()
    visible = visible_units(org=org, user=user)
    if level is None:
        unit = default_unit(visible)
        if unit is None:
            raise NothingVisible(slug)
    else:
        key = (level, None if level == COMPANY else unit_id)
        if level not in LEVELS or key not in visible:
            raise DashboardNotFound(f"{level} {unit_id}")
        unit = visible[key]
    day = min(period.end, today)
    workdays = workday_set(period.start, period.end)  # one calendar read for the year and month
    progress = progress_among(period, today=today, workdays=workdays)
    month_progress = progress_among(this_month(today=day), today=today, workdays=workdays)
    kid_units = children(org=org, unit=unit, visible=visible, day=day)
    # Only the unit and its children are shown: the engine computes just their rows.
    shown = [unit.key, *(kid.key for kid in kid_units)]
    table = indicator_table(
        start=period.start,
        end=period.end,
        user=user,
        org=org,
        only=shown,
        wanted={Facts.SALES, *DASHBOARD_FACTS[slug]},  # the header shows sales too
    )
    rows = {(row.level, row.code): row for row in table.rows}
    row = rows[(unit.level, unit.code)]
    kids = [(kid, rows[(kid.level, kid.code)]) for kid in kid_units]
    if slug == "achievement":
        charts = achievement_charts(
            unit=unit,
            row=row,
            sales=monthly_sales(org=org, period=period, unit=unit.key),
            # The table's metrics: its targets were read for this snapshot already.
            targets=monthly_targets(
                org=org, period=period, metrics=(Metric.SALES, Metric.GROSS_MARGIN)
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


def chart_data(dashboard: Dashboard) -> dict:
    """The dashboard as JSON-ready data: unit, period, and each chart's table and series."""
    kinds = {AMOUNT: "amount", PERCENT: "percent", RATIO: "ratio", COUNT: "count"}

    def cell(value, kind):
        if kind == COUNT or value is None:
            return value
        if kind == TEXT:
            return str(value)
        return value_text(value=value, kind=kinds[kind])

    return {
        "dashboard": dashboard.kind.slug,
        "level": dashboard.unit.level,
        "unit": dashboard.unit.id,
        "code": dashboard.unit.code,
        "name": dashboard.unit.name,
        "start": dashboard.period.start.isoformat(),
        "end": dashboard.period.end.isoformat(),
        "charts": [
            {
                "key": chart.key,
                "title": chart.title,
                "columns": [
                    {"label": column.label, "kind": column.kind} for column in chart.table.columns
                ],
                "rows": [
                    [
                        cell(value, column.kind)
                        for value, column in zip(row, chart.table.columns, strict=True)
                    ]
                    for row in chart.table.rows
                ],
                "series": [
                    {
                        "name": series.get("name"),
                        "type": series.get("type"),
                        "data": _json_series_data(series.get("data", [])),
                    }
                    for series in _all_series(chart.option)
                ],
            }
            for chart in dashboard.charts
        ],
    }


def _all_series(option: dict) -> list[dict]:
    series = option.get("series", [])
    return series if isinstance(series, list) else [series]


def _json_series_data(data: list) -> list:
    def plain(value):
        if isinstance(value, Decimal):
            return f"{value:f}"
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    return [plain(value) for value in data]
