from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Model, QuerySet

from zwk.history.models import HistoryEvent

if TYPE_CHECKING:
    from zwk.communes.models import Commune


def commune_timeline(*, commune: Commune, limit: int = 200) -> QuerySet[HistoryEvent]:
    return (
        HistoryEvent.objects.filter(commune=commune)
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


def events_for(*, subject: Model, verb: str | None = None) -> QuerySet[HistoryEvent]:
    events = HistoryEvent.objects.filter(
        subject_type=subject._meta.label_lower, subject_id=str(subject.pk)
    )
    return events.filter(verb=verb) if verb else events
