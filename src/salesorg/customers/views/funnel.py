"""The pipeline funnel page (S17): by stage, rep, team and period; a stage's items on a click;
CSV and Excel of the stages or of the items shown."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from salesorg.core.exports import csv_response, xlsx_response
from salesorg.core.listing import date_param
from salesorg.customers.models import PipelineItemStatus
from salesorg.customers.selectors import funnel as selectors
from salesorg.org.models import Person, Team

DRILL_LIMIT = 200
MAX_ID_DIGITS = 18  # a larger id cannot exist and would overflow the database


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) <= MAX_ID_DIGITS else None


def _filters(request: HttpRequest) -> selectors.FunnelFilters:
    """The filters asked for; a bad or reversed period falls back to the last twelve months."""
    default = selectors.FunnelFilters.default()
    start = date_param(request, "start") or default.start
    end = date_param(request, "end") or default.end
    if start > end:
        messages.warning(
            request, _("The period's start is after its end: the last twelve months are shown.")
        )
        start, end = default.start, default.end
    return selectors.FunnelFilters(
        start=start, end=end, rep_id=_int_param(request, "rep"), team_id=_int_param(request, "team")
    )


@login_required
def pipeline_funnel(request: HttpRequest) -> HttpResponse:
    """The funnel of the pipeline items in scope; `stage` (and `status`) lists the items."""
    filters = _filters(request)
    stage_id = _int_param(request, "stage")
    status = request.GET.get("status", "")
    drilled = stage_id is not None or status in PipelineItemStatus.values
    export = request.GET.get("format")
    if drilled:
        items = selectors.funnel_drill(
            user=request.user, filters=filters, stage_id=stage_id, status=status
        )
        if export in ("csv", "xlsx"):
            return _items_export(items, export)
    funnel = selectors.pipeline_funnel(user=request.user, filters=filters)
    if export in ("csv", "xlsx") and not drilled:
        return _stages_export(funnel, export)
    kept = {
        "start": filters.start,
        "end": filters.end,
        "rep": filters.rep_id,
        "team": filters.team_id,
    }
    context = {
        "funnel": funnel,
        "base_query": urlencode({name: value for name, value in kept.items() if value}),
        "filters": filters,
        "stage_id": stage_id,
        "status": status,
        "items": list(items[:DRILL_LIMIT]) if drilled else None,
        "drill_limit": DRILL_LIMIT,
        "reps": Person.objects.visible_to(request.user)
        .filter(pipeline_items__isnull=False)
        .distinct()
        .order_by("name"),
        "teams": Team.objects.visible_to(request.user).order_by("name"),
        "group_tables": [
            (_("By rep"), _("Rep"), funnel.by_rep, "rep"),
            (_("By team"), _("Team"), funnel.by_team, "team"),
        ],
        "reason_tables": [
            (_("Why won"), funnel.won_reasons),
            (_("Why lost"), funnel.lost_reasons),
        ],
    }
    return render(request, "customers/pipeline_funnel.html", context)


def _stages_export(funnel: selectors.Funnel, export: str) -> HttpResponse:
    header = [
        pgettext("stage of a process", "Stage"),
        _("Reached"),
        _("Value reached"),
        pgettext("pipeline status", "Open"),
        _("Open value"),
        pgettext("pipeline outcome", "Won"),
        pgettext("pipeline outcome", "Lost"),
        _("Conversion to the next stage (%)"),
        _("Median days in stage"),
    ]
    rows = [
        [
            row.stage.label,
            row.reached,
            row.reached_value,
            row.open,
            row.open_value,
            row.won,
            row.lost,
            row.conversion,
            row.median_days,
        ]
        for row in funnel.stages
    ]
    name = f"pipeline-funnel-{funnel.filters.start}-{funnel.filters.end}"
    if export == "xlsx":  # conversion (%) and median days are plain numbers, not amounts
        return xlsx_response(f"{name}.xlsx", header, rows, number_formats={7: "0.00", 8: "0.0"})
    return csv_response(f"{name}.csv", header, rows)


def _items_export(items, export: str) -> HttpResponse:
    header = [
        _("Name"),
        _("Rep"),
        pgettext("stage of a process", "Stage"),
        _("Status"),
        _("Customer"),
        _("Expected annual sales"),
        _("Entered the pipeline"),
        _("Why won or lost"),
    ]
    rows = (
        [
            item.name,
            item.rep.name,
            item.stage.label if item.stage else "",
            item.get_status_display(),
            item.customer.name if item.customer else "",
            item.proposal.expected_sales or Decimal(0),
            item.entered_on if export == "xlsx" else item.entered_on.isoformat(),
            item.won_reason or item.lost_reason,
        ]
        for item in items
    )
    if export == "xlsx":
        return xlsx_response("pipeline-funnel-items.xlsx", header, rows)
    return csv_response("pipeline-funnel-items.csv", header, rows)
