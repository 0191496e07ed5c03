"""Every write about stages, checklists, events, documents and decisions.

Each function is atomic and records a history event. Errors carry German messages that the
views show as they are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zwk.accounts.models import User
from zwk.core.concurrency import lock_current, next_version
from zwk.history.services import record
from zwk.process import selectors
from zwk.process.models import ChecklistTick, Decision, Document, Meeting, Stage
from zwk.process.stages import STAGE_TYPES
from zwk.process.uploads import check_uploaded_file, stored_only_on_success

if TYPE_CHECKING:
    from zwk.communes.models import Commune


class ProcessError(ValueError):
    """A write that the process does not allow; str() is a German message."""


class StageGateError(ProcessError):
    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(_("Der Schritt kann noch nicht abgeschlossen werden. Es fehlt: "
                           "%(missing)s.") % {"missing": "; ".join(missing)})


def stages_create_for(*, commune: Commune) -> list[Stage]:
    """The five stages of a new commune, all open. Called inside commune_create."""
    return Stage.objects.bulk_create(
        Stage(commune=commune, key=t.key, number=t.number) for t in STAGE_TYPES.values()
    )


def _lock(stage: Stage) -> Stage:
    """Re-read the stage under a row lock so two requests cannot both pass a check."""
    return Stage.objects.select_for_update().select_related("commune__programme").get(pk=stage.pk)


def _ensure_editable(stage: Stage) -> None:
    if stage.is_done:
        raise ProcessError(
            _("Der Schritt „%(stage)s“ ist abgeschlossen. Öffnen Sie ihn wieder, um "
              "etwas zu ändern.") % {"stage": stage.type.title}
        )


def _mark_started(stage: Stage, by: User) -> None:
    """The first piece of work on an open stage starts it."""
    if stage.status == Stage.Status.OPEN:
        stage.status = Stage.Status.ACTIVE
        stage.actual_start = stage.actual_start or timezone.localdate()
        stage.save(update_fields=["status", "actual_start"])
        record(verb="stage.started", actor=by, subject=stage, commune=stage.commune,
               stage=stage.key)


@transaction.atomic
def checklist_tick(*, stage: Stage, item_key: str, done: bool, by: User) -> Stage:
    stage = _lock(stage)
    _ensure_editable(stage)
    item = stage.type.item(item_key)
    if item is None:
        raise ProcessError(_("Diesen Punkt gibt es in der Checkliste dieses Schritts nicht."))
    if item.derived is not None:
        raise ProcessError(_("„%(item)s“ ergibt sich aus den erfassten Daten und wird "
                             "nicht von Hand abgehakt.") % {"item": item.label})
    if done:
        _tick, created = ChecklistTick.objects.get_or_create(stage=stage, item_key=item_key,
                                                             defaults={"ticked_by": by})
    else:
        created = ChecklistTick.objects.filter(stage=stage, item_key=item_key).delete()[0] > 0
    if created:
        _mark_started(stage, by)
        record(verb="stage.checklist_ticked" if done else "stage.checklist_unticked", actor=by,
               subject=stage, commune=stage.commune, stage=stage.key, item=item_key,
               label=str(item.label))
    return stage


@dataclass(frozen=True)
class StageDates:
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    actual_start: dt.date | None = None
    actual_end: dt.date | None = None


def dates_problems(dates: StageDates) -> dict[str, str]:
    problems: dict[str, str] = {}
    if dates.planned_start and dates.planned_end and dates.planned_end < dates.planned_start:
        problems["planned_end"] = _("Das geplante Ende liegt vor dem geplanten Beginn.")
    if dates.actual_start and dates.actual_end and dates.actual_end < dates.actual_start:
        problems["actual_end"] = _("Das tatsächliche Ende liegt vor dem tatsächlichen Beginn.")
    return problems


@transaction.atomic
def stage_set_dates(*, stage: Stage, dates: StageDates, by: User) -> Stage:
    if problems := dates_problems(dates):
        raise ProcessError(" ".join(problems.values()))
    stage = _lock(stage)
    changed = {k: str(v or "") for k, v in asdict(dates).items() if getattr(stage, k) != v}
    if changed:
        for field, value in asdict(dates).items():
            setattr(stage, field, value)
        stage.save(update_fields=list(changed))
        record(verb="stage.dates_changed", actor=by, subject=stage, commune=stage.commune,
               stage=stage.key, changed=changed)
    return stage


@transaction.atomic
def stage_block(*, stage: Stage, reason: str, by: User) -> Stage:
    stage = _lock(stage)
    _ensure_editable(stage)
    if not reason.strip():
        raise ProcessError(_("Bitte beschreiben Sie, was den Schritt blockiert."))
    stage.status, stage.blocked_reason = Stage.Status.BLOCKED, reason.strip()
    stage.save(update_fields=["status", "blocked_reason"])
    record(verb="stage.blocked", actor=by, subject=stage, commune=stage.commune,
           stage=stage.key, reason=stage.blocked_reason)
    return stage


@transaction.atomic
def stage_unblock(*, stage: Stage, by: User) -> Stage:
    stage = _lock(stage)
    if stage.status != Stage.Status.BLOCKED:
        raise ProcessError(_("Der Schritt ist nicht blockiert."))
    stage.status, stage.blocked_reason = Stage.Status.ACTIVE, ""
    stage.save(update_fields=["status", "blocked_reason"])
    record(verb="stage.unblocked", actor=by, subject=stage, commune=stage.commune,
           stage=stage.key)
    return stage


@transaction.atomic
def stage_complete(*, stage: Stage, by: User, override_reason: str = "") -> Stage:
    """Sign off a stage. Missing required items block it unless the programme office
    overrides with a written reason; the override and what was missing are recorded."""
    stage = _lock(stage)
    if stage.is_done:
        raise ProcessError(_("Der Schritt „%(stage)s“ ist bereits abgeschlossen.")
                           % {"stage": stage.type.title})
    missing = selectors.stage_missing_items(stage=stage)
    override_reason = override_reason.strip()
    if missing and not override_reason:
        raise StageGateError(missing)
    if missing and not by.has_perm("process.override_gate", stage):
        raise PermissionDenied(_("Nur die Geschäftsstelle kann einen Schritt trotz offener "
                                 "Punkte abschließen."))
    stage.status = Stage.Status.DONE
    stage.completed_at, stage.completed_by = timezone.now(), by
    stage.actual_end = stage.actual_end or timezone.localdate()
    stage.override_reason = override_reason if missing else ""
    stage.blocked_reason = ""
    stage.save()
    record(verb="stage.completed_with_override" if missing else "stage.completed", actor=by,
           subject=stage, commune=stage.commune, stage=stage.key, missing=missing,
           override_reason=stage.override_reason)
    return stage


@transaction.atomic
def stage_reopen(*, stage: Stage, by: User, reason: str = "") -> Stage:
    stage = _lock(stage)
    if not stage.is_done:
        raise ProcessError(_("Der Schritt „%(stage)s“ ist nicht abgeschlossen und "
                             "kann daher nicht wieder geöffnet werden.")
                           % {"stage": stage.type.title})
    stage.status = Stage.Status.ACTIVE
    stage.completed_at, stage.completed_by, stage.actual_end = None, None, None
    stage.save(update_fields=["status", "completed_at", "completed_by", "actual_end"])
    record(verb="stage.reopened", actor=by, subject=stage, commune=stage.commune,
           stage=stage.key, reason=reason.strip())
    return stage


@dataclass(frozen=True)
class MeetingData:
    title: str
    date: dt.date
    format: str = Meeting.Format.ONSITE
    location: str = ""
    participants_count: int | None = None
    participant_groups: str = ""
    agenda: str = ""
    minutes: str = ""


@transaction.atomic
def meeting_record(*, stage: Stage, data: MeetingData, by: User) -> Meeting:
    stage = _lock(stage)
    _ensure_editable(stage)
    meeting = Meeting.objects.create(stage=stage, created_by=by, **asdict(data))
    _mark_started(stage, by)
    record(verb="meeting.recorded", actor=by, subject=meeting, commune=stage.commune,
           stage=stage.key, date=data.date, participants=data.participants_count,
           has_minutes=bool(data.minutes.strip()))
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, data: MeetingData, by: User,
                   expected_version: int | None = None) -> Meeting:
    stage = _lock(meeting.stage)
    _ensure_editable(stage)
    meeting = lock_current(Meeting.objects, pk=meeting.pk, expected_version=expected_version)
    next_version(meeting)
    changed = [k for k, v in asdict(data).items() if getattr(meeting, k) != v]
    for field, value in asdict(data).items():
        setattr(meeting, field, value)
    meeting.save()
    record(verb="meeting.updated", actor=by, subject=meeting, commune=stage.commune,
           stage=stage.key, changed=changed)
    return meeting


@transaction.atomic
def document_upload(*, stage: Stage, upload: UploadedFile[bytes], title: str, kind: str,
                    by: User) -> Document:
    """Store an uploaded file after checking its type, content and size."""
    stage = _lock(stage)
    _ensure_editable(stage)
    file_type = check_uploaded_file(upload, max_bytes=settings.ZWK_MAX_UPLOAD_BYTES)
    name = upload.name or ""
    document = Document(stage=stage, title=title.strip() or name, kind=kind,
                        original_name=name[:255], content_type=file_type.content_type,
                        size=upload.size or 0, uploaded_by=by)
    document.file.save(name, upload, save=False)
    with stored_only_on_success(document.file):
        document.save()
        _mark_started(stage, by)
        record(verb="document.uploaded", actor=by, subject=document, commune=stage.commune,
               stage=stage.key, name=document.original_name, size=document.size)
    return document


@dataclass(frozen=True)
class DecisionData:
    decided_on: dt.date
    title: str
    body: str = ""
    reference: str = ""
    text: str = ""


@transaction.atomic
def decision_record(*, stage: Stage, data: DecisionData, by: User) -> Decision:
    stage = _lock(stage)
    _ensure_editable(stage)
    decision = Decision.objects.create(stage=stage, created_by=by, **asdict(data))
    _mark_started(stage, by)
    record(verb="decision.recorded", actor=by, subject=decision, commune=stage.commune,
           stage=stage.key, body=data.body, reference=data.reference)
    return decision
