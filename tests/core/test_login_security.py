"""Logins are logged and stored; the token endpoint refuses bursts."""

import logging

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.core.cache import cache
from django.test import Client, override_settings


def test_a_successful_login_is_stored_and_logged(org_tree, caplog):
    with caplog.at_level(logging.INFO, logger="salesorg.security"):
        response = Client().post(
            "/accounts/login/", {"username": "REP-east1a", "password": "pw-for-tests-1"}
        )
    assert response.status_code == 302
    assert AccessLog.objects.filter(username="REP-east1a").exists()
    assert "login ok user=REP-east1a" in caplog.text


def test_a_failed_login_is_stored_and_logged_without_the_password(org_tree, caplog):
    with caplog.at_level(logging.INFO, logger="salesorg.security"):
        Client().post("/accounts/login/", {"username": "REP-east1a", "password": "guess-123"})
    assert AccessFailureLog.objects.filter(username="REP-east1a").exists()
    assert "login failed user=REP-east1a" in caplog.text
    assert "guess-123" not in caplog.text


@pytest.mark.django_db
@override_settings(TOKEN_RATE_LIMIT=3)
def test_the_token_endpoint_answers_429_after_the_limit():
    cache.clear()
    client = Client()
    answers = [
        client.post(
            "/api/v1/auth/token",
            {"username": "nobody", "password": "x"},
            content_type="application/json",
        ).status_code
        for _ in range(5)
    ]
    cache.clear()
    assert answers == [401, 401, 401, 429, 429]
    assert (
        "detail"
        in client.post(
            "/api/v1/auth/token",
            {"username": "a", "password": "b"},
            content_type="application/json",
        ).json()
    )


def test_a_locked_out_api_login_answers_json(org_tree):
    client = Client()

    def ask(password):
        return client.post(
            "/api/v1/auth/token",
            {"username": "REP-east1a", "password": password},
            content_type="application/json",
        )

    assert [ask("wrong-guess").status_code for _ in range(5)] == [401, 401, 401, 401, 429]
    response = ask("pw-for-tests-1")  # even the right password, once locked
    assert response.status_code == 429
    assert response.headers["Content-Type"] == "application/json"
    assert "locked" in response.json()["detail"]
