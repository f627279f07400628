"""Where a form sends the browser next: only to a path of this site (#21 F9).

Every view that reads a `next` address from the request goes through `safe_next`; an
address naming another site, a scheme (`javascript:`, `data:`), a protocol-relative `//host`
or anything that is not a plain path of this site is ignored for the view's own fallback
(tests/core/test_redirects.py finds any view that reads one without it).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def is_site_path(address: str) -> bool:
    """Is `address` a path of this site: one leading "/", no host, no scheme."""
    if not address.startswith("/") or address.startswith(("//", "/\\")):
        return False
    # No host is allowed at all: only a relative address can pass.
    return url_has_allowed_host_and_scheme(address, allowed_hosts=set())


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The request's `next` (form field, else query parameter) if it is a path of this site,
    else `fallback`."""
    address = request.POST.get("next") or request.GET.get("next") or ""
    return address if is_site_path(address) else fallback
