"""Dashboard chart data: each dashboard's tables and series for one unit, scoped like the pages.

Values are the engine's (`salesorg.performance.selectors.dashboards`), written in the canonical
text of KPI.md: amounts and rates as strings, counts as integers, nulls as null. A
unit outside the caller's scope answers 404, exactly as the dashboard page does.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from salesorg.api.types import RecordId
from salesorg.performance.charts.tables import DASHBOARDS, DashboardNotFound, chart_data
from salesorg.performance.selectors.dashboards import dashboard_build

router = Router(tags=["dashboards"])

SCOPED_ROWS = {"x-scoped-rows": True}


class DashboardQuery(Schema):
    level: str | None = Field(None, description="company, region, team or person")
    unit: RecordId | None = Field(None, description="id of the region, team or person")
    year: int | None = Field(None, ge=2000, le=2100, description="defaults to this year")


class ColumnOut(Schema):
    label: str
    kind: str


class SeriesOut(Schema):
    name: str | None
    type: str | None
    data: list


class ChartOut(Schema):
    key: str
    title: str
    columns: list[ColumnOut]
    rows: list[list]
    series: list[SeriesOut]


class DashboardOut(Schema):
    dashboard: str
    level: str
    unit: int | None
    code: str
    name: str
    start: str
    end: str
    charts: list[ChartOut]


class DashboardKindOut(Schema):
    slug: str
    title: str


@router.get(
    "/dashboards",
    response=list[DashboardKindOut],
    openapi_extra=SCOPED_ROWS,
    operation_id="dashboard_list",
)
def dashboard_list(request):
    """The dashboards there are (each answers per unit at /dashboards/{slug})."""
    return [{"slug": kind.slug, "title": str(kind.title)} for kind in DASHBOARDS]


@router.get(
    "/dashboards/{slug}",
    response=DashboardOut,
    openapi_extra=SCOPED_ROWS,
    operation_id="dashboard_data",
)
def dashboard_data(request, slug: Path[str], query: Query[DashboardQuery]):
    """Chart series and tables of one dashboard for a unit the caller may see (else 404)."""
    today = timezone.localdate()
    if query.level not in (None, "company") and query.unit is None:
        raise Http404
    try:
        board = dashboard_build(
            user=request.user,
            slug=slug,
            level=query.level,
            unit_id=query.unit,
            year=query.year or today.year,
            today=today,
        )
    except DashboardNotFound as error:
        raise Http404 from error
    return chart_data(board)
