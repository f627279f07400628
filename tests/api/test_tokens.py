"""API tokens end with the password, the job and the account; they expire, and their owner
(or an administrator in Django admin) lists and revokes them."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from salesorg.api.models import ApiToken
from salesorg.org.models import Person
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _token(username="REP-east1a", password="pw-for-tests-1") -> str:
    response = Client().post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _bearer(raw: str) -> Client:
    return Client(headers={"authorization": f"Bearer {raw}"})


def _works(raw: str) -> bool:
    return _bearer(raw).get("/api/v1/people").status_code == 200


# --- expiry -------------------------------------------------------------------------------


def test_a_token_answer_says_when_it_expires_by_default_in_30_days(org_tree):
    response = Client().post(
        "/api/v1/auth/token",
        {"username": "REP-east1a", "password": "pw-for-tests-1"},
        content_type="application/json",
    )
    expires_at = parse_datetime(response.json()["expires_at"])
    assert abs(expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)


def test_the_token_lifetime_is_a_setting(org_tree, settings):
    settings.SALESORG_TOKEN_DAYS = 2
    _token()
    token = ApiToken.objects.get()
    assert abs(token.expires_at - (timezone.now() + timedelta(days=2))) < timedelta(minutes=1)


def test_an_expired_token_is_refused(org_tree):
    raw = _token()
    assert _works(raw)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _bearer(raw).get("/api/v1/people").status_code == 401


# --- revoked by a password change, a leave date, a deactivation ---------------------------


def test_a_password_change_ends_the_tokens(org_tree):
    raw = _token()
    browser = org_tree.client("rep_east1a")
    response = browser.post(
        "/accounts/password/",
        {
            "old_password": "pw-for-tests-1",
            "new_password1": "a-new-Long-pass-9",
            "new_password2": "a-new-Long-pass-9",
        },
    )
    assert response.status_code == 302
    assert _bearer(raw).get("/api/v1/people").status_code == 401
    assert not ApiToken.objects.filter(user=org_tree.user("rep_east1a")).exists()
    assert _works(_token(password="a-new-Long-pass-9"))  # a new token works


def test_a_token_from_before_a_password_set_behind_the_apps_back_is_refused(org_tree):
    raw = _token()
    user = org_tree.user("rep_east1a")
    # a bulk update sends no signal: the token is refused when it is used
    get_user_model().objects.filter(pk=user.pk).update(password=make_password("x-Other-pass-7"))
    assert _bearer(raw).get("/api/v1/people").status_code == 401


def test_a_login_or_other_save_of_the_user_keeps_the_tokens(org_tree):
    raw = _token()
    user = org_tree.user("rep_east1a")
    user.first_name = "Lin"
    user.save()
    login = {"username": "REP-east1a", "password": "pw-for-tests-1"}
    assert Client().post("/accounts/login/", login).status_code == 302
    assert _works(raw)


def test_a_token_stops_the_day_after_the_leave_date_even_before_the_leaver_check(org_tree):
    raw = _token()
    assert _works(raw)
    Person.objects.filter(code="REP-east1a").update(leave_date=timezone.localdate() - timedelta(1))
    assert _bearer(raw).get("/api/v1/people").status_code == 401


def test_the_leaver_check_revokes_the_tokens_of_people_who_have_left(org_tree):
    raw = _token()
    keep = _token("MGR-east1")
    Person.objects.filter(code="REP-east1a").update(leave_date=timezone.localdate() - timedelta(1))
    call_command("leaver_check")
    assert not ApiToken.objects.filter(user=org_tree.user("rep_east1a")).exists()
    assert ApiToken.objects.filter(user=org_tree.user("manager_east1")).exists()
    assert _bearer(raw).get("/api/v1/people").status_code == 401
    assert _works(keep)


def test_deactivating_a_login_revokes_its_tokens(org_tree):
    _token()
    user = org_tree.user("rep_east1a")
    user.is_active = False
    user.save()
    assert not ApiToken.objects.filter(user=user).exists()


# --- listed and revoked by their owner ----------------------------------------------------


def test_the_owner_lists_their_own_tokens_only(org_tree):
    raw = _token()
    _token()
    _token("MGR-east1")
    body = _bearer(raw).get("/api/v1/auth/tokens").json()
    assert body["count"] == 2
    mine = ApiToken.objects.filter(user=org_tree.user("rep_east1a"))
    assert {item["id"] for item in body["items"]} == {token.pk for token in mine}
    item = body["items"][0]
    assert {"created_at", "last_used_at", "expires_at"} <= item.keys()
    assert "key_hash" not in item


def test_the_owner_revokes_a_token_and_it_stops_working(org_tree):
    raw, other = _token(), _token()
    other_id = ApiToken.objects.order_by("pk").last().pk
    response = _bearer(raw).post(f"/api/v1/auth/tokens/{other_id}/revoke")
    assert response.status_code == 204
    assert _bearer(other).get("/api/v1/people").status_code == 401
    assert _works(raw)


def test_nobody_revokes_someone_elses_token_through_the_api(org_tree):
    theirs = _token("MGR-east1")
    their_id = ApiToken.objects.get().pk
    for role in ("rep_east1a", "director", "admin"):
        response = org_tree.client(role).post(f"/api/v1/auth/tokens/{their_id}/revoke")
        assert response.status_code == 404, role
        assert "detail" in response.json()
    assert _works(theirs)


def test_the_account_page_lists_the_tokens_and_revokes_one(org_tree):
    _token()
    token = ApiToken.objects.get()
    browser = org_tree.client("rep_east1a")
    page = browser.get("/accounts/tokens/").content.decode()
    assert f'value="{token.pk}"' in page
    response = browser.post("/accounts/tokens/", {"token_id": token.pk})
    assert response.status_code == 302 and response.url == "/accounts/tokens/"
    assert not ApiToken.objects.exists()
    assert "No API tokens" in browser.get("/accounts/tokens/").content.decode()


def test_the_account_page_hides_other_peoples_tokens_and_needs_csrf(org_tree):
    _token("MGR-east1")
    token = ApiToken.objects.get()
    browser = org_tree.client("rep_east1a")
    assert f'value="{token.pk}"' not in browser.get("/accounts/tokens/").content.decode()
    assert browser.post("/accounts/tokens/", {"token_id": token.pk}).status_code == 404
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(org_tree.user("manager_east1"))
    assert strict.post("/accounts/tokens/", {"token_id": token.pk}).status_code == 403
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_an_administrator_lists_and_revokes_anyones_tokens_in_django_admin(org_tree):
    _token()
    token = ApiToken.objects.get()
    admin = Client()
    admin.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    listing = admin.get("/admin/api/apitoken/").content.decode()
    assert "REP-east1a" in listing
    response = admin.post(
        "/admin/api/apitoken/",
        {"action": "delete_selected", "_selected_action": [token.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
