"""What every request and response passes: the input-hygiene check, the CSP header."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse

from salesorg.core.hygiene import BadParameter, bad_in_request

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


class InputHygieneMiddleware:
    """Answer 400 naming the place when a query parameter or body value cannot be stored.

    Every query string is checked, and every body a view may parse: the API's as JSON whatever
    its content type (django-ninja reads it so), a page's form as a form (views read some
    fields directly, not only through forms). What is refused is in `core.hygiene`: NUL
    characters, lone surrogates, non-finite numbers and integers beyond 64 bits.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        is_api = request.path.startswith("/api/")
        bad = bad_in_request(request, raw_json_body=is_api)
        if bad is None:
            return self.get_response(request)
        if is_api:
            return JsonResponse(
                {"detail": [{"loc": list(bad.loc), "msg": bad.msg, "type": "value_error"}]},
                status=400,
            )
        return HttpResponseBadRequest(f"{bad.loc[-1]}: {bad.msg}", content_type="text/plain")

    def process_exception(self, request, exception):
        """A page's parameter its helper refused (`core.hygiene.id_param`, `date_param`)."""
        if isinstance(exception, BadParameter):
            return HttpResponseBadRequest(str(exception), content_type="text/plain")
        return None
