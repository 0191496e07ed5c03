"""Every write of the Werkzeugkoffer: keyword-only, atomic, each recorded in the history."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from zwk.history.services import record
from zwk.process.uploads import UploadRejected, check_uploaded_file, stored_only_on_success
from zwk.toolbox.loader import search_text_of
from zwk.toolbox.models import Adoption, Tool, ToolAttachment, Topic

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
def tool_create(*, data: ToolData, by, owner_commune=None) -> Tool:
    """The office creates a programme-wide tool (draft); a commune creates a practice draft."""
    tool = Tool(slug=_unique_slug(data.title), owner_commune=owner_commune, created_by=by,
                status=Tool.Status.DRAFT)
    if owner_commune is not None:
        data.type = Tool.Type.PRACTICE
    _apply(tool, data)
    tool.save()
    tool.topics.set(data.topics)
    record(verb="toolbox.tool_created", actor=by, subject=tool, **_where(tool))
    return tool


@transaction.atomic
def tool_update(*, tool: Tool, data: ToolData, by) -> Tool:
    if tool.owner_commune_id is not None:
        data.type = Tool.Type.PRACTICE
    _apply(tool, data)
    tool.save()
    tool.topics.set(data.topics)
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
        raise ToolboxError("Bitte geben Sie an, was noch geändert werden soll.")
    tool = Tool.objects.select_for_update().get(pk=tool.pk)
    if tool.status != Tool.Status.REVIEW:
        raise ToolboxError("Nur eingereichte Praxisbeispiele können zurückgegeben werden.")
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
        raise ToolboxError("Nur veröffentlichte Werkzeuge können übernommen werden.")
    try:
        with transaction.atomic():
            adoption = Adoption.objects.create(tool=tool, commune=commune, adopted_by=by,
                                               note=note.strip()[:500])
    except IntegrityError:
        raise ToolboxError(f"{commune.name} hat dieses Werkzeug bereits übernommen.") from None
    record(verb="toolbox.tool_adopted", actor=by, subject=tool, commune=commune)
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
           "attachment_add"]
