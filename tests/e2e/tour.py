"""The browser tour: every demo role opens its home, its menu and a few detail pages.

Each page is opened at 1366×900 and at 390×844 in zh-Hans, checked by tour_checks and
saved as a screenshot under tests/e2e/screenshots/tour/<role>/ (git-ignored) for a person
to look at. test_tour.py runs it against the live test server loaded with the demo; to run
it against a server of your own that holds the demo company (same database settings):

    SALESORG_HOME=… DJANGO_SETTINGS_MODULE=salesorg.settings \
        .venv/bin/python -m tests.e2e.tour --url http://127.0.0.1:8000 --out violations.txt
"""

import os
import re
import shutil
import time
from pathlib import Path
from urllib.parse import urlsplit

from tests.e2e.tour_checks import (
    PAGE_FACTS,
    DataWords,
    Violation,
    card_problems,
    figure_problems,
    text_problems,
)

# The demo's logins: director, region head, manager, rep, finance, trainer, admin, new hire.
ROLES = ("D0001", "H0001", "M0001", "R0001", "F0001", "T0001", "A0001", "N0001")
# Reps work on a phone: their pages must not be wider than it.
PHONE_ROLES = frozenset({"R0001", "N0001"})
# The language the tour asks for (and every page must answer in).
LANGUAGE = "zh-hans"
VIEWPORTS = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}
# Detail pages reached from the menu's pages: the first link of each kind is opened.
DETAILS = (
    ("customer", re.compile(r"^/customers/\d+/$")),
    ("visit", re.compile(r"^/sales/visits/\d+/$")),
    ("plan", re.compile(r"^/targets/plans/\d+/$")),
    ("plan grid", re.compile(r"^/targets/plans/\d+/grid/")),
    ("scorecards of a period", re.compile(r"^/performance/scorecards/\d+/$")),
    ("scorecard", re.compile(r"^/performance/scorecards/card/\d+/$")),
    ("one-on-one", re.compile(r"^/development/coaching/\d+/$")),
)
# Not the product's own pages: Django's admin, logging out, the language switch, the API.
NOT_TOURED = re.compile(r"^/(admin|accounts/logout|i18n|api)/")
SCREENSHOTS = Path(__file__).parent / "screenshots" / "tour"
MAX_PAGES_PER_ROLE = 40


def tour(*, browser, base_url: str, password: str, data: DataWords, log=print) -> list[Violation]:
    """Every role's pages at both sizes; the violations found, in the order seen."""
    violations: list[Violation] = []
    for role in os.environ.get("TOUR_ROLES", "").split() or ROLES:
        started = time.monotonic()
        pages = role_tour(browser=browser, base_url=base_url, role=role, password=password)
        count = 0
        for path, viewport, facts, error in pages:
            count += 1
            violations += page_violations(
                role=role, path=path, viewport=viewport, facts=facts, error=error, data=data
            )
        log(f"tour: {role} {count} page views in {time.monotonic() - started:.1f} s")
    return violations


def role_tour(*, browser, base_url: str, role: str, password: str):
    """Yield (path, viewport, page facts, error) for the role's home, menu and details.

    Each page is loaded once on a phone-sized tab (what a rep's phone gets), then the tab
    is widened to the desktop size: the server renders the same page for both, the
    browser lays it out (and the charts redraw) for each, at half the server's work.
    """
    context = browser.new_context(viewport=VIEWPORTS["390"], locale="zh-CN")
    context.add_cookies([{"name": "django_language", "value": LANGUAGE, "url": base_url}])
    tab = context.new_page()
    try:
        login(tab, base_url=base_url, code=role, password=password)
        queue, seen, kinds_found = ["/"], {"/"}, set()
        folder = SCREENSHOTS / role
        shutil.rmtree(folder, ignore_errors=True)  # no screenshot left from an earlier run
        folder.mkdir(parents=True)
        for number, path in enumerate(queue):  # grows with the menu and details found
            if number == MAX_PAGES_PER_ROLE:
                break
            links: list[str] = []
            menu: list[str] = []
            tab.set_viewport_size(VIEWPORTS["390"])
            error = load(tab, base_url=base_url, path=path)
            for viewport, size in VIEWPORTS.items():
                facts, problem = None, error
                if error is None:
                    if size != tab.viewport_size:
                        tab.set_viewport_size(size)
                        settle(tab)
                    try:
                        facts = tab.evaluate(PAGE_FACTS, {"menu": path == "/"})
                    except Exception as failure:  # the page's own scripts broke it
                        problem = f"could not be read: {str(failure).splitlines()[0]}"
                    shot = folder / f"{number:02d}-{slug(path)}-{viewport}.jpg"
                    tab.screenshot(path=str(shot), full_page=True, type="jpeg", quality=80)
                yield path, viewport, facts, problem
            if error is None:
                links = same_site_links(tab, base_url=base_url, scope="#main a[href]")
                if path == "/":
                    menu = same_site_links(tab, base_url=base_url, scope="#main-nav a")
            for link in menu:
                if link not in seen and not NOT_TOURED.match(link):
                    seen.add(link)
                    queue.append(link)
            for kind, pattern in DETAILS:
                link = next((link for link in links if pattern.match(link)), None)
                if kind not in kinds_found and link and link not in seen:
                    kinds_found.add(kind)
                    seen.add(link)
                    queue.append(link)
    finally:
        context.close()


def login(tab, *, base_url: str, code: str, password: str) -> None:
    tab.goto(f"{base_url}/accounts/login/")
    tab.fill("#id_username", code)
    tab.fill("#id_password", password)
    tab.click("#main button[type=submit]")
    tab.wait_for_load_state()
    if "/accounts/login/" in tab.url:
        raise AssertionError(f"{code} could not log in")


def load(tab, *, base_url: str, path: str) -> str | None:
    """Open the page and wait for its charts; what went wrong, if anything."""
    try:
        response = tab.goto(base_url + path, wait_until="load")
    except Exception as error:  # a page that does not load is a finding
        return f"did not load: {str(error).splitlines()[0]}"
    if response is None or response.status >= 400:
        return f"HTTP {response.status if response else '?'}"
    if "/accounts/login/" in tab.url:
        return "sent back to the login page"
    if tab.locator("[data-chart]").count():
        try:
            tab.wait_for_function(
                "document.documentElement.dataset.chartsReady !== undefined", timeout=5000
            )
        except Exception:
            return "charts not drawn within 5 s"
    if tab.locator("[hx-trigger~=load]").count():
        tab.wait_for_load_state("networkidle")  # fragments the page loads itself
    return None


def settle(tab) -> None:
    """Give charts their resize redraw after the viewport changed."""
    if tab.locator("[data-chart], canvas").count():
        tab.wait_for_timeout(200)


def same_site_links(tab, *, base_url: str, scope: str) -> list[str]:
    """Paths (with their query) of the links in scope, in the page's order."""
    hrefs = tab.eval_on_selector_all(scope, "links => links.map((link) => link.href)")
    origin = urlsplit(base_url).netloc
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.netloc == origin and parts.path:
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path not in paths:
                paths.append(path)
    return paths


def page_violations(*, role, path, viewport, facts, error, data) -> list[Violation]:
    """What one page at one size shows that it must not."""
    found: list[Violation] = []

    def add(kind, text):
        found.append(Violation(role=role, page=path, viewport=viewport, kind=kind, text=text))

    if error:
        add("page", error)
        return found
    if facts["lang"] != "zh-hans":
        add("language", f"<html lang={facts['lang']!r}>")
    tokens = set()
    for text in facts["texts"]:
        for kind, token, detail in text_problems(text, data):
            if (kind, token) not in tokens:
                tokens.add((kind, token))
                add(kind, detail)
    for value in facts["figures"]:
        for kind, token, detail in figure_problems(value, data):
            if (kind, token) not in tokens:
                tokens.add((kind, token))
                add(kind, f"input {detail}")
    for detail in card_problems(facts["cards"]):
        add("placeholder", detail)
    too_wide = facts["scroll_width"] > facts["viewport_width"]
    if role in PHONE_ROLES and viewport == "390" and too_wide:
        widest = ", ".join(facts["widest"]) or "?"
        add("overflow", f"{facts['scroll_width']} px > {facts['viewport_width']} px: {widest}")
    return found


def report(violations: list[Violation]) -> str:
    """One line per role, page, kind and text, the sizes it was seen at merged."""
    merged: dict[tuple, list[str]] = {}
    for v in violations:
        merged.setdefault((v.kind, v.role, v.page, v.text), []).append(v.viewport)
    lines = [
        f"{kind:<11} {role} {page} [{','.join(sizes)}] {text}"
        for (kind, role, page, text), sizes in sorted(merged.items())
    ]
    return f"{len(lines)} violations:\n" + "\n".join(lines)


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


def main() -> None:
    import argparse

    import django
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--password", default="salesorg2026")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    django.setup()
    data = DataWords.from_database()
    started = time.monotonic()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        violations = tour(
            browser=browser, base_url=args.url.rstrip("/"), password=args.password, data=data
        )
        browser.close()
    args.out.write_text("".join(v.line() + "\n" for v in violations))
    print(report(violations))
    print(f"tour: {time.monotonic() - started:.0f} s, screenshots in {SCREENSHOTS}")


if __name__ == "__main__":
    main()
