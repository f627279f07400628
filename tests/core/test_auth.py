"""Login, logout, password change, lock-out and the language switch."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_a_rep_logs_in_and_lands_on_the_home_page(org_tree):
    client = Client()
    response = _login(client, "REP-east1a", "pw-for-tests-1")
    assert response.status_code == 302 and response.url == "/"
    assert org_tree.people["rep_east1a"].name in client.get("/").content.decode()


def test_a_wrong_password_re_shows_the_form_with_a_message(org_tree):
    response = _login(Client(), "REP-east1a", "wrong")
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()


def test_logout_is_a_post_and_ends_the_session(org_tree):
    client = org_tree.client("rep_east1a")
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_repeated_failures_lock_the_account(org_tree, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "REP-east1a", "wrong")
    locked = _login(client, "REP-east1a", "pw-for-tests-1")
    assert locked.status_code in (403, 429)
    assert "Account locked" in locked.content.decode()


def test_password_change(org_tree):
    client = org_tree.client("rep_east1a")
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "pw-for-tests-1",
            "new_password1": "a-new-Long-pass-9",
            "new_password2": "a-new-Long-pass-9",
        },
    )
    assert response.status_code == 302
    assert _login(Client(), "REP-east1a", "a-new-Long-pass-9").status_code == 302


def test_forms_are_csrf_protected(org_tree):
    client = Client(enforce_csrf_checks=True)
    assert _login(client, "REP-east1a", "pw-for-tests-1").status_code == 403


def test_the_language_switch_changes_the_interface(org_tree, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client = org_tree.client("rep_east1a")
    assert "组织架构" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Organization" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "组织架构" in client.get("/").content.decode()


def test_someone_who_has_left_cannot_log_in_or_get_a_token(org_tree):
    response = _login(Client(), "REP-former", "pw-for-tests-1")
    assert response.status_code == 200
    assert "left the company" in response.content.decode()
    token = Client().post(
        "/api/v1/auth/token",
        {"username": "REP-former", "password": "pw-for-tests-1"},
        content_type="application/json",
    )
    assert token.status_code == 401


def test_a_session_of_someone_who_has_left_sees_nothing(org_tree):
    client = org_tree.client("rep_former")
    former = org_tree.people["rep_former"]
    assert client.get(former.get_absolute_url()).status_code == 404
