"""Every stylesheet and script a page links to is actually served."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/accounts/login/", "/sales/visits/log/"])
def test_linked_static_files_exist(org_tree, url):
    client = org_tree.client("rep_east1a") if url != "/accounts/login/" else Client()
    page = client.get(url).content.decode()
    linked = re.findall(r'(?:href|src)="/static/([^"]+)"', page)
    assert "salesorg/app.js" in linked
    missing = [path for path in linked if finders.find(path) is None]
    assert missing == []
