"""Counters shared by all app processes: rate limits and throttles (docs/security.md).

They live in the "shared" cache (Redis when ZWK_REDIS_URL is set, else a database table), never
in process memory, so several gunicorn workers count together. A counter belongs to a fixed
time window (key + window number) and expires with it. With the database cache an increment is
read-then-write, so two requests in the very same instant may count once; a limit can then be
passed by a request or two, never by many.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

ALIAS = "shared"


def _window_key(key: str, window_seconds: int) -> str:
    return f"zwk:count:{key}:{int(timezone.now().timestamp()) // window_seconds}"


def hit(key: str, *, window_seconds: int) -> int:
    """Count one event; the number of events in the current window, this one included."""
    cache = caches[ALIAS]
    full_key = _window_key(key, window_seconds)
    if cache.add(full_key, 1, window_seconds + 1):
        return 1
    try:
        return cache.incr(full_key)
    except ValueError:  # expired between add and incr
        cache.add(full_key, 1, window_seconds + 1)
        return 1


def count(key: str, *, window_seconds: int) -> int:
    """Events counted in the current window."""
    return int(caches[ALIAS].get(_window_key(key, window_seconds)) or 0)


def fingerprint(value: str) -> str:
    """A short keyed hash: counters and rows name a client or address without storing it."""
    digest = hashlib.blake2b(value.strip().lower().encode(), digest_size=8,
                             key=settings.SECRET_KEY.encode()[:64])
    return digest.hexdigest()


def client_address(request) -> str:
    """The client's address as the login throttle sees it (proxy settings of django-axes)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or ""
