"""The history tab of any business record, and its CSV/xlsx export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from salesorg.core.audit import AuditRow, audited_model, object_history
from salesorg.core.exports import (
    csv_response,
    xlsx_append,
    xlsx_bytes,
    xlsx_download,
    xlsx_workbook,
)


def _change_label(change: str) -> str:
    labels = {"created": _("Created"), "changed": _("Changed"), "deleted": _("Deleted")}
    return labels.get(change, change)


def export_header() -> list[str]:
    """Column titles of a history export."""
    return [
        _("When"),
        _("Who"),
        _("From where"),
        pgettext("kind of change in a history", "Change"),
        _("Field"),
        _("Old"),
        _("New"),
    ]


def export_lines(rows: list[AuditRow]):
    """One line per changed field (or one per row without field changes)."""
    for row in rows:
        when = timezone.localtime(row.when).strftime("%Y-%m-%d %H:%M:%S")
        base = [when, row.who, row.ip, _change_label(row.change)]
        if not row.changes:
            yield [*base, "", "", ""]
        for label, old, new in row.changes:
            yield [*base, label, old, new]


def _export(rows: list[AuditRow], fmt: str, filename: str) -> HttpResponse:
    if fmt == "xlsx":
        book = xlsx_workbook(write_only=True)
        sheet = book.create_sheet(_("History"))
        xlsx_append(sheet, export_header())
        for line in export_lines(rows):
            xlsx_append(sheet, line)
        return xlsx_download(f"{filename}.xlsx", xlsx_bytes(book))
    return csv_response(f"{filename}.csv", export_header(), export_lines(rows))


@login_required
def record_history(
    request: HttpRequest, app_label: str, model_name: str, object_id: int
) -> HttpResponse:
    """Who changed what, when and from where, for one record the user may see."""
    model = audited_model(app_label, model_name)
    if model is None:
        raise Http404
    records = model._default_manager.visible_to(request.user)  # type: ignore[attr-defined]
    obj = get_object_or_404(records, pk=object_id)
    rows = object_history(obj)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return _export(rows, fmt, f"history-{app_label}-{model_name}-{obj.pk}")
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.change_label = _change_label(row.change)
    context = {
        "object": obj,
        "verbose_name": model._meta.verbose_name,
        "page": page,
        "back_url": obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
    }
    return render(request, "audit/history.html", context)
