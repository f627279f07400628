"""The achievement dashboard's charts: sales and targets by month, cumulated, and ranked."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from salesorg.performance.charts.tables import (
    AMOUNT,
    COUNT,
    PERCENT,
    TEXT,
    Chart,
    DataTable,
    TableColumn,
    Unit,
    bar_line_option,
    chart_series,
    column_values,
    month_label,
    percent_value,
)
from salesorg.performance.kpi.columns import IndicatorRow, money, ratio
from salesorg.performance.kpi.indicators import (
    indicator_rows_sorted,
)
from salesorg.performance.kpi.periods import (
    PeriodProgress,
    period_heading,
)
from salesorg.performance.kpi.to_date import rate as rate_of
from salesorg.performance.kpi.to_date import to_date
from salesorg.targets.choices import Metric


def _achievement_tables(*, running: bool) -> tuple[DataTable, DataTable]:
    """The empty monthly and cumulative tables of the achievement dashboard."""
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
    return monthly, cumulative


def _fill_achievement_rows(
    *,
    monthly: DataTable,
    cumulative: DataTable,
    unit: Unit,
    sales: dict,
    targets: dict,
    months,
    running: bool,
    month_progress: PeriodProgress,
) -> int | None:
    """One row per month in both tables; the index of the running month (drawn partial)."""
    current = (month_progress.period.start.year, month_progress.period.start.month)
    partial = None
    running_sales, running_target, running_ideal = 0, None, None
    for index, (year, month) in enumerate(months):
        cents = sales.get((year, month), 0)
        target = targets.get((year, month), {}).get((unit.key, Metric.SALES))
        realistic = None if target is None else target.realistic
        ideal = None if target is None else target.ideal
        label = month_label(year, month)
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
    return partial


def _achievement_series(
    *, monthly: DataTable, cumulative: DataTable, partial: int | None, running: bool
) -> tuple[list[dict], list[dict]]:
    """The series of the monthly and the cumulative achievement charts."""
    monthly_series = [
        chart_series(pgettext("money sold", "Sales"), "bar", column_values(monthly, 1)),
        chart_series(_("Realistic target"), "line", column_values(monthly, 2), connectNulls=True),
        chart_series(
            _("Ideal target"),
            "line",
            column_values(monthly, 3),
            connectNulls=True,
            lineStyle={"type": "dashed"},
        ),
    ]
    cumulative_series = [
        chart_series(
            _("Cumulative sales"),
            "line",
            column_values(cumulative, 1),
            areaStyle={"opacity": 0.15},
        ),
        chart_series(_("Cumulative realistic target"), "line", column_values(cumulative, 2)),
        chart_series(
            _("Cumulative ideal target"),
            "line",
            column_values(cumulative, 3),
            lineStyle={"type": "dashed"},
        ),
    ]
    if partial is not None:
        # The running month's target due to date: a short dash at its level on the bar.
        due_values = column_values(monthly, 6)
        monthly_series.append(
            chart_series(
                _("Realistic target to date"),
                "scatter",
                [value if index == partial else None for index, value in enumerate(due_values)],
                symbol="rect",
                symbolSize=[28, 3],
            )
        )
    if running:
        cumulative_series.append(
            chart_series(
                _("Cumulative realistic target to date"),
                "line",
                column_values(cumulative, 4),
                lineStyle={"type": "dotted"},
            )
        )
    return monthly_series, cumulative_series


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
    monthly, cumulative = _achievement_tables(running=running)
    partial = _fill_achievement_rows(
        monthly=monthly,
        cumulative=cumulative,
        unit=unit,
        sales=sales,
        targets=targets,
        months=months,
        running=running,
        month_progress=month_progress,
    )
    labels = [r[0] for r in monthly.rows]
    monthly_series, cumulative_series = _achievement_series(
        monthly=monthly, cumulative=cumulative, partial=partial, running=running
    )
    charts = [
        Chart(
            key=monthly.key,
            title=_("Achievement by month"),
            table=monthly,
            partial=partial,
            option=bar_line_option(categories=labels, series=monthly_series),
        ),
        Chart(
            key=cumulative.key,
            title=_("Cumulative sales against target"),
            table=cumulative,
            partial=partial,
            option=bar_line_option(categories=labels, series=cumulative_series),
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
        option=bar_line_option(
            categories=[r[1] for r in shown],
            horizontal=True,
            series=[
                chart_series(names[0], "bar", [percent_value(r[realistic]) for r in shown]),
                chart_series(names[1], "bar", [percent_value(r[ideal]) for r in shown]),
            ],
        ),
    )
