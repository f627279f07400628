"""The installable phone app (#18): the web app manifest and the service worker.

The manifest's name follows the reader's language; the service worker is served from the site
root so that its scope is the whole site, never cached by the browser's HTTP cache so that a new
version is picked up at the next visit.
"""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

THEME_COLOUR = "#0d6efd"


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest, in the reader's language: name, icons, theme, the home to start."""
    icons = [
        {"src": static("salesorg/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("salesorg/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("salesorg/icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    body = {
        "id": "/",
        "name": _("SalesOrg"),
        "short_name": pgettext("the app's name under its icon, short", "SalesOrg"),
        "description": _("Visits, customers and targets of the sales organisation."),
        "lang": get_language(),
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": icons,
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Vary"] = "Cookie, Accept-Language"
    return response


@never_cache
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker (static/salesorg/sw.js) at /sw.js, its scope the whole site."""
    path = finders.find("salesorg/sw.js")
    if not isinstance(path, str):
        raise Http404
    with open(path, "rb") as source:
        response = HttpResponse(source.read(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response
