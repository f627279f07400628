"""Browser tests: Playwright driving Debian's Chromium against the live test server."""

import os
import threading

import pytest

CHROMIUM = os.environ.get("SALESORG_CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def live_server(live_server):
    """The live server, answering one request at a time on the in-memory SQLite test database.

    There every request thread opens its own connection to one shared-cache database, and
    requests that overlap (the service worker fetching the rep's pages while the test navigates)
    fail with "database table is locked" instead of waiting. A real server has a database file or
    PostgreSQL, where they wait.
    """
    httpd = live_server.thread.httpd
    httpd.set_app(_one_at_a_time_in_memory(httpd.get_app()))
    return live_server


def _one_at_a_time_in_memory(app):
    from django.db import connection

    lock = threading.Lock()

    def answer(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    def serialised(environ, start_response):
        # the test database is set up after the server starts: look at each request
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            with lock:
                return answer(environ, start_response)
        return app(environ, start_response)

    return serialised


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A page in a 390 px wide phone viewport."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()
