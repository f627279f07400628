"""List pages shared by every app: filters, pagination, search, sorting and a CSV of the list."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date

from salesorg.core.exports import csv_response
from salesorg.core.hygiene import checked_day

PAGE_SIZE = 50


@dataclass
class ListFilter:
    """A select filter above a list."""

    name: str
    label: str
    choices: list[tuple[str, str]]
    value: str = ""


@dataclass
class ListPage:
    """What a list page shows: title, filters, table template and CSV columns."""

    title: str
    url_name: str
    table_template: str
    csv_name: str
    csv_columns: list[tuple[str, Callable]]
    search_placeholder: str
    filters: list[ListFilter] = field(default_factory=list)
    date_filters: bool = False
    create_url: str = ""
    create_label: str = ""


def list_response(request: HttpRequest, page_def: ListPage, records, context: dict):
    if request.GET.get("format") == "csv":
        return _csv(page_def, records)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(page=page, list=page_def, search=request.GET.get("q", "").strip())
    context.setdefault("sort", request.GET.get("sort", ""))
    htmx = request.htmx  # type: ignore[attr-defined]  # set by django-htmx's middleware
    template = page_def.table_template if htmx else "core/record_list.html"
    return render(request, template, context)


def _csv(page_def: ListPage, records: Iterable) -> HttpResponse:
    header = [str(label) for label, _value in page_def.csv_columns]
    rows = ([value(record) for _label, value in page_def.csv_columns] for record in records)
    return csv_response(f"{page_def.csv_name}.csv", header, rows)


def date_param(request: HttpRequest, name: str) -> date | None:
    """The date `?name=` gives (None: absent or malformed); one outside the date range
    answers 400 naming the parameter (core.hygiene)."""
    try:
        day = parse_date(request.GET.get(name, "") or "")
    except ValueError:
        return None
    return checked_day(name, day)
