"""The audit trail: history pages, exports, the export command and the never-deleted guards."""

import csv
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import ProtectedError
from django.test import RequestFactory
from django.urls import reverse
from simple_history.models import HistoricalRecords

from salesorg.core.audit import audited_model, object_history
from tests.factories import CustomerFactory


def history_url(obj) -> str:
    meta = obj._meta
    return reverse("audit:history", args=[meta.app_label, meta.model_name, obj.pk])


def save_as(user, obj, ip="10.1.2.3", **changes):
    """Save `obj` with `changes` as if during a web request of `user` from `ip`."""
    request = RequestFactory().post("/", REMOTE_ADDR=ip)
    request.user = user
    HistoricalRecords.context.request = request
    try:
        for name, value in changes.items():
            setattr(obj, name, value)
        obj.save()
    finally:
        del HistoricalRecords.context.request


@pytest.fixture
def customer(org_tree):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep, name="Old name")
    save_as(rep.user, customer, industry="Retail", name="New name")
    return customer


def test_history_rows_record_who_where_and_the_diff(org_tree, customer):
    # given a customer created by the system, then renamed by its rep from 10.1.2.3
    # when its history is read
    rows = object_history(customer)
    # then the newest row says who, from where, and what changed
    newest, oldest = rows[0], rows[-1]
    assert newest.change == "changed"
    assert newest.who == str(org_tree.people["rep_east1a"])
    assert newest.ip == "10.1.2.3"
    assert ("name", "Old name", "New name") in newest.changes
    assert oldest.change == "created" and oldest.who == "system" and oldest.ip == ""


def test_history_page_shows_who_when_ip_and_diff(org_tree, customer):
    # given the rep's renamed customer
    # when the manager opens its history
    response = org_tree.client("manager_east1").get(history_url(customer))
    # then the page lists the change with its author, address and old and new values
    assert response.status_code == 200
    content = response.content.decode()
    assert str(org_tree.people["rep_east1a"]) in content
    assert "10.1.2.3" in content
    assert "Old name" in content and "New name" in content
    assert "system" in content


@pytest.mark.parametrize("role", ["rep_east1b", "manager_east2", "head_north", "trainer"])
def test_history_of_hidden_records_is_not_found(org_tree, customer, role):
    # given a customer of rep_east1a; when others outside its scope ask for its history
    response = org_tree.client(role).get(history_url(customer))
    # then it does not exist for them
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["rep_east1a", "manager_east1", "head_east", "director"])
def test_history_of_visible_records_is_shown(org_tree, customer, role):
    assert org_tree.client(role).get(history_url(customer)).status_code == 200


def test_history_of_models_outside_the_allow_list_is_not_found(org_tree, customer):
    # given a model without history (the user model) and an unknown model name
    client = org_tree.client("director")
    user = org_tree.user("director")
    # then both are 404
    assert client.get(reverse("audit:history", args=["auth", "user", user.pk])).status_code == 404
    assert client.get(reverse("audit:history", args=["customers", "nope", 1])).status_code == 404
    assert audited_model("customers", "customer") is not None


def test_history_page_needs_a_login(client, customer):
    response = client.get(history_url(customer))
    assert response.status_code == 302


def test_history_page_queries_are_bounded(org_tree, customer, django_assert_max_num_queries):
    # given a customer changed many times by several people
    for number in range(20):
        user = org_tree.user("rep_east1a" if number % 2 else "manager_east1")
        save_as(user, customer, name=f"Name {number}")
    client = org_tree.client("director")
    # when its history page is shown, the number of queries does not grow with the rows
    with django_assert_max_num_queries(14):
        response = client.get(history_url(customer))
    assert response.status_code == 200
    assert "Name 19" in response.content.decode()


def test_history_export_csv_and_xlsx(org_tree, customer):
    client = org_tree.client("rep_east1a")
    # when the history is exported as CSV
    response = client.get(history_url(customer), {"format": "csv"})
    # then it holds the same rows: one line per changed field
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == ["When", "Who", "From where", "Change", "Field", "Old", "New"]
    changed = [line for line in lines if line[3] == "Changed"]
    assert [str(org_tree.people["rep_east1a"]), "10.1.2.3"] == changed[0][1:3]
    assert ["name", "Old name", "New name"] in [line[4:] for line in changed]
    assert lines[-1][3] == "Created"
    # and as Excel
    response = client.get(history_url(customer), {"format": "xlsx"})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=1, column=1).value == "When"
    assert sheet.max_row == len(lines)


def test_history_link_include_renders_the_button(customer):
    from django.template.loader import render_to_string

    html = render_to_string("_history_link.html", {"object": customer})
    assert history_url(customer) in html
    assert render_to_string("_history_link.html", {"object": None}).strip() == ""


def test_audit_export_command_writes_history_rows(org_tree, customer, tmp_path):
    # given a renamed customer; when the audit export runs for that model
    out = tmp_path / "audit.csv"
    stdout = io.StringIO()
    call_command(
        "audit_export", str(out), since="2000-01-01", model="customers.Customer", stdout=stdout
    )
    # then it writes one line per history row with its diff
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    mine = [row for row in rows if row["object_id"] == str(customer.pk)]
    assert {row["type"] for row in mine} == {"created", "changed"}
    changed = next(row for row in mine if row["type"] == "changed")
    assert changed["model"] == "customers.Customer"
    assert changed["ip"] == "10.1.2.3"
    assert "name: Old name -> New name" in changed["changed_fields"]
    assert f"{len(rows)} history rows written" in stdout.getvalue()


def test_audit_export_command_covers_all_models_and_filters_by_date(org_records, tmp_path):
    out = tmp_path / "all.csv"
    call_command("audit_export", str(out), since="2000-01-01", stdout=io.StringIO())
    models = {row["model"] for row in csv.DictReader(out.open(encoding="utf-8"))}
    assert {"customers.Customer", "sales.Order", "org.Person"} <= models
    later = tmp_path / "later.csv"
    call_command("audit_export", str(later), since="2999-01-01", stdout=io.StringIO())
    assert len(later.read_text(encoding="utf-8").splitlines()) == 1


def test_audit_export_command_refuses_bad_arguments(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("audit_export", str(tmp_path / "x.csv"), since="yesterday")
    with pytest.raises(CommandError):
        call_command("audit_export", str(tmp_path / "x.csv"), since="2020-01-01", model="auth.User")


def test_personnel_reviews_are_never_deleted(org_records):
    from salesorg.development.models import PersonnelReview

    review = org_records.extra["personnel_reviews"]["rep_east1a"]
    with pytest.raises(ProtectedError), transaction.atomic():
        review.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        PersonnelReview.objects.filter(pk=review.pk).delete()
    assert PersonnelReview.objects.filter(pk=review.pk).exists()


def test_closed_scorecards_are_never_deleted_open_ones_may_be(org_records):
    from salesorg.performance.models import Scorecard, ScorecardPeriod

    period = org_records.extra["scorecard_period"]
    card = period.scorecards.first()
    # given the period closed, neither it nor its scorecards can be deleted, even in bulk
    ScorecardPeriod.objects.filter(pk=period.pk).update(status="closed")
    period.refresh_from_db()
    with pytest.raises(ProtectedError), transaction.atomic():
        Scorecard.objects.filter(pk=card.pk).delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        ScorecardPeriod.objects.filter(pk=period.pk).delete()
    assert Scorecard.objects.filter(pk=card.pk).exists()
    # given it open again, a scorecard may go
    ScorecardPeriod.objects.filter(pk=period.pk).update(status="open")
    Scorecard.objects.filter(pk=card.pk).delete()
    assert not Scorecard.objects.filter(pk=card.pk).exists()


def test_web_requests_record_the_client_ip(org_tree):
    # given the rep's customer; when a web request of the rep from 192.0.2.7 saves it
    from django.http import HttpResponse
    from simple_history.middleware import HistoryRequestMiddleware

    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep)

    def view(request):
        customer.industry = "Food"
        customer.save()
        return HttpResponse()

    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.7")
    request.user = rep.user
    HistoryRequestMiddleware(view)(request)
    # then the history row carries the user and the address
    row = customer.history.first()
    assert row.ip_address == "192.0.2.7"
    assert row.history_user == rep.user
