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


# Behind a trusted proxy (BEHIND_PROXY=1) every request comes from the proxy's address and
# names the client in X-Forwarded-For: the lock-out and the rate limit must count the client.
PROXY = "127.0.0.1"


def _token_from(client_address, username, password):
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address).post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
    )


def _login_from(client_address, username, password):
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address).post(
        "/accounts/login/", {"username": username, "password": password}
    )


@override_settings(BEHIND_PROXY=True)
def test_behind_a_proxy_one_clients_failures_lock_out_no_one_else(org_tree, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login_from("10.0.0.1", "REP-east1a", "wrong-guess")
    assert _login_from("10.0.0.1", "REP-east1a", "pw-for-tests-1").status_code == 429

    assert _login_from("10.0.0.2", "MGR-east1", "pw-for-tests-1").status_code == 302
    assert _token_from("10.0.0.2", "MGR-east1", "pw-for-tests-1").status_code == 200
    assert AccessFailureLog.objects.filter(username="REP-east1a", ip_address="10.0.0.1").exists()


@override_settings(BEHIND_PROXY=True)
def test_a_stranger_cannot_lock_a_known_person_code_out(org_tree, settings):
    guesses = [
        _token_from("10.0.0.9", "REP-east1a", "wrong-guess").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT + 1)
    ]
    assert guesses[-1] == 429  # the stranger is locked out of that name ...

    # ... and the person, from their own address, is not
    assert _token_from("10.0.0.2", "REP-east1a", "pw-for-tests-1").status_code == 200
    assert _login_from("10.0.0.2", "REP-east1a", "pw-for-tests-1").status_code == 302


@pytest.mark.django_db
@override_settings(BEHIND_PROXY=True, TOKEN_RATE_LIMIT=3)
def test_behind_a_proxy_the_token_rate_limit_counts_each_client():
    cache.clear()
    burst = [_token_from("10.0.0.1", "nobody", "x").status_code for _ in range(4)]
    other_client = _token_from("10.0.0.2", "nobody", "x").status_code
    cache.clear()
    assert burst == [401, 401, 401, 429]
    assert other_client == 401
