"""Planned milestones of a measure: add, reach (which logs the progress entry that records it)
and remove while not reached. Reads are in zwk.plan.monitoring."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zwk.history.services import record
from zwk.plan import review
from zwk.plan.models import Measure, Milestone


@transaction.atomic
def milestone_add(*, measure: Measure, title: str, due: date, by) -> Milestone:
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Bitte geben Sie dem Meilenstein einen Namen.")})
    if len(title) > 200:
        raise ValidationError({"title": _("Der Name ist zu lang (höchstens 200 Zeichen).")})
    item = Milestone.objects.create(measure=measure, title=title, due=due, created_by=by)
    record(verb="plan.milestone_planned", actor=by, subject=measure, commune=measure.commune,
           milestone=title, due=due.isoformat())
    return item


@transaction.atomic
def milestone_reach(*, milestone: Milestone, on: date, progress: int | None, by) -> Milestone:
    """Mark a planned milestone as reached on `on`: a progress entry "Meilenstein erreicht: …"
    (with the percentage, if given) records it, with the same rules as any entry."""
    item = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if item.reached_id is not None:
        raise ValidationError(_("Dieser Meilenstein ist bereits als erreicht festgehalten."))
    entry = review.progress_entry_add(measure=item.measure, on=on, progress=progress,
                                      note=_("Meilenstein erreicht: %(title)s")
                                      % {"title": item.title}, by=by)
    item.reached = entry
    item.save(update_fields=["reached"])
    record(verb="plan.milestone_reached", actor=by, subject=item.measure,
           commune=item.measure.commune, milestone=item.title, date=on.isoformat(),
           due=item.due.isoformat())
    return item


@transaction.atomic
def milestone_delete(*, milestone: Milestone, by) -> None:
    if milestone.reached_id is not None:
        raise ValidationError(_("Ein erreichter Meilenstein bleibt im Verlauf und kann nicht "
                                "gelöscht werden."))
    measure = milestone.measure
    record(verb="plan.milestone_removed", actor=by, subject=measure, commune=measure.commune,
           milestone=milestone.title, due=milestone.due.isoformat())
    milestone.delete()
