"""What every request and response passes: a check for NUL characters, the CSP header."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

# Scripts only from our own static files: no inline script, no eval, no third-party origin.
# Inline style attributes stay allowed (Bootstrap utilities, ECharts and htmx set them).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Add the Content-Security-Policy header (the API's interactive docs page excepted)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.exempt = tuple(getattr(settings, "CSP_EXEMPT_PATHS", ()))

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(self.exempt):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class RejectNulMiddleware:
    """Answer 400 naming the field when a query parameter or JSON field holds a NUL.

    PostgreSQL cannot store or compare text with a NUL character, so such a value would
    otherwise fail deep in a query as a 500. Form fields are already checked by Django's
    forms (ProhibitNullCharactersValidator).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = self._nul_in_query(request) or self._nul_in_json(request)
        if where is None:
            return self.get_response(request)
        message = _("Null characters are not allowed.")
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": [{"loc": list(where), "msg": message, "type": "value_error"}]},
                status=400,
            )
        return HttpResponseBadRequest(f"{where[1]}: {message}", content_type="text/plain")

    @staticmethod
    def _nul_in_query(request) -> tuple[str, str] | None:
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return ("query", name.replace("\x00", ""))
        return None

    @staticmethod
    def _nul_in_json(request) -> tuple[str, ...] | None:
        if request.content_type != "application/json" or b"\\u0000" not in request.body.lower():
            return None
        try:
            data = json.loads(request.body)
        except ValueError:
            return None  # the view answers malformed JSON itself
        path = _nul_path(data)
        return ("body", *path) if path is not None else None


def _nul_path(value, path: tuple = ()) -> tuple | None:
    """Where in decoded JSON a string holds a NUL (None: nowhere)."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        found = _nul_path(item, (*path, key))
        if found is not None:
            return found
    return None
