"""A fixed-window request counter in the cache: how endpoints refuse bursts."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def rate_limited(key: str, *, limit: int, period: int) -> bool:
    """Count one more hit for `key`; true once more than `limit` hits fall in `period` s."""
    cache_key = f"ratelimit:{key}"
    if cache.add(cache_key, 1, timeout=period):
        return False
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # the window expired between add() and incr()
        cache.add(cache_key, 1, timeout=period)
        return False
    return hits > limit


def client_ip(request) -> str:
    """The client address: REMOTE_ADDR, or the first X-Forwarded-For hop when the settings
    say a trusted proxy is in front (BEHIND_PROXY; otherwise the header could be forged)."""
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")
