"""The indicator screen: a period, a level, the sortable table and its downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.performance import periods
from salesorg.performance.choices import Level
from salesorg.performance.exports import indicator_csv, indicator_xlsx
from salesorg.performance.forms import IndicatorPeriodForm
from salesorg.performance.indicators import COLUMNS, indicator_rows_sorted, indicator_table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def kpi(request: HttpRequest) -> HttpResponse:
    """The indicator table of the chosen period and level, as far as the user may see."""
    today = timezone.localdate()
    month = periods.this_month(today=today)
    defaults = {"from": month.start.isoformat(), "to": month.end.isoformat(), "level": Level.ALL}
    form = IndicatorPeriodForm(defaults | request.GET.dict())
    sort = request.GET.get("sort", "level")
    context = {
        "form": form,
        "sort": sort,
        "columns": COLUMNS,
        "quick_picks": [
            (_("This month"), month),
            (_("This quarter"), periods.this_quarter(today=today)),
            (_("This year"), periods.this_year(today=today)),
        ],
        "table": None,
        "rows": [],
    }
    if form.is_valid():
        start, end = form.cleaned_data["from"], form.cleaned_data["to"]
        table = indicator_table(
            start=start, end=end, level=form.cleaned_data["level"], user=request.user
        )
        rows = indicator_rows_sorted(rows=table.rows, sort=sort)
        name = f"kpi-{start.isoformat()}-{end.isoformat()}"
        download = request.GET.get("format")
        if download == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            response.write("\ufeff")  # so that Excel opens UTF-8 Chinese names correctly
            response.write(indicator_csv(rows=rows, with_name=True))
            return response
        if download == "xlsx":
            headers = [_("Level"), _("Code"), _("Name"), *(str(c.label) for c in COLUMNS)]
            response = HttpResponse(
                indicator_xlsx(rows=rows, headers=headers), content_type=XLSX_TYPE
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return response
        context.update(table=table, rows=rows)
    return render(request, "performance/kpi.html", context)
