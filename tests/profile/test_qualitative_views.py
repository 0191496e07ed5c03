"""Views of the qualitative profile: the permission matrix per role, isolation between
communes, bad input at the field, escaping, the approved state, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.access import Case, assert_case, request_case
from tests.conftest import ROLES
from zwk.profile import services as s
from zwk.profile.models import (
    Comment,
    Interview,
    InterviewGuide,
    InterviewStatement,
    InventoryEntry,
    Profile,
    SwotItem,
)

PDF = b"%PDF-1.4\n%%EOF\n"
EVERYONE_IN_COMMUNE = {"team_member", "coordinator", "consultant", "programme_office", "superuser"}
COORDINATION = {"coordinator", "programme_office", "superuser"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path}}}


def add_entry(w, commune=None, **extra):
    w.entry = s.inventory_create(commune=commune or w.commune, by=None,
                                 data=s.InventoryData(title="Bürgerbus", **extra),
                                 attachment=SimpleUploadedFile("plan.pdf", PDF))
    return w.entry


def add_interview(w, commune=None):
    w.interview = s.interview_create(commune=commune or w.commune, by=None, data=s.InterviewData(
        role="Leitung Kita", held_on=dt.date(2024, 5, 2)))
    w.statement = s.statement_add(interview=w.interview, text="Zu wenige Plätze", by=None)
    return w.interview


def add_item(w, commune=None, **extra):
    w.item = s.swot_item_create(commune=commune or w.commune, by=None, data=s.SwotData(
        quadrant="strength", text="Starke Vereine"))
    if extra:
        SwotItem.objects.filter(pk=w.item.pk).update(**extra)
    return w.item


def add_proposal(w):
    return add_item(w, status=SwotItem.Status.PROPOSED, rule_key="altenquotient_hoch")


def approve(w):
    s.profile_approve(commune=w.commune, by=None)


def url(name, *attrs):
    return lambda w: reverse(name, args=[w.commune.pk, *[getattr(w, a).pk for a in attrs]])




def bildung(w):
    return w.commune.action_fields.get(name="Bildung").pk


CASES = [
    Case("view inventory", EVERYONE_IN_COMMUNE, "get", url("profile_inventory")),
    Case("open inventory form", EVERYONE_IN_COMMUNE, "get", url("profile_inventory_create")),
    Case("add inventory entry", EVERYONE_IN_COMMUNE, "post", url("profile_inventory_create"),
         lambda w: {"title": "Dorfladen", "kind": "project", "status": "running",
                    "action_fields": [bildung(w)],
                    "attachment": SimpleUploadedFile("k.pdf", PDF)},
         effect=lambda w: InventoryEntry.objects.filter(title="Dorfladen").exists()),
    Case("edit inventory entry", EVERYONE_IN_COMMUNE, "post", url("profile_inventory_edit", "entry"),
         lambda w: {"title": "Bürgerbus Plus", "kind": "project", "status": "running",
                    "version": 1},
         prepare=add_entry,
         effect=lambda w: InventoryEntry.objects.get(pk=w.entry.pk).title == "Bürgerbus Plus"),
    Case("delete inventory entry", EVERYONE_IN_COMMUNE, "post",
         url("profile_inventory_delete", "entry"), prepare=add_entry,
         effect=lambda w: not InventoryEntry.objects.filter(pk=w.entry.pk).exists()),
    Case("download attachment", EVERYONE_IN_COMMUNE, "get",
         url("profile_inventory_attachment", "entry"), prepare=add_entry),
    Case("view interviews", EVERYONE_IN_COMMUNE, "get", url("profile_interviews")),
    Case("edit guide", EVERYONE_IN_COMMUNE, "post", url("profile_guide_edit"),
         lambda w: {"questions": "Was hält Sie hier?", "version": 1},
         effect=lambda w: InterviewGuide.objects.filter(questions="Was hält Sie hier?").exists()),
    Case("record interview", EVERYONE_IN_COMMUNE, "post", url("profile_interview_create"),
         lambda w: {"role": "Vorstand Sportverein", "held_on": "2024-04-01"},
         effect=lambda w: Interview.objects.filter(role="Vorstand Sportverein").exists()),
    Case("edit interview", EVERYONE_IN_COMMUNE, "post", url("profile_interview_edit", "interview"),
         lambda w: {"role": "Kita-Leitung", "held_on": "2024-05-02", "version": 1},
         prepare=add_interview,
         effect=lambda w: Interview.objects.get(pk=w.interview.pk).role == "Kita-Leitung"),
    Case("delete interview", EVERYONE_IN_COMMUNE, "post",
         url("profile_interview_delete", "interview"), prepare=add_interview,
         effect=lambda w: not Interview.objects.exists()),
    Case("add statement", EVERYONE_IN_COMMUNE, "post", url("profile_statement_add", "interview"),
         lambda w: {"text": "Bus fährt zu selten", "action_field": ""}, prepare=add_interview,
         effect=lambda w: InterviewStatement.objects.filter(text="Bus fährt zu selten").exists()),
    Case("edit statement", EVERYONE_IN_COMMUNE, "post",
         url("profile_statement_edit", "interview", "statement"),
         lambda w: {"text": "Kaum Plätze", "action_field": bildung(w)}, prepare=add_interview,
         effect=lambda w: InterviewStatement.objects.get(pk=w.statement.pk).text == "Kaum Plätze"),
    Case("delete statement", EVERYONE_IN_COMMUNE, "post",
         url("profile_statement_delete", "interview", "statement"), prepare=add_interview,
         effect=lambda w: not InterviewStatement.objects.exists()),
    Case("view swot", EVERYONE_IN_COMMUNE, "get", url("profile_swot")),
    Case("add swot item", EVERYONE_IN_COMMUNE, "post", url("profile_swot_create"),
         lambda w: {"quadrant": "threat", "text": "Ärztemangel", "action_fields": [bildung(w)]},
         effect=lambda w: SwotItem.objects.filter(text="Ärztemangel").exists()),
    Case("edit swot item", EVERYONE_IN_COMMUNE, "post", url("profile_swot_edit", "item"),
         lambda w: {"quadrant": "strength", "text": "Sehr starke Vereine", "version": 1},
         prepare=add_item,
         effect=lambda w: SwotItem.objects.get(pk=w.item.pk).text == "Sehr starke Vereine"),
    Case("accept proposal", EVERYONE_IN_COMMUNE, "post", url("profile_swot_status", "item"),
         lambda w: {"decision": "accept"}, prepare=add_proposal,
         effect=lambda w: SwotItem.objects.get(pk=w.item.pk).status == "accepted"),
    Case("dismiss proposal", EVERYONE_IN_COMMUNE, "post", url("profile_swot_status", "item"),
         lambda w: {"decision": "dismiss"}, prepare=add_proposal,
         effect=lambda w: SwotItem.objects.get(pk=w.item.pk).status == "dismissed"),
    Case("delete swot item", EVERYONE_IN_COMMUNE, "post", url("profile_swot_delete", "item"),
         prepare=add_item, effect=lambda w: not SwotItem.objects.exists()),
    Case("refresh proposals", EVERYONE_IN_COMMUNE, "post", url("profile_swot_refresh"),
         effect=lambda w: w.commune.history_events.filter(
             verb="swot.proposals_refreshed").exists()),
    Case("view document tab", EVERYONE_IN_COMMUNE, "get", url("profile_document")),
    Case("save texts", EVERYONE_IN_COMMUNE, "post", url("profile_texts_save"),
         lambda w: {"lage": "Im Sauerland", "outlook": "Wohnen zuerst", "version": 1},
         effect=lambda w: Profile.objects.filter(outlook="Wohnen zuerst").exists()),
    Case("comment", EVERYONE_IN_COMMUNE, "post", url("profile_comment_add"),
         lambda w: {"section": "swot", "text": "Bitte Chancen ergänzen"},
         effect=lambda w: Comment.objects.exists()),
    Case("approve", COORDINATION, "post", url("profile_approve"),
         effect=lambda w: Profile.objects.filter(status="approved").exists()),
    Case("reopen", COORDINATION, "post", url("profile_reopen"), prepare=approve,
         effect=lambda w: Profile.objects.filter(status="draft").exists()),
]


@pytest.fixture
def with_findings(monkeypatch):
    from zwk.profile.swot_rules import Figure, Finding

    monkeypatch.setattr(s, "swot_findings", lambda commune: [Finding(
        "natuerlicher_saldo_negativ", "threat", "Mehr Sterbefälle als Geburten", (), "x",
        (Figure("Saldo", -5.0),))])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_permission_matrix(case, role, world, login, with_findings):
    response = request_case(case, role, world, login)
    assert_case(case, role, world, response)

def test_every_case_names_real_roles():
    for case in CASES:
        assert case.allowed <= set(ROLES), case.name


# --- isolation: objects of another commune through this commune's URL -> 404 ---------------

def foreign(w):
    add_entry(w, commune=w.other_commune)
    add_interview(w, commune=w.other_commune)
    add_item(w, commune=w.other_commune)


@pytest.mark.parametrize("method, name, attrs", [
    ("get", "profile_inventory_edit", ("entry",)),
    ("post", "profile_inventory_delete", ("entry",)),
    ("get", "profile_inventory_attachment", ("entry",)),
    ("get", "profile_interview_edit", ("interview",)),
    ("post", "profile_interview_delete", ("interview",)),
    ("post", "profile_statement_add", ("interview",)),
    ("post", "profile_statement_edit", ("interview", "statement")),
    ("post", "profile_statement_delete", ("interview", "statement")),
    ("post", "profile_swot_edit", ("item",)),
    ("post", "profile_swot_status", ("item",)),
    ("post", "profile_swot_delete", ("item",)),
])
def test_objects_of_another_commune_are_not_found(world, login, method, name, attrs):
    foreign(world)
    client = login(world, "superuser")
    response = getattr(client, method)(url(name, *attrs)(world), {"decision": "dismiss",
                                                                  "text": "x", "role": "x"})
    assert response.status_code == 404
    assert InventoryEntry.objects.get().title == "Bürgerbus"
    assert InterviewStatement.objects.get().text == "Zu wenige Plätze"
    assert SwotItem.objects.get().status == "accepted" and Interview.objects.count() == 1


def test_statement_of_another_interview_of_the_same_commune_is_not_found(world, login):
    add_interview(world)
    first = world.interview
    add_interview(world)
    client = login(world, "coordinator")
    response = client.post(reverse("profile_statement_delete",
                                   args=[world.commune.pk, first.pk, world.statement.pk]))
    assert response.status_code == 404 and InterviewStatement.objects.count() == 2


def test_tampered_ids_in_form_fields_are_field_errors(world, login):
    foreign(world)
    client = login(world, "coordinator")
    other_field = world.other_commune.action_fields.get(name="Bildung").pk
    response = client.post(reverse("profile_swot_create", args=[world.commune.pk]), {
        "quadrant": "threat", "text": "x", "action_fields": [other_field],
        "interview_statement": world.statement.pk, "inventory_entry": world.entry.pk})
    assert response.status_code == 400
    assert SwotItem.objects.filter(commune=world.commune).count() == 0
    errors = response.context["form"].errors
    assert {"action_fields", "interview_statement", "inventory_entry"} <= set(errors)


# --- behaviour through the views ------------------------------------------------------------

def test_bad_input_shows_a_german_message_at_the_field(world, login):
    client = login(world, "team_member")
    response = client.post(reverse("profile_inventory_create", args=[world.commune.pk]), {
        "title": "Dorfladen", "kind": "project", "status": "running",
        "attachment": SimpleUploadedFile("tool.exe", b"MZ")})
    assert response.status_code == 400
    assert "können nicht hochgeladen werden" in response.content.decode()
    assert 'id="id_attachment_error' in response.content.decode()
    assert not InventoryEntry.objects.exists()
    response = client.post(reverse("profile_interview_create", args=[world.commune.pk]), {
        "role": "Schule", "held_on": (dt.date.today() + dt.timedelta(days=3)).isoformat()})
    assert response.status_code == 400 and "in der Zukunft" in response.content.decode()


def test_user_text_is_escaped(world, login):
    evil = '<script>alert("x")</script>'
    add_interview(world)
    s.statement_add(interview=world.interview, text=evil, by=None)
    s.swot_item_create(commune=world.commune, by=None, data=s.SwotData(quadrant="threat",
                                                                       text=evil))
    s.inventory_create(commune=world.commune, by=None, data=s.InventoryData(
        title=evil, description=evil, responsible=evil))
    s.comment_add(commune=world.commune, text=evil, by=None)
    client = login(world, "team_member")
    for name in ("profile_inventory", "profile_interviews", "profile_swot", "profile_document"):
        body = client.get(reverse(name, args=[world.commune.pk])).content.decode()
        assert evil not in body and "&lt;script&gt;" in body, name


def test_inventory_filter_by_action_field_and_kind(world, login):
    c = world.commune
    bildung_field = c.action_fields.get(name="Bildung")
    s.inventory_create(commune=c, by=None, data=s.InventoryData(
        title="Schulsozialarbeit", kind="project", action_fields=[bildung_field]))
    s.inventory_create(commune=c, by=None, data=s.InventoryData(title="Seniorenbeirat",
                                                                kind="actor"))
    client = login(world, "team_member")
    base = reverse("profile_inventory", args=[c.pk])
    titles = lambda r: [e.title for e in r.context["entries"]]  # noqa: E731
    assert titles(client.get(base)) == ["Schulsozialarbeit", "Seniorenbeirat"]
    assert titles(client.get(base, {"action_field": bildung_field.pk})) == ["Schulsozialarbeit"]
    assert titles(client.get(base, {"kind": "actor"})) == ["Seniorenbeirat"]


def test_attachment_is_served_as_download(world, login):
    add_entry(world)
    response = login(world, "consultant").get(
        reverse("profile_inventory_attachment", args=[world.commune.pk, world.entry.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]


def test_approved_profile_sends_editors_back_and_says_why(world, login):
    add_entry(world)
    approve(world)
    client = login(world, "team_member")
    response = client.post(reverse("profile_inventory_edit", args=[world.commune.pk,
                                                                   world.entry.pk]),
                           {"title": "Neu", "kind": "project", "status": "running"})
    assert response.status_code == 302
    assert InventoryEntry.objects.get().title == "Bürgerbus"
    page = client.get(response["Location"]).content.decode()
    assert "freigegeben" in page and "Eintrag hinzufügen" not in page
    response = client.post(reverse("profile_comment_add", args=[world.commune.pk]),
                           {"text": "Trotzdem ein Hinweis"})
    assert response.status_code == 302 and Comment.objects.exists()


def test_privacy_note_on_interview_pages(world, login):
    client = login(world, "team_member")
    for name in ("profile_interviews", "profile_interview_create"):
        body = client.get(reverse(name, args=[world.commune.pk])).content.decode()
        assert "Erfassen Sie keine Namen" in body


def test_document_tab_suggests_action_fields_of_accepted_items(world, login):
    c = world.commune
    wohnen = c.action_fields.get(name="Wohnen & Orts-/Stadtentwicklung")
    s.swot_item_create(commune=c, by=None, data=s.SwotData(quadrant="weakness", text="Leerstand",
                                                           action_fields=[wohnen]))
    proposal = s.swot_item_create(commune=c, by=None, data=s.SwotData(
        quadrant="threat", text="Nur vorgeschlagen",
        action_fields=[c.action_fields.get(name="Digitalisierung")]))
    SwotItem.objects.filter(pk=proposal.pk).update(status="proposed")
    response = login(world, "team_member").get(reverse("profile_document", args=[c.pk]))
    assert [f.name for f, _n in response.context["candidates"]] == [wohnen.name]


def test_pages_do_not_grow_queries_with_entries(world, login):
    client = login(world, "team_member")

    def counts():
        result = {}
        for name in ("profile_inventory", "profile_interviews", "profile_swot",
                     "profile_document"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse(name, args=[world.commune.pk])).status_code == 200
            result[name] = len(ctx)
        return result

    def fill(n):
        for i in range(n):
            entry = add_entry(world, action_fields=[world.commune.action_fields.first()])
            add_interview(world)
            s.swot_item_create(commune=world.commune, by=None, data=s.SwotData(
                quadrant="weakness", text=f"Punkt {i}", inventory_entry=entry,
                interview_statement=world.statement,
                action_fields=list(world.commune.action_fields.all()[:2])))
            s.comment_add(commune=world.commune, text=f"K {i}", by=world.user("consultant"))

    counts()  # the first visit creates the interview guide
    fill(1)
    few = counts()
    fill(4)
    assert counts() == few
