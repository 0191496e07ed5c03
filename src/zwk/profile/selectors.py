"""Reads of the qualitative Kommunalprofil: inventory, interviews, SWOT, comments.

Every list comes with its relations prefetched, so a page makes a fixed number of queries
however many entries there are. The PDF/DOCX export may use these as well.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.db.models import Prefetch, QuerySet

from zwk.communes.models import ActionField
from zwk.profile.models import (
    Comment,
    Interview,
    InterviewStatement,
    InventoryEntry,
    SwotItem,
)


def action_fields_of(*, commune) -> QuerySet[ActionField]:
    """The commune's active Handlungsfelder, in catalogue order."""
    return ActionField.objects.filter(commune=commune, is_active=True)


def inventory_of(*, commune, action_field: int | None = None,
                 kind: str | None = None) -> QuerySet[InventoryEntry]:
    entries = (InventoryEntry.objects.filter(commune=commune)
               .prefetch_related("action_fields").select_related("created_by"))
    if action_field:
        entries = entries.filter(action_fields__pk=action_field)
    if kind:
        entries = entries.filter(kind=kind)
    return entries.distinct()


def interviews_of(*, commune) -> QuerySet[Interview]:
    return (Interview.objects.filter(commune=commune)
            .prefetch_related(Prefetch("statements", queryset=InterviewStatement.objects
                                       .select_related("action_field"))))


def statements_of(*, commune) -> QuerySet[InterviewStatement]:
    return (InterviewStatement.objects.filter(interview__commune=commune)
            .select_related("interview", "action_field"))


def swot_items_of(*, commune, statuses=None) -> QuerySet[SwotItem]:
    items = (SwotItem.objects.filter(commune=commune)
             .select_related("interview_statement__interview", "inventory_entry")
             .prefetch_related("action_fields"))
    if statuses:
        items = items.filter(status__in=statuses)
    return items


def swot_quadrants(*, commune) -> OrderedDict:
    """{quadrant: {"label", "accepted": [...], "proposed": [...], "dismissed": [...]}} in the
    order Stärken, Schwächen, Chancen, Risiken."""
    labels = {"strength": "Stärken", "weakness": "Schwächen", "opportunity": "Chancen",
              "threat": "Risiken"}
    quadrants: OrderedDict[str, dict[str, Any]] = OrderedDict(
        (key, {"key": key, "label": label, "accepted": [], "proposed": [],
                                   "dismissed": []}) for key, label in labels.items())
    for item in swot_items_of(commune=commune):
        quadrants[item.quadrant][item.status].append(item)
    return quadrants


def candidate_action_fields(*, commune) -> list[tuple[ActionField, int]]:
    """Handlungsfelder of accepted SWOT points, most frequent first: suggestions for the
    outlook."""
    counts: dict[int, list] = {}
    for item in swot_items_of(commune=commune, statuses=[SwotItem.Status.ACCEPTED]):
        for action_field in item.action_fields.all():
            counts.setdefault(action_field.pk, [action_field, 0])[1] += 1
    return sorted(((f, n) for f, n in counts.values()),
                  key=lambda pair: (-pair[1], pair[0].position, pair[0].name))


def comments_of(*, commune) -> QuerySet[Comment]:
    return Comment.objects.filter(commune=commune).select_related("author")
