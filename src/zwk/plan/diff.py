"""Compare two plan snapshots field by field. Pure functions on the JSON snapshot."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The fields compared and their German names for the page.
GOAL_FIELDS = {
    "action_field": "Handlungsfeld", "parent": "Übergeordnetes Ziel", "title": "Ziel",
    "description": "Beschreibung", "weight": "Gewicht", "indicator_key": "Kennzahl",
    "indicator_name": "Eigene Kennzahl", "indicator_unit": "Einheit",
    "indicator_source": "Quelle", "baseline_value": "Ausgangswert",
    "baseline_year": "Jahr des Ausgangswerts", "target_value": "Zielwert",
    "target_date": "Zieldatum",
}
MEASURE_FIELDS = {
    "goal": "Ziel", "title": "Maßnahme", "description": "Beschreibung",
    "target_groups": "Zielgruppen", "lead": "Federführung", "partners": "Partner:innen",
    "start": "Beginn", "end": "Ende", "budget": "Budget in Euro",
    "funding_source": "Finanzierung", "status": "Status", "progress": "Fortschritt in %",
    "priority": "Priorität", "weight": "Gewicht", "dependencies": "Hängt ab von",
    "milestones": "Meilensteine",
}


@dataclass
class Change:
    field: str
    label: str
    old: Any
    new: Any


@dataclass
class Item:
    kind: str          # "goal" | "measure"
    id: int
    title: str
    changes: list[Change] = field(default_factory=list)


@dataclass
class PlanDiff:
    added: list[Item] = field(default_factory=list)
    removed: list[Item] = field(default_factory=list)
    changed: list[Item] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _index(snapshot: dict, key: str) -> dict[int, dict]:
    return {int(item["id"]): item for item in snapshot.get(key, [])}


def diff_plans(old: dict, new: dict) -> PlanDiff:
    """Goals and measures added, removed and changed from `old` to `new` (matched by id)."""
    result = PlanDiff()
    for kind, key, fields in (("goal", "goals", GOAL_FIELDS),
                              ("measure", "measures", MEASURE_FIELDS)):
        before, after = _index(old, key), _index(new, key)
        for pk in after.keys() - before.keys():
            result.added.append(Item(kind, pk, after[pk].get("title", "")))
        for pk in before.keys() - after.keys():
            result.removed.append(Item(kind, pk, before[pk].get("title", "")))
        for pk in sorted(before.keys() & after.keys()):
            changes = [Change(name, label, before[pk].get(name), after[pk].get(name))
                       for name, label in fields.items()
                       if _norm(before[pk].get(name)) != _norm(after[pk].get(name))]
            if changes:
                result.changed.append(Item(kind, pk, after[pk].get("title", ""), changes))
    for items in (result.added, result.removed):
        items.sort(key=lambda i: (i.kind != "goal", i.id))
    result.changed.sort(key=lambda i: (i.kind != "goal", i.id))
    return result


def _norm(value: Any) -> Any:
    """Compare like with like: an empty text or list is the same as a missing value (older
    snapshots lack fields added later, e.g. milestones)."""
    if isinstance(value, list):
        return sorted(value, key=str) or None
    if value == "":
        return None
    return value
