"""A demo rep logs in on a phone, switches language and sees the home page."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_rep_logs_in_switches_language_and_sees_home(live_server, org_tree, phone, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    rep = org_tree.people["rep_east1a"]
    phone.goto(f"{live_server.url}/")
    # Redirected to the login form, in Chinese.
    assert "/accounts/login/" in phone.url
    assert phone.locator("h1").inner_text() == "登录"
    phone.fill("#id_username", rep.code)
    phone.fill("#id_password", "pw-for-tests-1")
    phone.click("#main button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/")
    assert rep.name in phone.locator("h1").inner_text()
    # Nothing overflows the phone's width.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # Switch to English through the (collapsed) menu.
    phone.click(".navbar-toggler")
    phone.click("#language-menu")
    phone.click("button[name=language][value=en]")
    # The form posts and redirects: wait for the English page, not the load of the old one.
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    assert phone.locator("h1").inner_text().startswith("Welcome")
    assert "No sales and no target for you this month yet." in phone.content()
