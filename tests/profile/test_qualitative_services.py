"""Services of the qualitative profile: each write, each refusal, nothing half-written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from zwk.history.models import HistoryEvent
from zwk.process.selectors import stage_missing_items
from zwk.profile import services as s
from zwk.profile.models import (
    Comment,
    Interview,
    InterviewStatement,
    InventoryEntry,
    Profile,
    SwotItem,
)
from zwk.profile.swot_rules import Figure, Finding

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path}}}
    return tmp_path


def stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()]


def fields(commune, *names):
    return [commune.action_fields.get(name=n) for n in names]


def events(verb):
    return HistoryEvent.objects.filter(verb=verb).count()


# --- inventory --------------------------------------------------------------------------------

def test_inventory_create_with_fields_and_attachment(world, media):
    c, by = world.commune, world.user("coordinator")
    entry = s.inventory_create(commune=c, by=by, attachment=SimpleUploadedFile("k.pdf", PDF),
                               data=s.InventoryData(
                                   title=" Seniorenbeirat ", kind="actor", status="permanent",
                                   responsible="Sozialamt", url="https://example.org/beirat",
                                   action_fields=fields(c, "Bildung", "Klima & Umwelt")))
    entry.refresh_from_db()
    assert entry.title == "Seniorenbeirat" and entry.attachment_name == "k.pdf"
    assert {f.name for f in entry.action_fields.all()} == {"Bildung", "Klima & Umwelt"}
    assert len(stored_files(media)) == 1
    assert events("inventory.created") == 1


@pytest.mark.parametrize("data, attachment, field", [
    (dict(title="  "), None, "title"),
    (dict(title="x" * 201), None, "title"),
    (dict(title="A", kind="poem"), None, "kind"),
    (dict(title="A", url="javascript:alert(1)"), None, "url"),
    (dict(title="A"), SimpleUploadedFile("virus.exe", b"MZ"), "attachment"),
    (dict(title="A"), SimpleUploadedFile("fake.pdf", b"MZ\x90\x00"), "attachment"),
    (dict(title="A"), SimpleUploadedFile("leer.pdf", b""), "attachment"),
])
def test_inventory_bad_input_writes_nothing(world, media, data, attachment, field):
    with pytest.raises(ValidationError) as error:
        s.inventory_create(commune=world.commune, by=None, attachment=attachment,
                           data=s.InventoryData(**data))
    assert field in error.value.message_dict
    assert not InventoryEntry.objects.exists() and not stored_files(media)
    assert events("inventory.created") == 0


def test_inventory_refuses_action_field_of_another_commune(world):
    with pytest.raises(ValidationError) as error:
        s.inventory_create(commune=world.commune, by=None, data=s.InventoryData(
            title="A", action_fields=fields(world.other_commune, "Bildung")))
    assert "action_fields" in error.value.message_dict
    assert not InventoryEntry.objects.exists()


def test_inventory_update_replaces_and_removes_attachment(world, media, django_capture_on_commit_callbacks):
    c = world.commune
    entry = s.inventory_create(commune=c, by=None, data=s.InventoryData(title="A"),
                               attachment=SimpleUploadedFile("a.pdf", PDF))
    with django_capture_on_commit_callbacks(execute=True):
        s.inventory_update(entry=entry, by=None, data=s.InventoryData(title="B", status="finished"),
                           attachment=SimpleUploadedFile("b.txt", b"neu"))
    entry.refresh_from_db()
    assert (entry.title, entry.status, entry.attachment_name) == ("B", "finished", "b.txt")
    assert [p.read_bytes() for p in stored_files(media)] == [b"neu"]
    with django_capture_on_commit_callbacks(execute=True):
        s.inventory_update(entry=entry, by=None, data=s.InventoryData(title="B"),
                           remove_attachment=True)
    entry.refresh_from_db()
    assert not entry.attachment and not stored_files(media)
    with django_capture_on_commit_callbacks(execute=True):
        s.inventory_delete(entry=entry, by=None)
    assert not InventoryEntry.objects.exists()
    assert events("inventory.updated") == 2 and events("inventory.deleted") == 1


def test_inventory_update_with_bad_input_keeps_the_old_state(world, media):
    entry = s.inventory_create(commune=world.commune, by=None, data=s.InventoryData(title="A"),
                               attachment=SimpleUploadedFile("a.pdf", PDF))
    with pytest.raises(ValidationError):
        s.inventory_update(entry=entry, by=None, data=s.InventoryData(title="B"),
                           attachment=SimpleUploadedFile("b.exe", b"MZ"))
    entry.refresh_from_db()
    assert entry.title == "A" and entry.attachment_name == "a.pdf"
    assert len(stored_files(media)) == 1


# --- interviews -------------------------------------------------------------------------------

def test_guide_has_a_german_default_and_can_be_edited(world):
    guide = s.interview_guide_of(commune=world.commune)
    assert "Was hält Menschen" in guide.questions and "Handlungsfeldern" in guide.questions
    s.interview_guide_update(commune=world.commune, questions="Frage 1\n\n  Frage 2 \n", by=None)
    guide.refresh_from_db()
    assert guide.questions == "Frage 1\nFrage 2"
    with pytest.raises(ValidationError):
        s.interview_guide_update(commune=world.commune, questions=" \n ", by=None)
    guide.refresh_from_db()
    assert guide.questions == "Frage 1\nFrage 2"
    assert events("interview_guide.updated") == 1


def test_interview_and_statements_lifecycle(world):
    c = world.commune
    interview = s.interview_create(commune=c, by=None, data=s.InterviewData(
        role="Leitung Kita", held_on=dt.date(2024, 5, 2), summary="Betreuung knapp"))
    one = s.statement_add(interview=interview, text="Zu wenige Plätze unter 3",
                          action_field=fields(c, "Kinder, Jugend & Familie")[0], by=None)
    two = s.statement_add(interview=interview, text="Viele Ehrenamtliche", by=None)
    s.statement_update(statement=two, text="Starke Vereine",
                       action_field=fields(c, "Bürgerschaftliches Engagement & Ehrenamt")[0],
                       by=None)
    s.statement_delete(statement=one, by=None)
    assert [st.text for st in interview.statements.all()] == ["Starke Vereine"]
    s.interview_update(interview=interview, by=None, data=s.InterviewData(
        role="Kita-Leitung", held_on=dt.date(2024, 5, 3)))
    interview.refresh_from_db()
    assert interview.role == "Kita-Leitung" and interview.summary == ""
    s.interview_delete(interview=interview, by=None)
    assert not Interview.objects.exists() and not InterviewStatement.objects.exists()
    for verb in ("interview.recorded", "interview.updated", "interview.deleted",
                 "interview_statement.added", "interview_statement.updated",
                 "interview_statement.deleted"):
        assert events(verb) >= 1, verb


@pytest.mark.parametrize("data, field", [
    (dict(role="", held_on=dt.date(2024, 1, 1)), "role"),
    (dict(role="Bürgermeisterin", held_on=None), "held_on"),
    (dict(role="Schule", held_on=dt.date.today() + dt.timedelta(days=2)), "held_on"),
])
def test_interview_bad_input_writes_nothing(world, data, field):
    with pytest.raises(ValidationError) as error:
        s.interview_create(commune=world.commune, by=None, data=s.InterviewData(**data))
    assert field in error.value.message_dict
    assert not Interview.objects.exists() and events("interview.recorded") == 0


def test_statement_refuses_empty_text_and_foreign_action_field(world):
    interview = s.interview_create(commune=world.commune, by=None, data=s.InterviewData(
        role="Schule", held_on=dt.date(2024, 1, 1)))
    with pytest.raises(ValidationError):
        s.statement_add(interview=interview, text="  ", by=None)
    with pytest.raises(ValidationError):
        s.statement_add(interview=interview, text="Aussage", by=None,
                        action_field=fields(world.other_commune, "Bildung")[0])
    assert not InterviewStatement.objects.exists()


# --- SWOT -------------------------------------------------------------------------------------

def other_statement(world):
    interview = s.interview_create(commune=world.other_commune, by=None, data=s.InterviewData(
        role="Schule", held_on=dt.date(2024, 1, 1)))
    return s.statement_add(interview=interview, text="Fremd", by=None)


def test_manual_swot_item_lifecycle(world):
    c = world.commune
    entry = s.inventory_create(commune=c, by=None, data=s.InventoryData(title="Bürgerbus"))
    item = s.swot_item_create(commune=c, by=None, data=s.SwotData(
        quadrant="strength", text="Bürgerbus verbindet Ortsteile", inventory_entry=entry,
        action_fields=fields(c, "Mobilität & Erreichbarkeit")))
    assert item.status == SwotItem.Status.ACCEPTED and item.inventory_entry == entry
    s.swot_item_update(item=item, by=None, data=s.SwotData(quadrant="opportunity",
                                                            text="Bürgerbus ausbauen"))
    item.refresh_from_db()
    assert item.quadrant == "opportunity" and not item.action_fields.exists()
    s.swot_item_dismiss(item=item, by=None)
    with pytest.raises(s.ProfileError):
        s.swot_item_dismiss(item=item, by=None)
    s.swot_item_accept(item=item, by=None)
    s.swot_item_delete(item=item, by=None)
    assert not SwotItem.objects.exists()


@pytest.mark.parametrize("make, field", [
    (lambda w: dict(quadrant="strength", text=""), "text"),
    (lambda w: dict(quadrant="strength", text="x" * 301), "text"),
    (lambda w: dict(quadrant="glück", text="A"), "quadrant"),
    (lambda w: dict(quadrant="threat", text="A", interview_statement=other_statement(w)),
     "interview_statement"),
    (lambda w: dict(quadrant="threat", text="A", inventory_entry=s.inventory_create(
        commune=w.other_commune, by=None, data=s.InventoryData(title="Fremd"))),
     "inventory_entry"),
    (lambda w: dict(quadrant="threat", text="A",
                    action_fields=fields(w.other_commune, "Bildung")), "action_fields"),
])
def test_swot_bad_input_writes_nothing(world, make, field):
    with pytest.raises(ValidationError) as error:
        s.swot_item_create(commune=world.commune, by=None, data=s.SwotData(**make(world)))
    assert field in error.value.message_dict
    assert not SwotItem.objects.filter(commune=world.commune).exists()


FINDINGS = [
    Finding("altenquotient_hoch", "weakness", "Viele Ältere", ("Gesundheit, Pflege & Leben im Alter",
            "Gibt es nicht"), "altenquotient", (Figure("Altenquotient 2023", 48.0),), "≥ 5"),
    Finding("familienwanderung_positiv", "strength", "Familien ziehen zu",
            ("Kinder, Jugend & Familie",), "familienwanderung", (Figure("Fam.", 6.0),)),
]


def test_refresh_creates_proposals_once_and_keeps_decisions(world, monkeypatch):
    c, by = world.commune, world.user("consultant")
    monkeypatch.setattr(s, "swot_findings", lambda commune: FINDINGS)
    created = s.swot_proposals_refresh(commune=c, by=by)
    assert [i.rule_key for i in created] == ["altenquotient_hoch", "familienwanderung_positiv"]
    old = SwotItem.objects.get(rule_key="altenquotient_hoch")
    assert old.status == SwotItem.Status.PROPOSED and old.figures["rows"][0]["text"] == "48,0"
    assert [f.name for f in old.action_fields.all()] == ["Gesundheit, Pflege & Leben im Alter"]
    s.swot_item_dismiss(item=old, by=by)
    assert s.swot_proposals_refresh(commune=c, by=by) == []
    assert SwotItem.objects.filter(commune=c).count() == 2
    assert SwotItem.objects.get(pk=old.pk).status == SwotItem.Status.DISMISSED
    with pytest.raises(s.ProfileError):
        s.swot_item_delete(item=old, by=by)   # proposals are dismissed, never deleted
    assert events("swot.proposals_refreshed") == 2


def test_refresh_without_data_says_so(world):
    with pytest.raises(s.ProfileError, match="amtliche Daten"):
        s.swot_proposals_refresh(commune=world.commune, by=None)
    assert not SwotItem.objects.exists()


def test_refresh_with_real_synthetic_data_of_the_kreis(world, tmp_path):
    from tests.factories import make_commune
    from zwk.demography.synthetic import write_demo_files
    from zwk.profile.data import data_source_add

    kreis = make_commune(world.programme, name="Hochsauerlandkreis", kind="kreis", ags="05958")
    for path in write_demo_files(tmp_path / "demo"):
        if path.name.startswith(("12411-04-02-4", "12612-93", "12613-93", "12711-01-03-4")):
            data_source_add(commune=kreis, name=path.name, content=path.read_bytes(), by=None)
    created = s.swot_proposals_refresh(commune=kreis, by=None)
    keys = {i.rule_key for i in created}
    assert {"bildungswanderung_verlust", "familienwanderung_positiv",
            "natuerlicher_saldo_negativ"} <= keys
    assert all(i.figures["rows"] for i in created)
    assert s.swot_proposals_refresh(commune=kreis, by=None) == []


# --- texts, comments, approval ----------------------------------------------------------------

def test_texts_update_and_refusals(world):
    c = world.commune
    s.profile_texts_update(commune=c, by=None, outlook="Wohnen zuerst",
                           chapters={"lage": "Im Sauerland", "bildung": "  "})
    profile = Profile.objects.get(commune=c)
    assert profile.chapters == {"lage": "Im Sauerland"} and profile.outlook == "Wohnen zuerst"
    with pytest.raises(s.ProfileError):
        s.profile_texts_update(commune=c, by=None, outlook="", chapters={"geheim": "x"})
    with pytest.raises(ValidationError) as error:
        s.profile_texts_update(commune=c, by=None, outlook="",
                               chapters={"lage": "x" * (s.MAX_CHAPTER_CHARS + 1)})
    assert "lage" in error.value.message_dict
    profile.refresh_from_db()
    assert profile.chapters == {"lage": "Im Sauerland"}
    assert events("profile.texts_updated") == 1


def test_comments(world):
    s.comment_add(commune=world.commune, section="swot", text="Chancen fehlen", by=None)
    with pytest.raises(ValidationError):
        s.comment_add(commune=world.commune, section="nirgends", text="x", by=None)
    with pytest.raises(ValidationError):
        s.comment_add(commune=world.commune, text="  ", by=None)
    assert Comment.objects.count() == 1 and events("profile.commented") == 1


def test_approval_freezes_content_but_not_comments(world):
    c, by = world.commune, world.user("coordinator")
    entry = s.inventory_create(commune=c, by=None, data=s.InventoryData(title="A"))
    interview = s.interview_create(commune=c, by=None, data=s.InterviewData(
        role="Schule", held_on=dt.date(2024, 1, 1)))
    statement = s.statement_add(interview=interview, text="B", by=None)
    item = s.swot_item_create(commune=c, by=None, data=s.SwotData(quadrant="threat", text="C"))
    s.profile_approve(commune=c, by=by)
    writes = [
        lambda: s.inventory_create(commune=c, by=None, data=s.InventoryData(title="Neu")),
        lambda: s.inventory_update(entry=entry, by=None, data=s.InventoryData(title="Neu")),
        lambda: s.inventory_delete(entry=entry, by=None),
        lambda: s.interview_guide_update(commune=c, questions="F", by=None),
        lambda: s.interview_create(commune=c, by=None, data=s.InterviewData(
            role="X", held_on=dt.date(2024, 1, 1))),
        lambda: s.interview_update(interview=interview, by=None, data=s.InterviewData(
            role="X", held_on=dt.date(2024, 1, 1))),
        lambda: s.interview_delete(interview=interview, by=None),
        lambda: s.statement_add(interview=interview, text="X", by=None),
        lambda: s.statement_update(statement=statement, text="X", by=None),
        lambda: s.statement_delete(statement=statement, by=None),
        lambda: s.swot_item_create(commune=c, by=None, data=s.SwotData(quadrant="threat",
                                                                       text="X")),
        lambda: s.swot_item_update(item=item, by=None, data=s.SwotData(quadrant="threat",
                                                                       text="X")),
        lambda: s.swot_item_dismiss(item=item, by=None),
        lambda: s.swot_item_delete(item=item, by=None),
        lambda: s.swot_proposals_refresh(commune=c, by=None),
        lambda: s.profile_texts_update(commune=c, chapters={}, outlook="X", by=None),
    ]
    for write in writes:
        with pytest.raises(s.ProfileError, match="freigegeben"):
            write()
    s.comment_add(commune=c, text="Nach der Freigabe: bitte Kapitel Verkehr ergänzen", by=by)
    s.profile_reopen(commune=c, by=by)
    s.inventory_update(entry=entry, by=None, data=s.InventoryData(title="Neu"))
    assert InventoryEntry.objects.get().title == "Neu"


def test_approval_satisfies_the_step_2_gate_and_reopen_withdraws_it(world):
    c = world.commune
    stage = c.stages.get(key="profile")
    label = "Die Koordination hat das Profil freigegeben"
    assert label in stage_missing_items(stage=stage)
    s.profile_approve(commune=c, by=world.user("coordinator"))
    assert label not in stage_missing_items(stage=stage)
    with pytest.raises(s.ProfileError):
        s.profile_approve(commune=c, by=world.user("coordinator"))
    s.profile_reopen(commune=c, by=world.user("coordinator"))
    assert label in stage_missing_items(stage=stage)
