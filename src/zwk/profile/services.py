"""Writes of the Kommunalprofil. Each is atomic and records a history event.

Rule for an approved profile: its content (inventory, interviews, guide, SWOT, chapter texts,
outlook) is frozen until the approval is withdrawn (`profile_reopen`); every content write
raises ProfileError while the profile is approved. Comments stay possible, so a reflection can
go on after approval. Data sets and scenarios (the analysis half) are not frozen by this rule.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zwk.core.concurrency import lock_current, next_version
from zwk.history.services import record
from zwk.process.uploads import UploadRejected, check_uploaded_file, stored_only_on_success
from zwk.profile.models import (
    Comment,
    Interview,
    InterviewGuide,
    InterviewStatement,
    InventoryEntry,
    Profile,
    SwotItem,
)

logger = logging.getLogger(__name__)


class ProfileError(ValueError):
    """A write the profile does not allow; str() is a German message."""


def profile_of(*, commune) -> Profile:
    profile, _created = Profile.objects.get_or_create(commune=commune)
    return profile


@transaction.atomic
def profile_approve(*, commune, by) -> Profile:
    """The coordinator approves the profile; this satisfies the gate item of step 2."""
    profile = Profile.objects.select_for_update().get(pk=profile_of(commune=commune).pk)
    if profile.status == Profile.Status.APPROVED:
        raise ProfileError(_("Das Kommunalprofil ist bereits freigegeben."))
    profile.status = Profile.Status.APPROVED
    profile.approved_by, profile.approved_at = by, timezone.now()
    profile.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    record(verb="profile.approved", actor=by, subject=profile, commune=commune)
    return profile


@transaction.atomic
def profile_reopen(*, commune, by) -> Profile:
    """Back to draft, e.g. after the reflection workshop asked for changes."""
    profile = Profile.objects.select_for_update().get(pk=profile_of(commune=commune).pk)
    if profile.status != Profile.Status.APPROVED:
        raise ProfileError(_("Das Kommunalprofil ist noch nicht freigegeben."))
    profile.status, profile.approved_by, profile.approved_at = Profile.Status.DRAFT, None, None
    profile.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    record(verb="profile.reopened", actor=by, subject=profile, commune=commune)
    return profile


APPROVED_MESSAGE = ("Das Kommunalprofil ist freigegeben und kann nicht mehr geändert werden. "
                    "Nehmen Sie die Freigabe zurück, um es zu bearbeiten.")


def ensure_draft(commune) -> None:
    """Refuse content changes while the profile is approved (see module docstring)."""
    if Profile.objects.filter(commune=commune, status=Profile.Status.APPROVED).exists():
        raise ProfileError(APPROVED_MESSAGE)


# --- small checks shared by the writes -------------------------------------------------------

def _text(value: str, field_name: str, label: str, *, max_length: int | None = None,
          required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field_name: _("Bitte geben Sie %(label)s an.") % {"label": label}})
    if max_length and len(text) > max_length:
        raise ValidationError({field_name: _("Höchstens %(max_length)s Zeichen (%(length)s "
                                             "eingegeben).")
                                           % {"max_length": max_length, "length": len(text)}})
    return text


def _choice(value: str, choices, field_name: str) -> str:
    if value not in {c for c, _label in choices}:
        raise ValidationError({field_name: _("Bitte wählen Sie einen der angebotenen Werte.")})
    return value


def _own_action_fields(commune, action_fields) -> list:
    fields = list(action_fields or [])
    if any(f.commune_id != commune.pk for f in fields):
        raise ValidationError(
            {"action_fields": _("Dieses Handlungsfeld gehört nicht zur Kommune.")})
    return fields


def _url(value: str) -> str:
    url = (value or "").strip()
    if url and urlparse(url).scheme not in ("http", "https"):
        raise ValidationError({"url": _("Bitte geben Sie einen Link beginnend mit https:// oder "
                                        "http:// an.")})
    if len(url) > 200:
        raise ValidationError({"url": _("Der Link ist länger als 200 Zeichen.")})
    return url


# --- inventory (Bestandsaufnahme) ------------------------------------------------------------

@dataclass
class InventoryData:
    title: str
    kind: str = InventoryEntry.Kind.MEASURE
    description: str = ""
    status: str = InventoryEntry.Status.RUNNING
    responsible: str = ""
    url: str = ""
    action_fields: list = field(default_factory=list)


def _clean_inventory(commune, data: InventoryData) -> tuple[dict, list]:
    values = {
        "title": _text(data.title, "title", "einen Titel", max_length=200),
        "kind": _choice(data.kind, InventoryEntry.Kind.choices, "kind"),
        "description": _text(data.description, "description", "", required=False,
                             max_length=10000),
        "status": _choice(data.status, InventoryEntry.Status.choices, "status"),
        "responsible": _text(data.responsible, "responsible", "", required=False,
                             max_length=200),
        "url": _url(data.url),
    }
    return values, _own_action_fields(commune, data.action_fields)


def _check_attachment(upload) -> None:
    try:
        check_uploaded_file(upload, max_bytes=settings.ZWK_MAX_UPLOAD_BYTES)
    except UploadRejected as error:
        raise ValidationError({"attachment": str(error)}) from error


def _delete_later(storage, name: str | None) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def inventory_create(*, commune, data: InventoryData, by, attachment=None) -> InventoryEntry:
    """A new entry of the Bestandsaufnahme; an attachment is checked like any upload."""
    ensure_draft(commune)
    values, action_fields = _clean_inventory(commune, data)
    if attachment is not None:
        _check_attachment(attachment)
    entry = InventoryEntry(commune=commune, created_by=by, **values)
    if attachment is not None:
        entry.attachment.save(attachment.name, attachment, save=False)
        entry.attachment_name = attachment.name[:255]
    with stored_only_on_success(entry.attachment):
        entry.save()
        entry.action_fields.set(action_fields)
        record(verb="inventory.created", actor=by, subject=entry, commune=commune,
               kind=entry.kind, attachment=entry.attachment_name)
    return entry


@transaction.atomic
def inventory_update(*, entry: InventoryEntry, data: InventoryData, by, attachment=None,
                     remove_attachment: bool = False,
                     expected_version: int | None = None) -> InventoryEntry:
    commune = entry.commune
    ensure_draft(commune)
    values, action_fields = _clean_inventory(commune, data)
    if attachment is not None:
        _check_attachment(attachment)
    entry = lock_current(InventoryEntry.objects, pk=entry.pk, expected_version=expected_version)
    for name, value in values.items():
        setattr(entry, name, value)
    next_version(entry)
    old_name, storage = entry.attachment.name, entry.attachment.storage
    if attachment is not None:
        entry.attachment.save(attachment.name, attachment, save=False)
        entry.attachment_name = attachment.name[:255]
    elif remove_attachment:
        entry.attachment, entry.attachment_name = "", ""
    try:
        entry.save()
        entry.action_fields.set(action_fields)
        record(verb="inventory.updated", actor=by, subject=entry, commune=commune,
               attachment=entry.attachment_name)
    except Exception:
        if attachment is not None:
            entry.attachment.delete(save=False)
        raise
    if old_name and old_name != entry.attachment.name:
        _delete_later(storage, old_name)
    return entry


@transaction.atomic
def inventory_delete(*, entry: InventoryEntry, by) -> None:
    ensure_draft(entry.commune)
    record(verb="inventory.deleted", actor=by, subject=entry, commune=entry.commune)
    stored, storage = entry.attachment.name, entry.attachment.storage
    entry.delete()
    _delete_later(storage, stored)


# --- interviews ------------------------------------------------------------------------------

DEFAULT_GUIDE = """\
Einstieg: In welcher Rolle oder für welche Einrichtung sprechen Sie heute mit uns?
Was hält Menschen hier in der Kommune? Was schätzen Sie selbst am meisten?
Was zieht neue Menschen an – und was hält Interessierte davon ab, herzuziehen?
Aus welchen Gründen verlassen vor allem junge Menschen die Kommune, und was würde sie halten oder zurückholen?
Wie erleben Sie Arbeit und Ausbildung hier: Arbeitsplätze, Fachkräfte, Stellen auch für Partner:innen?
Wie steht es um Wohnen: Angebot, Preise, barrierefreie Wohnungen?
Wie gut sind Kinderbetreuung, Schulen und Angebote für Jugendliche?
Wie sind ärztliche Versorgung, Pflege und das Leben im Alter aufgestellt?
Wie gut kommt man ohne eigenes Auto zurecht? Wie steht es um Internet und Mobilfunk?
Wie zufrieden sind Sie mit Nahversorgung, Treffpunkten, Kultur, Sport und Freizeit?
Wie lebendig sind Vereine, Ehrenamt und Nachbarschaft? Wie werden Neue willkommen geheißen?
Welche Projekte, Konzepte oder Netzwerke zum demografischen Wandel kennen Sie schon? Was wirkt, was fehlt?
In welchen Handlungsfeldern sehen Sie den größten Bedarf?
Was wünschen Sie sich für die Kommune in zehn Jahren? Wer sollte dafür zusammenarbeiten?
Gibt es etwas, das wir nicht gefragt haben, das Ihnen wichtig ist?"""


def interview_guide_of(*, commune) -> InterviewGuide:
    """The commune's guide; created with the default questions on first use."""
    guide, _created = InterviewGuide.objects.get_or_create(
        commune=commune, defaults={"questions": DEFAULT_GUIDE})
    return guide


@transaction.atomic
def interview_guide_update(*, commune, questions: str, by,
                           expected_version: int | None = None) -> InterviewGuide:
    ensure_draft(commune)
    lines = [line.strip() for line in (questions or "").splitlines() if line.strip()]
    if not lines:
        raise ValidationError({"questions": _("Der Leitfaden braucht mindestens eine Frage.")})
    text = _text("\n".join(lines), "questions", "", max_length=20000)
    guide = lock_current(InterviewGuide.objects, pk=interview_guide_of(commune=commune).pk,
                         expected_version=expected_version)
    guide.questions = text
    next_version(guide)
    guide.save(update_fields=["questions", "version"])
    record(verb="interview_guide.updated", actor=by, subject=guide, commune=commune,
           questions=len(lines))
    return guide


@dataclass
class InterviewData:
    role: str
    held_on: dt.date | None
    summary: str = ""


def _clean_interview(data: InterviewData) -> dict:
    if data.held_on is None:
        raise ValidationError({"held_on": _("Bitte geben Sie das Datum des Interviews an.")})
    if data.held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Das Datum liegt in der Zukunft. Erfassen Sie "
                                            "Interviews, nachdem sie geführt wurden.")})
    return {"role": _text(data.role, "role", "die Rolle oder Institution", max_length=200),
            "held_on": data.held_on,
            "summary": _text(data.summary, "summary", "", required=False, max_length=20000)}


@transaction.atomic
def interview_create(*, commune, data: InterviewData, by) -> Interview:
    ensure_draft(commune)
    interview = Interview.objects.create(commune=commune, created_by=by,
                                         **_clean_interview(data))
    record(verb="interview.recorded", actor=by, subject=interview, commune=commune)
    return interview


@transaction.atomic
def interview_update(*, interview: Interview, data: InterviewData, by,
                     expected_version: int | None = None) -> Interview:
    ensure_draft(interview.commune)
    values = _clean_interview(data)
    interview = lock_current(Interview.objects.select_related("commune"), pk=interview.pk,
                             expected_version=expected_version)
    for name, value in values.items():
        setattr(interview, name, value)
    next_version(interview)
    interview.save(update_fields=[*values, "version"])
    record(verb="interview.updated", actor=by, subject=interview, commune=interview.commune)
    return interview


@transaction.atomic
def interview_delete(*, interview: Interview, by) -> None:
    ensure_draft(interview.commune)
    record(verb="interview.deleted", actor=by, subject=interview, commune=interview.commune,
           statements=interview.statements.count())
    interview.delete()


def _clean_statement(commune, text: str, action_field) -> dict:
    if action_field is not None and action_field.commune_id != commune.pk:
        raise ValidationError({"action_field": _("Dieses Handlungsfeld gehört nicht zur Kommune.")})
    return {"text": _text(text, "text", "die Kernaussage", max_length=2000),
            "action_field": action_field}


@transaction.atomic
def statement_add(*, interview: Interview, text: str, action_field=None,
                  by) -> InterviewStatement:
    commune = interview.commune
    ensure_draft(commune)
    statement = InterviewStatement.objects.create(
        interview=interview, **_clean_statement(commune, text, action_field))
    record(verb="interview_statement.added", actor=by, subject=statement, commune=commune,
           interview=interview.pk, action_field=str(action_field or ""))
    return statement


@transaction.atomic
def statement_update(*, statement: InterviewStatement, text: str, action_field=None,
                     by) -> InterviewStatement:
    commune = statement.interview.commune
    ensure_draft(commune)
    values = _clean_statement(commune, text, action_field)
    statement = InterviewStatement.objects.select_for_update().get(pk=statement.pk)
    for name, value in values.items():
        setattr(statement, name, value)
    statement.save(update_fields=list(values))
    record(verb="interview_statement.updated", actor=by, subject=statement, commune=commune)
    return statement


@transaction.atomic
def statement_delete(*, statement: InterviewStatement, by) -> None:
    commune = statement.interview.commune
    ensure_draft(commune)
    record(verb="interview_statement.deleted", actor=by, subject=statement, commune=commune)
    statement.delete()


# --- SWOT ------------------------------------------------------------------------------------

@dataclass
class SwotData:
    quadrant: str
    text: str
    action_fields: list = field(default_factory=list)
    indicator_key: str = ""
    interview_statement: InterviewStatement | None = None
    inventory_entry: InventoryEntry | None = None


def _clean_swot(commune, data: SwotData) -> tuple[dict, list]:
    statement, entry = data.interview_statement, data.inventory_entry
    if statement is not None and statement.interview.commune_id != commune.pk:
        raise ValidationError({"interview_statement": _("Diese Aussage gehört nicht zur Kommune.")})
    if entry is not None and entry.commune_id != commune.pk:
        raise ValidationError({"inventory_entry": _("Dieser Eintrag gehört nicht zur Kommune.")})
    values = {
        "quadrant": _choice(data.quadrant, SwotItem.Quadrant.choices, "quadrant"),
        "text": _text(data.text, "text", "die Aussage", max_length=300),
        "indicator_key": _text(data.indicator_key, "indicator_key", "", required=False,
                               max_length=60),
        "interview_statement": statement, "inventory_entry": entry,
    }
    return values, _own_action_fields(commune, data.action_fields)


@transaction.atomic
def swot_item_create(*, commune, data: SwotData, by) -> SwotItem:
    """A SWOT point written by hand: accepted at once."""
    ensure_draft(commune)
    values, action_fields = _clean_swot(commune, data)
    item = SwotItem.objects.create(commune=commune, status=SwotItem.Status.ACCEPTED,
                                   created_by=by, **values)
    item.action_fields.set(action_fields)
    record(verb="swot.created", actor=by, subject=item, commune=commune,
           quadrant=item.quadrant)
    return item


@transaction.atomic
def swot_item_update(*, item: SwotItem, data: SwotData, by, accept: bool = False,
                     expected_version: int | None = None) -> SwotItem:
    """Change a point; `accept` also takes over a proposal (edit and accept in one step)."""
    commune = item.commune
    ensure_draft(commune)
    values, action_fields = _clean_swot(commune, data)
    item = lock_current(SwotItem.objects, pk=item.pk, expected_version=expected_version)
    for name, value in values.items():
        setattr(item, name, value)
    next_version(item)
    if accept:
        item.status = SwotItem.Status.ACCEPTED
    item.save()
    item.action_fields.set(action_fields)
    record(verb="swot.updated", actor=by, subject=item, commune=commune, quadrant=item.quadrant,
           status=item.status)
    return item


def _set_status(item: SwotItem, status: str, verb: str, by) -> SwotItem:
    ensure_draft(item.commune)
    item = SwotItem.objects.select_for_update().select_related("commune").get(pk=item.pk)
    if item.status == status:
        raise ProfileError(_("Der SWOT-Punkt ist bereits %(status)s.")
                           % {"status": item.get_status_display()})
    item.status = status
    next_version(item)  # an open edit form of the point now sees the decision as a conflict
    item.save(update_fields=["status", "version"])
    record(verb=verb, actor=by, subject=item, commune=item.commune, rule_key=item.rule_key)
    return item


@transaction.atomic
def swot_item_accept(*, item: SwotItem, by) -> SwotItem:
    """A proposal (or a dismissed point) goes into the SWOT."""
    return _set_status(item, SwotItem.Status.ACCEPTED, "swot.accepted", by)


@transaction.atomic
def swot_item_dismiss(*, item: SwotItem, by) -> SwotItem:
    """A point leaves the SWOT; a dismissed proposal is not proposed again."""
    return _set_status(item, SwotItem.Status.DISMISSED, "swot.dismissed", by)


@transaction.atomic
def swot_item_delete(*, item: SwotItem, by) -> None:
    """Delete a hand-written point. Proposals are dismissed instead, so they stay dismissed."""
    ensure_draft(item.commune)
    if item.rule_key:
        raise ProfileError(_("Vorschläge aus den Daten werden verworfen, nicht gelöscht – so "
                             "schlägt das System sie nicht erneut vor."))
    record(verb="swot.deleted", actor=by, subject=item, commune=item.commune)
    item.delete()


def comparison_keys(commune, key: str, regions) -> list[str]:
    """Nearest comparison regions present in the data: the Kreis of a town, then the Land."""
    from zwk.demography.regions import kreis_of

    keys = []
    kreis = kreis_of(key)
    if kreis and kreis != key:
        keys.append(kreis)
    if key[:2] != key:
        keys.append(key[:2])
    return [k for k in keys if k in regions]


def swot_findings(commune) -> list:
    """What the rules find in the commune's loaded data (empty without data)."""
    from zwk.demography.errors import DemographyError
    from zwk.demography.indicators import indicators_table
    from zwk.profile import data as profile_data
    from zwk.profile.swot_rules import PROJECTION_YEARS, evaluate

    dataset = profile_data.commune_dataset(commune)
    if dataset is None:
        return []
    key = profile_data.commune_key(commune, dataset)
    if key is None:
        return []
    table = indicators_table(dataset)
    projection = None
    try:
        from zwk.demography.projection.api import project

        projection = project(dataset, None, PROJECTION_YEARS, regions=[key]).to_frame("groups")
    except (DemographyError, ValueError, KeyError) as error:  # projection is optional: rules without it still run
        logger.info("SWOT proposals without projection for %s: %s", commune.pk, error)
    return evaluate(table, key, comparison_keys(commune, key, set(dataset.regions)), projection)


@transaction.atomic
def swot_proposals_refresh(*, commune, by) -> list[SwotItem]:
    """Store new findings of the rules as proposals; existing ones (in any status) stay as they
    are, so a dismissed proposal is not proposed again. Returns the new proposals."""
    ensure_draft(commune)
    findings = swot_findings(commune)
    if not findings and profile_data_missing(commune):
        raise ProfileError(_("Für Vorschläge aus den Daten laden Sie zuerst amtliche Daten "
                             "(Reiter „Daten“)."))
    existing = set(commune.swot_items.exclude(rule_key="").values_list("rule_key", flat=True))
    catalogue = {f.name: f for f in commune.action_fields.filter(is_active=True)}
    created = []
    for finding in findings:
        if finding.rule_key in existing:
            continue
        try:
            with transaction.atomic():  # a concurrent refresh may have stored it meanwhile
                item = SwotItem.objects.create(
                    commune=commune, quadrant=finding.quadrant, text=finding.text[:300],
                    status=SwotItem.Status.PROPOSED, rule_key=finding.rule_key,
                    figures=finding.figures_json(), indicator_key=finding.indicator_key,
                    created_by=by)
        except IntegrityError:
            continue
        item.action_fields.set([catalogue[n] for n in finding.action_fields if n in catalogue])
        created.append(item)
    record(verb="swot.proposals_refreshed", actor=by, commune=commune,
           new=[item.rule_key for item in created], findings=len(findings))
    return created


def profile_data_missing(commune) -> bool:
    return not commune.data_sources.exists()


# --- chapter texts, outlook, comments --------------------------------------------------------

CHAPTERS = (
    ("lage", "Lage und Geografie"),
    ("bildung", "Bildung"),
    ("arbeit", "Arbeit, Wirtschaft und Sozialleistungen"),
    ("wohnen", "Wohnen"),
    ("engagement", "Engagement und Partizipation"),
    ("gesundheit", "Gesundheit, Pflege und Inklusion"),
    ("nahversorgung", "Nahversorgung"),
    ("kultur", "Kultur, Begegnung, Freizeit, Naherholung"),
    ("verkehr", "Verkehr"),
    ("demografiepolitik", "Ausgangslage der kommunalen Demografiepolitik"),
)
CHAPTER_KEYS = tuple(key for key, _title in CHAPTERS)
MAX_CHAPTER_CHARS = 20000


@transaction.atomic
def profile_texts_update(*, commune, chapters: dict[str, str], outlook: str, by,
                         expected_version: int | None = None) -> Profile:
    """Store the chapter texts (keys of CHAPTERS) and the outlook; empty chapters are dropped."""
    ensure_draft(commune)
    unknown = set(chapters) - set(CHAPTER_KEYS)
    if unknown:
        raise ProfileError(_("Unbekannte Kapitel: %(keys)s.")
                           % {"keys": ", ".join(sorted(unknown))})
    cleaned = {key: _text(chapters.get(key, ""), key, "", required=False,
                          max_length=MAX_CHAPTER_CHARS) for key in CHAPTER_KEYS}
    outlook = _text(outlook, "outlook", "", required=False, max_length=MAX_CHAPTER_CHARS)
    profile = lock_current(Profile.objects, pk=profile_of(commune=commune).pk,
                           expected_version=expected_version)
    changed = sorted(k for k in CHAPTER_KEYS
                     if cleaned[k] != (profile.chapters or {}).get(k, ""))
    profile.chapters = {k: v for k, v in cleaned.items() if v}
    outlook_changed = outlook != profile.outlook
    profile.outlook = outlook
    next_version(profile)
    profile.save(update_fields=["chapters", "outlook", "version", "updated_at"])
    record(verb="profile.texts_updated", actor=by, subject=profile, commune=commune,
           chapters=changed, outlook=outlook_changed)
    return profile


COMMENT_SECTIONS = (
    ("", "Allgemein"),
    ("inventory", "Bestandsaufnahme"),
    ("interviews", "Interviews"),
    ("swot", "SWOT"),
    *CHAPTERS,
    ("outlook", "Ausblick"),
)


@transaction.atomic
def comment_add(*, commune, text: str, by, section: str = "") -> Comment:
    """A remark on the draft (reflection); allowed also when the profile is approved."""
    section = _choice(section, COMMENT_SECTIONS, "section")
    comment = Comment.objects.create(commune=commune, section=section, author=by,
                                     text=_text(text, "text", "einen Kommentar",
                                                max_length=5000))
    record(verb="profile.commented", actor=by, subject=comment, commune=commune,
           section=section)
    return comment
