"""Change counters for conditional polling (docs/decisions/0501-live-updates.md).

The truth is the session row (`version`, `staff_version`). The cache (Redis when ZWK_REDIS_URL
is set, so all app processes share it; in-process memory otherwise) holds a copy so that a
poll that finds nothing new costs one cache read and no database query. Copies expire soon:
without Redis every process has its own copy and only the writing process refreshes it on
commit, so the others learn of a change when their copy expires (0.5 s; one database read per
process and session per half second). With Redis all processes share the refreshed copy; it
expires after a second (Redis counts whole seconds), which bounds the rare race in which a
slow reader puts back an older value.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F


def cache_seconds() -> float:
    return 1 if getattr(settings, "REDIS_URL", "") else 0.5


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
                   cache_seconds())
    return row


def current(session_id: int, *, staff: bool = False) -> int:
    value = cache.get(_key(session_id, staff))
    if value is None:
        value = refresh(session_id)[1 if staff else 0]
    return int(value)
