"""Change counters for conditional polling (docs/decisions/0501-live-updates.md).

The truth is the session row (`version`, `staff_version`). The cache (Redis when ZWK_REDIS_URL
is set, so all app processes share it; in-process memory otherwise) holds a copy so that a
poll that finds nothing new costs one cache read and no database query. Copies expire after
a second, so even a lost cache update delays a change by at most that long.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models import F

CACHE_SECONDS = 1


def _key(session_id: int, staff: bool) -> str:
    return f"zwk:ws:{session_id}:{'staff' if staff else 'public'}"


def touch(session, *, public: bool = True) -> None:
    """Count a change. Call inside the writing transaction; the cache follows on commit."""
    from zwk.workshop.models import Session

    fields = {"staff_version": F("staff_version") + 1}
    if public:
        fields["version"] = F("version") + 1
    Session.objects.filter(pk=session.pk).update(**fields)
    transaction.on_commit(lambda: refresh(session.pk))


def refresh(session_id: int) -> tuple[int, int]:
    from zwk.workshop.models import Session

    row = Session.objects.filter(pk=session_id).values_list("version", "staff_version").first()
    if row is None:
        return (0, 0)
    cache.set_many({_key(session_id, False): row[0], _key(session_id, True): row[1]},
                   CACHE_SECONDS)
    return row


def current(session_id: int, *, staff: bool = False) -> int:
    value = cache.get(_key(session_id, staff))
    if value is None:
        value = refresh(session_id)[1 if staff else 0]
    return int(value)
