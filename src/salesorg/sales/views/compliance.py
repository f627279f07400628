"""The checklist compliance report (S2): required steps skipped, by rep, team and reason, with
the visits behind each figure; CSV and Excel like the other lists."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from salesorg.core.exports import csv_response, xlsx_response
from salesorg.core.hygiene import id_param
from salesorg.core.listing import date_param
from salesorg.sales.permissions import can_read_compliance
from salesorg.sales.selectors.compliance import (
    PERIODS,
    compliance_period,
    compliance_report,
    compliance_skips,
)

PAGE_SIZE = 50
PERIOD_LABELS = {
    "this_month": gettext_lazy("This month"),
    "last_month": gettext_lazy("Last month"),
    "this_quarter": gettext_lazy("This quarter"),
    "last_quarter": gettext_lazy("Last quarter"),
    "this_year": gettext_lazy("This year"),
    "last_year": gettext_lazy("Last year"),
}


def _period(request: HttpRequest) -> dict:
    """The period asked for: a named one, or the dates given (which take precedence)."""
    key = request.GET.get("period", "")
    key = key if key in PERIODS else "this_month"
    today = timezone.localdate()
    date_from, date_to = compliance_period(key=key, today=today)
    given_from, given_to = date_param(request, "from"), date_param(request, "to")
    if given_from and given_to and given_from <= given_to:
        date_from, date_to, key = given_from, given_to, ""
    running_to = today if date_from <= today < date_to else None  # counted up to today
    return {"period": key, "date_from": date_from, "date_to": date_to, "running_to": running_to}


def _export(name: str, fmt: str, header: list[str], rows: list[list]) -> HttpResponse:
    """The rows as a UTF-8 CSV (with BOM, for Excel) or an Excel workbook."""
    if fmt == "xlsx":
        return xlsx_response(f"{name}.xlsx", header, rows, decimal_format="")
    return csv_response(f"{name}.csv", header, rows)


def _reason_text(reason: str) -> str:
    return reason or _("(no reason given)")


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    """Required steps skipped in the period by rep and team, and the reasons given."""
    if not can_read_compliance(request.user):
        raise PermissionDenied
    period = _period(request)
    report = compliance_report(
        user=request.user, date_from=period["date_from"], date_to=period["date_to"]
    )
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        header = [
            _("Rep"),
            _("Rep (name)"),
            _("Team"),
            _("Visits with a checklist"),
            _("Visits skipping required steps"),
            _("Required steps skipped"),
            _("Compliance rate (%)"),
            _("Reasons given"),
        ]
        rows = [
            [
                row.rep.code,
                row.rep.name,
                row.team.name if row.team else "",
                row.visits,
                row.visits_skipping,
                row.steps_skipped,
                row.compliance_percent,
                "; ".join(f"{_reason_text(r)} ({n})" for r, n in row.top_reasons),
            ]
            for row in report.reps
        ]
        return _export("checklist-compliance", fmt, header, rows)
    context = {
        "report": report,
        "periods": [(key, PERIOD_LABELS[key]) for key in PERIODS],
        **period,
    }
    return render(request, "sales/compliance.html", context)


def _int_param(request: HttpRequest, name: str) -> int | None:
    return id_param(request.GET, name)


@login_required
def compliance_visits(request: HttpRequest) -> HttpResponse:
    """The skipped required steps behind a figure of the report, each with its visit."""
    if not can_read_compliance(request.user):
        raise PermissionDenied
    period = _period(request)
    reason = request.GET.get("reason")
    steps = compliance_skips(
        user=request.user,
        date_from=period["date_from"],
        date_to=period["date_to"],
        rep_id=_int_param(request, "rep"),
        team_id=_int_param(request, "team"),
        reason=reason,
    )
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        header = [
            pgettext("customer visit", "Visit"),
            _("Date"),
            _("Rep"),
            _("Customer"),
            _("Purpose"),
            _("Checklist version"),
            _("Step"),
            _("Reason for skipping"),
        ]
        rows = [
            [
                s.visit.code,
                s.visit.visit_date if fmt == "xlsx" else s.visit.visit_date.isoformat(),
                s.visit.rep.code,
                s.visit.customer.code,
                s.visit.purpose_type.label if s.visit.purpose_type else "",
                s.purpose_version,
                s.label,
                s.skip_reason,
            ]
            for s in steps
        ]
        return _export("skipped-steps", fmt, header, rows)
    page = Paginator(steps, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "reason": reason, "query": query.urlencode(), **period}
    return render(request, "sales/compliance_visits.html", context)
