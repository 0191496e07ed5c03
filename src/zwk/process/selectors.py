"""Reads about stages: checklist state, what blocks the gate, the traffic light."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from zwk.process.models import ChecklistTick, Decision, Document, Meeting, Stage
from zwk.process.stages import ChecklistItem

if TYPE_CHECKING:
    from zwk.communes.models import Commune

DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class ChecklistRow:
    item: ChecklistItem
    done: bool
    tick: ChecklistTick | None

    @property
    def derived(self) -> bool:
        return self.item.derived is not None


def stage_checklist(*, stage: Stage) -> list[ChecklistRow]:
    ticks = {tick.item_key: tick for tick in stage.ticks.all()}
    rows = []
    for item in stage.type.checklist:
        done = bool(item.derived(stage)) if item.derived else item.key in ticks
        rows.append(ChecklistRow(item=item, done=done, tick=ticks.get(item.key)))
    return rows


def stage_missing_items(*, stage: Stage) -> list[str]:
    """German labels of everything the gate still needs, in checklist order.

    A stage also waits for the steps before it: the process is iterative, but a later step
    is only signed off on top of the earlier ones (or by an override with a reason).
    """
    missing = [str(row.item.label) for row in stage_checklist(stage=stage)
               if row.item.required and not row.done]
    earlier_open = Stage.objects.filter(commune_id=stage.commune_id, number__lt=stage.number) \
        .exclude(status=Stage.Status.DONE).order_by("number")
    missing += [str(_("Der vorherige Schritt „%(title)s“ ist abgeschlossen")
                    % {"title": earlier.type.title}) for earlier in earlier_open]
    return missing


def stage_for_page(*, commune: Commune, key: str) -> Stage:
    """The stage with everything its page shows, in a fixed number of queries."""
    return (
        Stage.objects.filter(commune=commune, key=key)
        .select_related("commune__programme", "completed_by")
        .prefetch_related(
            Prefetch("ticks", queryset=ChecklistTick.objects.select_related("ticked_by")),
            Prefetch("meetings", queryset=Meeting.objects.order_by("-date", "-id")),
            Prefetch("documents", queryset=Document.objects.select_related("uploaded_by")),
            Prefetch("decisions", queryset=Decision.objects.order_by("-decided_on", "-id")),
        )
        .get()
    )


def stages_of(*, commune: Commune) -> QuerySet[Stage]:
    return Stage.objects.filter(commune=commune).order_by("number")


@dataclass(frozen=True)
class Signal:
    """The traffic light of a stage: a key for filters, a German label, a colour level.

    The label always carries the meaning, and each state has its own symbol, so neither
    colour nor symbol is the only cue ("in Arbeit" is not the ✓ of "abgeschlossen").
    """

    key: str
    label: str
    level: str  # green / amber / red / grey

    @property
    def symbol(self) -> str:
        return SIGNAL_SYMBOLS[self.key]


SIGNAL_LABELS = {
    "done": (_("abgeschlossen"), "green"),
    "blocked": (_("blockiert"), "red"),
    "overdue": (_("überfällig"), "red"),
    "due_soon": (_("bald fällig"), "amber"),
    "active": (_("in Arbeit"), "green"),
    "open": (_("offen"), "grey"),
}


SIGNAL_SYMBOLS = {"done": "✓", "active": "◐", "due_soon": "!", "overdue": "✕", "blocked": "■",
                  "open": "○"}


def _signal(key: str) -> Signal:
    label, level = SIGNAL_LABELS[key]
    return Signal(key=key, label=str(label), level=level)


def stage_signal(stage: Stage, *, today: dt.date) -> Signal:
    if stage.status == Stage.Status.DONE:
        return _signal("done")
    if stage.status == Stage.Status.BLOCKED:
        return _signal("blocked")
    if stage.planned_end and stage.planned_end < today:
        return _signal("overdue")
    if stage.planned_end and (stage.planned_end - today).days <= DUE_SOON_DAYS:
        return _signal("due_soon")
    if stage.status == Stage.Status.ACTIVE:
        return _signal("active")
    return _signal("open")


def current_stage(stages: list[Stage]) -> Stage | None:
    """The first stage not yet done: where the commune stands."""
    return next((s for s in stages if not s.is_done), None)


def next_due(stages: list[Stage]) -> dt.date | None:
    dates = [s.planned_end for s in stages if not s.is_done and s.planned_end]
    return min(dates) if dates else None
