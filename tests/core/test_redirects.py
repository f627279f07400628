"""Redirects go only to this site's paths (#21 F9): a `next` naming another site, a scheme or
anything but a path of this site is ignored for the page's own fallback, and every view that
redirects to an address from the request does so through core.redirects.safe_next."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.utils import timezone

from salesorg.core.redirects import safe_next
from salesorg.work.actions import action_item_create

SRC = Path(__file__).resolve().parents[2] / "src" / "salesorg"
HELPER = SRC / "core" / "redirects.py"
# Parameters that name where to go next, in any view that reads them.
REDIRECT_PARAMETERS = {"next", "return_to", "back", "redirect_to", "came_from", "HTTP_REFERER"}
REQUEST_DATA = {"GET", "POST", "META", "headers", "COOKIES"}

UNSAFE = [
    "https://evil.example/phish",
    "javascript:alert(1)",
    "//evil.example/phish",
    "/\\evil.example/phish",
    "\\\\evil.example",
    "http:/evil.example",
    "https:evil.example",
    "data:text/html,<script>alert(1)</script>",
    " https://evil.example/",
    "\t/\\evil.example",
    "mailto:x@evil.example",
    "",
]


@pytest.mark.parametrize("payload", UNSAFE)
def test_an_address_off_this_site_falls_back(payload):
    request = RequestFactory().post("/x/", {"next": payload})
    assert safe_next(request, "/fallback/") == "/fallback/"


@pytest.mark.parametrize("path", ["/", "/targets/actions/?status=open", "/customers/4/#visits"])
def test_a_path_of_this_site_is_followed(path):
    assert safe_next(RequestFactory().post("/x/", {"next": path}), "/fallback/") == path
    assert safe_next(RequestFactory().get("/x/", {"next": path}), "/fallback/") == path


@pytest.mark.parametrize(
    "payload", ["https://evil.example/phish", "javascript:alert(1)", "//evil.example"]
)
def test_the_action_item_status_form_never_leaves_the_site(org_tree, payload):
    # given a rep's action item (the page of #21 F9)
    item = action_item_create(
        title="Call the buyer", owner=org_tree.people["rep_east1a"], due_date=timezone.localdate()
    )
    # when its status form is posted with a `next` off the site
    response = org_tree.client("rep_east1a").post(
        f"/targets/actions/{item.pk}/status/", {"status": "done", "next": payload}
    )
    # then the change is saved and the browser goes back to the item, not elsewhere (no 500)
    assert response.status_code == 302
    assert response["Location"] == item.get_absolute_url()
    item.refresh_from_db()
    assert item.status == "done"


def test_the_action_item_status_form_follows_a_path_of_the_site(org_tree):
    item = action_item_create(
        title="Call the buyer", owner=org_tree.people["rep_east1a"], due_date=timezone.localdate()
    )
    response = org_tree.client("rep_east1a").post(
        f"/targets/actions/{item.pk}/status/", {"status": "done", "next": "/"}
    )
    assert (response.status_code, response["Location"]) == (302, "/")


# --- every view goes through the helper ---------------------------------------------------------


def _reads_a_redirect_parameter(node: ast.AST) -> bool:
    """`request.POST.get("next")`, `request.GET["next"]`, `request.META.get("HTTP_REFERER")` …"""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        container, args = node.func.value, node.args
        if node.func.attr not in ("get", "getlist", "pop") or not args:
            return False
    elif isinstance(node, ast.Subscript):
        container, args = node.value, [node.slice]
    else:
        return False
    named = isinstance(args[0], ast.Constant) and args[0].value in REDIRECT_PARAMETERS
    return named and isinstance(container, ast.Attribute) and container.attr in REQUEST_DATA


def _redirects_to_request_data(node: ast.AST) -> bool:
    """`redirect(request.GET…)` / `HttpResponseRedirect(request.POST…)`: the address is raw."""
    if not isinstance(node, ast.Call):
        return False
    name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
    if name not in ("redirect", "HttpResponseRedirect", "HttpResponsePermanentRedirect"):
        return False
    return any(
        isinstance(inner, ast.Attribute) and inner.attr in REQUEST_DATA
        for argument in node.args
        for inner in ast.walk(argument)
    )


def test_every_redirect_from_the_request_goes_through_safe_next():
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path == HELPER or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if _reads_a_redirect_parameter(node) or _redirects_to_request_data(node):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert found == [], f"use core.redirects.safe_next(request, fallback) at {found}"


def test_the_lint_finds_the_pattern_of_f9():
    # the check itself: the code #21 F9 found is reported, the helper's use is not
    bad = ast.parse('redirect(request.POST.get("next") or item.get_absolute_url())')
    good = ast.parse("redirect(safe_next(request, item.get_absolute_url()))")
    assert any(_reads_a_redirect_parameter(n) for n in ast.walk(bad))
    assert any(_redirects_to_request_data(n) for n in ast.walk(bad))
    assert not any(
        _reads_a_redirect_parameter(n) or _redirects_to_request_data(n) for n in ast.walk(good)
    )
