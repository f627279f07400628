"""The installable phone app (#18): the manifest in the reader's language, the service worker
at the site root."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "name", "short_name"),
    [("zh-hans", "销售组织管理系统", "销售组织"), ("en", "SalesOrg", "SalesOrg")],
)
def test_the_manifest_names_the_app_in_the_readers_language(client, language, name, short_name):
    client.cookies["django_language"] = language
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == name and manifest["short_name"] == short_name
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone" and manifest["theme_color"]
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_the_service_worker_is_served_at_the_root_and_never_cached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert b"importScripts" in response.content


def test_pages_link_the_manifest(org_tree):
    page = org_tree.client("rep_east1a").get("/sales/visits/log/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert "salesorg/offline.js" in page and "data-visit-queue" in page
