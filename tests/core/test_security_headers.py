"""The Content-Security-Policy: scripts only from our own files, on every page."""

import re
from pathlib import Path

import pytest

import salesorg

TEMPLATES = sorted(Path(salesorg.__file__).parent.rglob("templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)


def test_pages_forbid_inline_and_foreign_scripts(org_tree):
    response = org_tree.client("rep_east1a").get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_the_login_page_carries_the_policy_too(client):
    assert "Content-Security-Policy" in client.get("/accounts/login/").headers


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_no_template_holds_an_inline_script_or_event_handler(template):
    text = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "move the script to a static file"
    assert not EVENT_HANDLER.search(text), "bind the handler in a static file"
