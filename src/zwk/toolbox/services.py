"""Every write of the Werkzeugkoffer: keyword-only, atomic, each recorded in the history."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from zwk.history.services import record
from zwk.process.uploads import UploadRejected, check_uploaded_file, stored_only_on_success
from zwk.toolbox import search
from zwk.toolbox.models import Adoption, Tool, ToolAttachment, Topic
from zwk.toolbox.search import search_text_of

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
TEXT_FIELDS = ("title", "type", "problem", "summary", "steps", "outcome", "where_used", "origin",
               "contact", "sources", "keywords", "effort", "effort_time", "effort_people",
               "effort_money", "min_population", "max_population")


class ToolboxError(ValueError):
    """str() is a German message for the person acting."""


@dataclass
class ToolData:
    title: str
    summary: str
    type: str = Tool.Type.METHOD
    topics: list[Topic] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    commune_kinds: list[str] = field(default_factory=list)
    min_population: int | None = None
    max_population: int | None = None
    effort: str = Tool.Effort.MEDIUM
    effort_time: str = ""
    effort_people: str = ""
    effort_money: str = ""
    problem: str = ""
    steps: str = ""
    outcome: str = ""
    where_used: str = ""
    origin: str = ""
    contact: str = ""
    sources: str = ""
    keywords: str = ""


def _unique_slug(title: str) -> str:
    base = slugify(title)[:200] or "werkzeug"
    slug, n = base, 2
    while Tool.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _apply(tool: Tool, data: ToolData) -> None:
    for name in TEXT_FIELDS:
        setattr(tool, name, getattr(data, name))
    tool.stages = f",{','.join(data.stages)}," if data.stages else ""
    tool.commune_kinds = f",{','.join(data.commune_kinds)}," if data.commune_kinds else ""
    tool.search_text = search_text_of(tool, [t.name for t in data.topics])


def _where(tool: Tool) -> dict:
    return {"commune": tool.owner_commune} if tool.owner_commune_id else {}


@transaction.atomic
def tool_create(*, data: ToolData, by, owner_commune=None, source_measure=None) -> Tool:
    """The office creates a programme-wide tool (draft); a commune creates a practice draft."""
    tool = Tool(slug=_unique_slug(data.title), owner_commune=owner_commune, created_by=by,
                status=Tool.Status.DRAFT, source_measure=source_measure)
    if owner_commune is not None:
        data.type = Tool.Type.PRACTICE
    _apply(tool, data)
    tool.save()
    tool.topics.set(data.topics)
    search.refresh(tool)
    record(verb="toolbox.tool_created", actor=by, subject=tool, **_where(tool))
    return tool


@transaction.atomic
def tool_admin_saved(*, tool: Tool, by, created: bool) -> Tool:
    """The Django admin wrote a tool's fields and topics: keep its stored search current and
    record the change like every other write."""
    search.refresh(tool)
    record(verb="toolbox.tool_created" if created else "toolbox.tool_updated", actor=by,
           subject=tool, via="admin", **_where(tool))
    return tool


@transaction.atomic
def topic_admin_saved(*, topic: Topic, by, created: bool) -> Topic:
    """A topic's name is part of every tool's stored search: refresh the tools of the topic."""
    count = search.refresh_all(topic.tools.all())
    record(verb="toolbox.topic_created" if created else "toolbox.topic_updated", actor=by,
           subject=topic, via="admin", tools_refreshed=count)
    return topic


@transaction.atomic
def tool_update(*, tool: Tool, data: ToolData, by) -> Tool:
    if tool.owner_commune_id is not None:
        data.type = Tool.Type.PRACTICE
    _apply(tool, data)
    tool.save()
    tool.topics.set(data.topics)
    search.refresh(tool)
    record(verb="toolbox.tool_updated", actor=by, subject=tool, **_where(tool))
    return tool


def _set_status(tool: Tool, status: str, *, allowed_from: tuple[str, ...], verb: str, by,
                message: str) -> Tool:
    tool = Tool.objects.select_for_update().get(pk=tool.pk)
    if tool.status not in allowed_from:
        raise ToolboxError(message)
    tool.status = status
    tool.save(update_fields=["status", "updated_at"])
    record(verb=verb, actor=by, subject=tool, **_where(tool))
    return tool


@transaction.atomic
def practice_submit(*, tool: Tool, by) -> Tool:
    return _set_status(tool, Tool.Status.REVIEW, allowed_from=(Tool.Status.DRAFT,),
                       verb="toolbox.practice_submitted", by=by,
                       message="Nur ein Entwurf kann zur Prüfung eingereicht werden.")


@transaction.atomic
def tool_publish(*, tool: Tool, by) -> Tool:
    return _set_status(tool, Tool.Status.PUBLISHED,
                       allowed_from=(Tool.Status.DRAFT, Tool.Status.REVIEW, Tool.Status.RETIRED),
                       verb="toolbox.tool_published", by=by,
                       message="Das Werkzeug ist bereits veröffentlicht.")


@transaction.atomic
def tool_return(*, tool: Tool, by, reason: str) -> Tool:
    """The office sends a practice back to its commune for changes."""
    if not reason.strip():
        raise ToolboxError(_("Bitte geben Sie an, was noch geändert werden soll."))
    tool = Tool.objects.select_for_update().get(pk=tool.pk)
    if tool.status != Tool.Status.REVIEW:
        raise ToolboxError(_("Nur eingereichte Praxisbeispiele können zurückgegeben werden."))
    tool.status = Tool.Status.DRAFT
    tool.save(update_fields=["status", "updated_at"])
    record(verb="toolbox.practice_returned", actor=by, subject=tool, reason=reason.strip(),
           **_where(tool))
    return tool


@transaction.atomic
def tool_retire(*, tool: Tool, by) -> Tool:
    return _set_status(tool, Tool.Status.RETIRED, allowed_from=(Tool.Status.PUBLISHED,),
                       verb="toolbox.tool_retired", by=by,
                       message="Nur veröffentlichte Werkzeuge können zurückgezogen werden.")


@transaction.atomic
def tool_adopt(*, tool: Tool, commune, by, note: str = "") -> Adoption:
    if tool.status != Tool.Status.PUBLISHED:
        raise ToolboxError(_("Nur veröffentlichte Werkzeuge können übernommen werden."))
    try:
        with transaction.atomic():
            adoption = Adoption.objects.create(tool=tool, commune=commune, adopted_by=by,
                                               note=note.strip()[:500])
    except IntegrityError:
        raise ToolboxError(_("%(commune)s hat dieses Werkzeug bereits übernommen.")
                           % {"commune": commune.name}) from None
    record(verb="toolbox.tool_adopted", actor=by, subject=tool, commune=commune)
    return adoption


# --- good practice from the Werkstattplan, and back into it ------------------------------------

def _locked_measure(measure):
    from zwk.plan.models import Measure

    return Measure.objects.select_for_update().select_related("commune").get(pk=measure.pk)


@transaction.atomic
def practice_share_from_measure(*, measure, data: ToolData, by) -> Tool:
    """A commune shares one of its measures as a good practice: a private draft of the commune
    (and its programme office) that keeps the measure it came from. One practice per measure
    at a time; a retired one may be shared anew."""
    measure = _locked_measure(measure)
    existing = (Tool.objects.filter(source_measure=measure)
                .exclude(status=Tool.Status.RETIRED).first())
    if existing is not None:
        raise ToolboxError(_("Diese Maßnahme ist bereits als gute Praxis geteilt: "
                             "„%(title)s“ (%(status)s).")
                           % {"title": existing.title, "status": existing.get_status_display()})
    if not data.outcome.strip():
        raise ToolboxError(_("Bitte beschreiben Sie das Ergebnis: Was hat die Maßnahme bewirkt?"))
    if not data.contact.strip():
        raise ToolboxError(_("Bitte nennen Sie eine Ansprechperson für andere Kommunen."))
    tool = tool_create(data=data, by=by, owner_commune=measure.commune, source_measure=measure)
    record(verb="toolbox.practice_shared", actor=by, subject=tool, commune=measure.commune,
           measure=measure.pk, measure_title=measure.title)
    return tool


def _measure_text(tool: Tool) -> str:
    """A plain-text description for the copy in a plan: summary and steps of the tool."""
    from zwk.toolbox.richtext import plain_text

    parts = [plain_text(tool.summary)]
    steps = [plain_text(s) for s in tool.step_list]
    if any(steps):
        parts.append("So gehen Sie vor:\n" + "\n".join(f"– {s}" for s in steps if s))
    return "\n\n".join(p for p in parts if p)


@transaction.atomic
def tool_adopt_into_plan(*, tool: Tool, goal, by, title: str = "", note: str = "") -> Adoption:
    """A published tool becomes a new measure under `goal` of the adopting commune's
    Werkstattplan, and the Adoption keeps the link. All or nothing: without the measure there
    is no Adoption. A commune adopts a tool once; an earlier adoption without a measure (only
    noted) gets the measure."""
    from django.core.exceptions import ValidationError

    from zwk.plan import services as plan_services

    commune = goal.commune
    if tool.status != Tool.Status.PUBLISHED:
        raise ToolboxError(_("Nur veröffentlichte Werkzeuge können übernommen werden."))
    if tool.owner_commune_id == commune.pk:
        raise ToolboxError(_("Dieses Praxisbeispiel stammt aus Ihrer eigenen Kommune und steht "
                             "schon in Ihrem Werkstattplan."))
    existing = (Adoption.objects.select_for_update(of=("self",)).select_related("measure")
                .filter(tool=tool, commune=commune).first())
    if existing is not None and existing.measure is not None:
        raise ToolboxError(_("%(commune)s hat dieses Werkzeug bereits in den Werkstattplan "
                             "übernommen: Maßnahme „%(measure)s“.")
                           % {"commune": commune.name, "measure": existing.measure.title})
    source = tool.source_measure
    data = {"goal": goal, "status": plan_services.default_status(programme=commune.programme),
            "title": (title.strip() or tool.title)[:280],
            "description": _measure_text(tool),
            "target_groups": source.target_groups if source is not None else ""}
    try:
        measure = plan_services.measure_create(commune=commune, data=data, by=by)
    except ValidationError as error:
        raise ToolboxError(_("Die Maßnahme konnte nicht angelegt werden: %(reasons)s")
                           % {"reasons": " ".join(error.messages)}) from None
    if existing is not None:
        existing.measure = measure
        existing.note = (note.strip()[:500] or existing.note)
        existing.save(update_fields=["measure", "note"])
        adoption = existing
    else:
        try:
            with transaction.atomic():
                adoption = Adoption.objects.create(tool=tool, commune=commune, adopted_by=by,
                                                   measure=measure, note=note.strip()[:500])
        except IntegrityError:
            # Someone else adopted it at the same moment: the measure goes too (outer atomic).
            raise ToolboxError(_("%(commune)s hat dieses Werkzeug bereits übernommen.")
                               % {"commune": commune.name}) \
                from None
    record(verb="toolbox.adopted_into_plan", actor=by, subject=tool, commune=commune,
           measure=measure.pk, measure_title=measure.title, goal=goal.pk)
    return adoption


@transaction.atomic
def attachment_add(*, tool: Tool, upload, title: str, by) -> ToolAttachment:
    file_type = check_uploaded_file(upload, max_bytes=MAX_ATTACHMENT_BYTES)
    attachment = ToolAttachment(tool=tool, title=title.strip() or upload.name,
                                original_name=upload.name[:255],
                                content_type=file_type.content_type, size=upload.size,
                                uploaded_by=by)
    attachment.file.save(upload.name, upload, save=False)
    with stored_only_on_success(attachment.file):
        attachment.save()
        record(verb="toolbox.attachment_added", actor=by, subject=tool, **_where(tool))
    return attachment


__all__ = ["ToolboxError", "UploadRejected", "ToolData", "tool_create", "tool_update",
           "practice_submit", "tool_publish", "tool_return", "tool_retire", "tool_adopt",
           "practice_share_from_measure", "tool_adopt_into_plan", "attachment_add"]
