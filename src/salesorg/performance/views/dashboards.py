"""Dashboard pages: charts of one unit the viewer may see, drillable, each table as Excel."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from salesorg.core.exports import xlsx_download
from salesorg.customers.selectors.surveys import satisfaction_by_team
from salesorg.performance.charts.tables import (
    DASHBOARDS,
    DashboardNotFound,
    NothingVisible,
    Unit,
    data_table_xlsx,
)
from salesorg.performance.kpi.attribution import COMPANY
from salesorg.performance.selectors.dashboards import dashboard_build

MIN_YEAR, MAX_YEAR = 2000, 2100


def dashboard_params(query, *, today) -> tuple[str | None, int | None, int]:
    """Level, unit id and year from the query string (Http404 when malformed)."""
    level = query.get("level") or None
    unit = query.get("unit") or None
    year = query.get("year") or str(today.year)
    try:
        unit_id = int(unit) if unit is not None else None
        year_number = int(year)
    except ValueError as error:
        raise Http404 from error
    if not MIN_YEAR <= year_number <= MAX_YEAR:
        raise Http404
    if level is not None and level != COMPANY and unit_id is None:
        raise Http404
    return level, unit_id, year_number


def dashboard_url(*, slug: str, unit: Unit | None = None, year: int | None = None) -> str:
    """The URL of a dashboard for a unit and year."""
    params: dict[str, str | int] = {}
    if unit is not None:
        params["level"] = unit.level
        if unit.id is not None:
            params["unit"] = unit.id
    if year is not None:
        params["year"] = year
    url = reverse("performance:dashboard", kwargs={"slug": slug})
    return f"{url}?{urlencode(params)}" if params else url


@login_required
def dashboard_index(request: HttpRequest) -> HttpResponse:
    """The first dashboard."""
    return redirect("performance:dashboard", slug=DASHBOARDS[0].slug)


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """One dashboard for the chosen unit (default: the highest the viewer may see)."""
    today = timezone.localdate()
    level, unit_id, year = dashboard_params(request.GET, today=today)
    try:
        board = dashboard_build(
            user=request.user, slug=slug, level=level, unit_id=unit_id, year=year, today=today
        )
    except NothingVisible:
        return render(request, "performance/dashboard_empty.html", {"dashboards": DASHBOARDS})
    except DashboardNotFound as error:
        raise Http404 from error
    if request.GET.get("format") == "xlsx":
        try:
            chart = board.chart(request.GET.get("table", ""))
        except DashboardNotFound as error:
            raise Http404 from error
        note = board.heading if board.progress.running else ""
        code = re.sub(r"[^A-Za-z0-9_-]", "_", board.unit.code) or "company"
        name = f"{chart.key}-{board.unit.level}-{code}-{year}.xlsx"
        return xlsx_download(name, data_table_xlsx(table=chart.table, note=note))
    unit = board.unit
    context = {
        "board": board,
        "dashboards": [
            (kind, dashboard_url(slug=kind.slug, unit=unit, year=year)) for kind in DASHBOARDS
        ],
        "crumbs": [
            (crumb, dashboard_url(slug=slug, unit=crumb, year=year)) for crumb in board.breadcrumbs
        ],
        "drill": [(kid, dashboard_url(slug=slug, unit=kid, year=year)) for kid in board.children],
        "drill_links": {
            kid.name: dashboard_url(slug=slug, unit=kid, year=year) for kid in board.children
        },
        "previous_year": dashboard_url(slug=slug, unit=unit, year=year - 1),
        "next_year": dashboard_url(slug=slug, unit=unit, year=year + 1)
        if year < today.year
        else None,
        "kpi_url": reverse("performance:kpi")
        + "?"
        + urlencode({"from": board.period.start.isoformat(), "to": board.period.end.isoformat()}),
    }
    if slug == "customers":  # the customers' own answers per team in the board's period
        context["satisfaction"] = satisfaction_by_team(
            user=request.user, start=board.period.start, end=board.period.end
        )
    return render(request, "performance/dashboard.html", context)
