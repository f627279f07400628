"""What the API fuzzer (schemathesis, #21 F8) found beyond the generic input hygiene: each case
answered a 500 or an answer outside its documented schema."""

import logging

import pytest
from django.test import Client, RequestFactory


@pytest.fixture
def director(org_tree, org_records) -> Client:
    from salesorg.api.models import ApiToken

    _token, raw = ApiToken.objects.issue(user=org_tree.user("director"))
    return Client(headers={"authorization": f"Bearer {raw}"}, raise_request_exception=False)


def test_a_server_error_of_the_api_answers_json_and_is_logged(
    director, monkeypatch, settings, caplog
):
    # given a bug in an endpoint, with DEBUG off as in production
    settings.DEBUG = False

    def broken(request, meeting_id):
        raise RuntimeError("a bug")

    monkeypatch.setattr("salesorg.api.meetings._meeting", broken)
    # when a client calls it
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = director.get("/api/v1/meetings/1")
    # then it reads a JSON error like every other API answer, and the bug is in the log
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert isinstance(response.json()["detail"], str)
    assert any(record.exc_info and "a bug" in str(record.exc_info[1]) for record in caplog.records)


def test_a_server_error_of_a_page_still_shows_the_error_page():
    from salesorg.api.errors import server_error

    response = server_error(RequestFactory().get("/customers/"))
    assert response.status_code == 500
    assert b"Server error" in response.content
    assert response["Content-Type"].startswith("text/html")


def test_a_meeting_title_longer_than_its_column_is_refused_naming_it(director, org_tree):
    # a title the database cannot hold was a 500 on PostgreSQL (and stored whole on SQLite)
    payload = {
        "team_id": org_tree.teams["east1"].pk,
        "period_start": "2026-01-01",
        "period_end": "2026-01-31",
        "held_on": "2026-02-03",
        "title": "x" * 201,
    }
    response = director.post("/api/v1/meetings", payload, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert "title" in response.content.decode()


def test_a_meeting_about_a_period_longer_than_indicators_may_be_read_is_refused(director, org_tree):
    # its agenda is read from the period's indicators, which refuse more than ten years: a 500
    payload = {
        "team_id": org_tree.teams["east1"].pk,
        "period_start": "1990-01-01",
        "period_end": "2026-01-31",
        "held_on": "2026-02-03",
    }
    response = director.post("/api/v1/meetings", payload, content_type="application/json")
    assert response.status_code == 400
    assert "period_end" in response.content.decode()
