"""The receivables, visits, products and customers dashboards' charts."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from salesorg.performance.charts.tables import (
    AMOUNT,
    COUNT,
    PERCENT,
    RATIO,
    TEXT,
    Chart,
    DataTable,
    TableColumn,
    Unit,
    bar_line_option,
    chart_series,
    column_values,
    percent_value,
)
from salesorg.performance.kpi.columns import IndicatorRow
from salesorg.performance.kpi.periods import (
    Period,
    PeriodProgress,
)


def unit_rows(unit: Unit, row: IndicatorRow, kids) -> list[tuple[Unit, IndicatorRow]]:
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
    for _u, r in unit_rows(unit, row, kids):
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
            option=bar_line_option(
                categories=names,
                series=[chart_series(_("Collection rate"), "bar", column_values(collection, 4))],
            ),
        ),
        Chart(
            key=ageing_table.key,
            title=_("Receivables ageing"),
            table=ageing_table,
            option=bar_line_option(
                categories=[r[0] for r in ageing_table.rows],
                series=[chart_series(_("Open amount"), "bar", column_values(ageing_table, 1))],
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
    for _u, r in unit_rows(unit, row, kids):
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
            option=bar_line_option(
                categories=[r[0] for r in rhythm.rows],
                series=[chart_series(_("Visits per workday"), "bar", column_values(rhythm, 3))],
            ),
        ),
    ]


def check_in_chart(*, rows: list[tuple[str, int, int, int]], far_metres: int) -> Chart:
    """Per rep: visits, those checked in, the check-in coverage and the visits checked in far
    from the customer (`rows`: name, visits, checked in, far), for those who lead reps."""
    table = DataTable(
        key="visits-check-ins",
        caption=_(
            "Check-ins per rep (far: over %(metres)s m from the customer, beyond the "
            "check-in accuracy)"
        )
        % {"metres": far_metres},
        columns=[
            TableColumn(_("Rep"), TEXT),
            # every visit record, service calls and several a day too (not the KPI's count)
            TableColumn(_("Visits logged"), COUNT),
            TableColumn(_("Checked in"), COUNT),
            TableColumn(_("Check-in coverage"), PERCENT),
            TableColumn(_("Far from the customer"), COUNT),
        ],
    )
    for name, visits, checked_in, far in rows:
        coverage = Decimal(checked_in) / Decimal(visits) if visits else None
        table.rows.append([name, visits, checked_in, coverage, far])
    return Chart(
        key=table.key,
        title=_("Check-in coverage"),
        table=table,
        value_kind=PERCENT,
        option=bar_line_option(
            categories=[r[0] for r in table.rows],
            series=[chart_series(_("Check-in coverage"), "bar", column_values(table, 3))],
        ),
    )


def products_charts(*, unit: Unit, row: IndicatorRow, kids, mix_rows):
    """Stacked category shares of the unit and its children; focus-category share."""
    shown = unit_rows(unit, row, kids)
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
        chart_series(
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
            option=bar_line_option(categories=names, series=stacked),
        ),
        Chart(
            key=focus.key,
            title=_("Focus category share"),
            table=focus,
            value_kind=PERCENT,
            option=bar_line_option(
                categories=[r[0] for r in focus.rows],
                series=[chart_series(_("Focus category share"), "bar", column_values(focus, 2))],
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
    for _u, r in unit_rows(unit, row, kids):
        table.rows.append([r.name, r.customers, r.new_customers, r.industries, r.prospects_added])
    return [
        Chart(
            key=table.key,
            title=_("Customer breadth"),
            table=table,
            value_kind=COUNT,
            option=bar_line_option(
                categories=[r[0] for r in table.rows],
                series=[
                    chart_series(
                        pgettext("number of customers", "Customers"), "bar", column_values(table, 1)
                    ),
                    chart_series(_("New customers"), "bar", column_values(table, 2)),
                    chart_series(_("Industries"), "bar", column_values(table, 3)),
                ],
            ),
        )
    ]
