"""A dashboard's parts (units, data tables, charts) and their values as text, Excel, JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy

from salesorg.core.exports import xlsx_append, xlsx_bytes, xlsx_workbook
from salesorg.core.money import XLSX_MONEY_FORMAT, format_money
from salesorg.core.numbers import format_number
from salesorg.performance.choices import Facts
from salesorg.performance.kpi.attribution import (
    UnitKey,
)
from salesorg.performance.kpi.columns import IndicatorRow
from salesorg.performance.kpi.exports import value_text
from salesorg.performance.kpi.periods import (
    Period,
    PeriodProgress,
    period_heading,
)
from salesorg.performance.kpi.to_date import ToDate

HUNDREDTH = Decimal("0.01")


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
    workbook = xlsx_workbook()
    sheet = workbook.active
    sheet.title = table.key[:31]
    xlsx_append(sheet, [table.caption, note] if note else [table.caption])
    xlsx_append(sheet, [column.label for column in table.columns])
    formats = {
        index: XLSX_FORMATS[column.kind]
        for index, column in enumerate(table.columns)
        if column.kind in XLSX_FORMATS
    }
    for row in table.rows:
        xlsx_append(sheet, row, formats)
    sheet.freeze_panes = "A3"
    return xlsx_bytes(workbook)


def month_label(year: int, month: int) -> str:
    return date_format(date(year, month, 1), "YEAR_MONTH_FORMAT")


def bar_line_option(*, categories: list[str], series: list[dict], horizontal=False) -> dict:
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


def chart_series(name: str, chart_type: str, data: list, **extra) -> dict:
    return {"name": name, "type": chart_type, "data": data, **extra}


def column_values(table: DataTable, index: int) -> list:
    kind = table.columns[index].kind
    return [chart_value(row[index], kind) for row in table.rows]


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
