"""The indicator screen: a period, a level, the sortable table and its downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.exports import csv_download, xlsx_download
from salesorg.performance.choices import COLUMN_BY_NAME, COLUMNS, Level
from salesorg.performance.forms import IndicatorPeriodForm
from salesorg.performance.kpi import periods
from salesorg.performance.kpi.attribution import org_snapshot
from salesorg.performance.kpi.columns import COLUMN_GROUPS, DEFAULT_COLUMNS, SCREEN_COLUMNS
from salesorg.performance.kpi.exports import indicator_csv, indicator_xlsx
from salesorg.performance.kpi.indicators import (
    indicator_rows_sorted,
    indicator_rows_tree,
    indicator_table,
)
from salesorg.performance.kpi.to_date import TO_DATE_COLUMNS, rows_to_date


@login_required
def kpi(request: HttpRequest) -> HttpResponse:
    """The indicator table of the chosen period and level, as far as the user may see."""
    today = timezone.localdate()
    month = periods.this_month(today=today)
    defaults = {"from": month.start.isoformat(), "to": month.end.isoformat(), "level": Level.ALL}
    form = IndicatorPeriodForm(defaults | request.GET.dict())
    sort = request.GET.get("sort", "level")
    # The columns shown (?cols=a,b: those chosen on screen; else the groups' defaults).
    chosen = [c for c in request.GET.get("cols", "").split(",") if c in COLUMN_BY_NAME]
    visible = frozenset(chosen) or DEFAULT_COLUMNS
    context = {
        "form": form,
        "sort": sort,
        "columns": SCREEN_COLUMNS,
        "column_groups": COLUMN_GROUPS,
        "default_columns": DEFAULT_COLUMNS,
        "visible_columns": visible,
        "group_headers": [
            (group, sum(1 for name in group.columns if name in visible)) for group in COLUMN_GROUPS
        ],
        "quick_picks": [
            (_("This month"), month),
            (_("This quarter"), periods.this_quarter(today=today)),
            (_("This year"), periods.this_year(today=today)),
        ],
        "table": None,
        "rows": [],
        "running": None,
    }
    if form.is_valid():
        start, end = form.cleaned_data["from"], form.cleaned_data["to"]
        org = org_snapshot()
        table = indicator_table(
            start=start, end=end, level=form.cleaned_data["level"], user=request.user, org=org
        )
        if sort in ("level", "-level"):  # the company first, then the tree
            rows = indicator_rows_tree(
                rows=table.rows, org=org, period=table.period, descending=sort == "-level"
            )
        else:
            rows = indicator_rows_sorted(rows=table.rows, sort=sort)
        # A download has the columns chosen on screen, in screen order; all when none are.
        export_columns = [c for c in SCREEN_COLUMNS if c.name in chosen] if chosen else COLUMNS
        # The CSV is the KPI.md format: the engine's columns only, never the figures to date.
        csv_columns = [c.name for c in export_columns] if chosen else None
        # A period that has not ended is also judged against its targets due to date.
        progress = periods.period_progress(table.period, today=today)
        if progress.running and table.targets_available:
            rows = rows_to_date(rows=rows, progress=progress)
            export_columns = [*export_columns, *TO_DATE_COLUMNS]
            context["running"] = progress
            context["period_heading"] = periods.period_heading(table.period, today=today)
        name = f"kpi-{start.isoformat()}-{end.isoformat()}"
        download = request.GET.get("format")
        if download == "csv":
            response, _writer = csv_download(f"{name}.csv")
            response.write(
                indicator_csv(rows=rows, with_name=True, columns=csv_columns, for_spreadsheet=True)
            )
            return response
        if download == "xlsx":
            headers = [_("Level"), _("Code"), _("Name"), *(str(c.label) for c in export_columns)]
            return xlsx_download(
                f"{name}.xlsx", indicator_xlsx(rows=rows, headers=headers, columns=export_columns)
            )
        context.update(table=table, rows=rows)
    return render(request, "performance/kpi.html", context)
