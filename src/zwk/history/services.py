"""The one way to write history: every service calls `record` inside its transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from zwk.history.models import HistoryEvent


def record(
    *,
    verb: str,
    actor: Any,
    subject: models.Model | None = None,
    commune: Any = None,
    programme: Any = None,
    **data: Any,
) -> HistoryEvent:
    if commune is not None and programme is None:
        programme = commune.programme
    return HistoryEvent.objects.create(
        verb=verb,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=str(subject.pk) if subject is not None else "",
        subject_label=str(subject)[:300] if subject is not None else "",
        commune=commune,
        programme=programme,
        data={key: _jsonable(value) for key, value in data.items()},
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)
