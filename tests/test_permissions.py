"""The permission matrix: every role × every action of the foundation, through the views.

Each case states which roles may act. Allowed roles must get a success response AND the effect
(a row written, a status changed); everyone else must get 403/404 (anonymous: the login page)
and leave the database as it was.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.access import Case, assert_case, request_case
from tests.conftest import ROLES
from tests.factories import UserFactory
from zwk.communes.models import Commune, Membership
from zwk.process import services
from zwk.process.models import Decision, Document, Meeting, Stage
from zwk.process.stages import STAGE_TYPES

PDF = b"%PDF-1.4\n%%EOF\n"

EVERYONE_IN_COMMUNE = {"team_member", "coordinator", "consultant", "programme_office", "superuser"}
LEADS = {"coordinator", "consultant", "programme_office", "superuser"}
OFFICE = {"programme_office", "superuser"}
COORDINATION = {"coordinator", "programme_office", "superuser"}




def kickoff(w):
    return w.commune.stages.get(key="kickoff")


def stage_url(name, key="kickoff", **extra):
    return lambda w: reverse(name, kwargs={"pk": w.commune.pk, "key": key, **extra})


def fulfil_kickoff(w):
    stage = kickoff(w)
    services.meeting_record(stage=stage, by=None, data=services.MeetingData(
        title="Auftakt", date=dt.date(2024, 3, 1), minutes="Protokoll"))
    for item in STAGE_TYPES["kickoff"].checklist:
        if item.required and item.derived is None:
            services.checklist_tick(stage=stage, item_key=item.key, done=True, by=None)


def complete_kickoff(w):
    fulfil_kickoff(w)
    services.stage_complete(stage=kickoff(w), by=w.user("superuser"))


def add_meeting(w):
    w.meeting = services.meeting_record(stage=kickoff(w), by=None, data=services.MeetingData(
        title="Auftakt", date=dt.date(2024, 3, 1)))


def add_document(w):
    w.document = services.document_upload(stage=kickoff(w), upload=SimpleUploadedFile(
        "p.pdf", PDF), title="Protokoll", kind="minutes", by=None)


def add_colleague(w):
    w.colleague = Membership.objects.create(commune=w.commune, user=UserFactory(),
                                            role=Membership.Role.TEAM_MEMBER)


def commune_form(**overrides):
    data = {"name": "Neue Gemeinde", "kind": "gemeinde", "land": "05", "ags": "05958997",
            "ars": "", "parent": "", "cluster": "west", "population": "1200"}
    return {**data, **overrides}


CASES = [
    Case("view portfolio", OFFICE, "get", lambda w: reverse("portfolio", args=[w.programme.slug])),
    Case("open commune form", OFFICE, "get",
         lambda w: reverse("commune_create", args=[w.programme.slug])),
    Case("create commune", OFFICE, "post",
         lambda w: reverse("commune_create", args=[w.programme.slug]), lambda w: commune_form(),
         effect=lambda w: Commune.objects.filter(name="Neue Gemeinde").exists()),
    Case("view commune", EVERYONE_IN_COMMUNE, "get",
         lambda w: reverse("commune_detail", args=[w.commune.pk])),
    Case("edit commune", OFFICE, "post", lambda w: reverse("commune_edit", args=[w.commune.pk]),
         lambda w: commune_form(name="Bergstadt", kind="stadt", ags="05958999",
                                population="4242"),
         effect=lambda w: Commune.objects.get(pk=w.commune.pk).population == 4242),
    Case("view people", EVERYONE_IN_COMMUNE, "get",
         lambda w: reverse("commune_members", args=[w.commune.pk])),
    Case("invite team member", COORDINATION, "post",
         lambda w: reverse("commune_members", args=[w.commune.pk]),
         lambda w: {"invite-email": "neu@example.org", "invite-role": "team_member"},
         effect=lambda w: Membership.objects.filter(user__email="neu@example.org").exists()),
    Case("assign consultant", OFFICE, "post",
         lambda w: reverse("commune_members", args=[w.commune.pk]),
         lambda w: {"assign-user": w.user("consultant_other_commune").pk},
         effect=lambda w: Membership.objects.filter(
             commune=w.commune, user=w.user("consultant_other_commune")).exists()),
    Case("remove team member", COORDINATION, "post",
         lambda w: reverse("membership_remove", args=[w.commune.pk, w.colleague.pk]),
         prepare=add_colleague,
         effect=lambda w: not Membership.objects.filter(pk=w.colleague.pk).exists()),
    Case("view history", EVERYONE_IN_COMMUNE, "get",
         lambda w: reverse("commune_timeline", args=[w.commune.pk])),
    Case("view stage", EVERYONE_IN_COMMUNE, "get", stage_url("stage_detail")),
    Case("tick checklist", EVERYONE_IN_COMMUNE, "post",
         stage_url("checklist_toggle", item="steering_group_named"), lambda w: {"done": "1"},
         effect=lambda w: kickoff(w).ticks.filter(item_key="steering_group_named").exists()),
    Case("set dates", EVERYONE_IN_COMMUNE, "post", stage_url("stage_dates"),
         lambda w: {"planned_start": "2024-01-01", "planned_end": "2024-03-31"},
         effect=lambda w: kickoff(w).planned_end == dt.date(2024, 3, 31)),
    Case("block stage", EVERYONE_IN_COMMUNE, "post", stage_url("stage_block"),
         lambda w: {"reason": "Stelle unbesetzt"},
         effect=lambda w: kickoff(w).status == Stage.Status.BLOCKED),
    Case("complete stage", LEADS, "post", stage_url("stage_complete"), prepare=fulfil_kickoff,
         effect=lambda w: kickoff(w).status == Stage.Status.DONE),
    Case("override gate", OFFICE, "post", stage_url("stage_complete"),
         lambda w: {"override_reason": "Auftakt war eine Ratssitzung"},
         effect=lambda w: kickoff(w).status == Stage.Status.DONE),
    Case("reopen stage", LEADS, "post", stage_url("stage_reopen"), prepare=complete_kickoff,
         effect=lambda w: kickoff(w).status == Stage.Status.ACTIVE),
    Case("open event form", EVERYONE_IN_COMMUNE, "get", stage_url("meeting_create")),
    Case("record event", EVERYONE_IN_COMMUNE, "post", stage_url("meeting_create"),
         lambda w: {"title": "Auftakt", "date": "2024-03-01", "format": "onsite",
                    "minutes": "Protokoll"},
         effect=lambda w: Meeting.objects.filter(title="Auftakt").exists()),
    Case("view event", EVERYONE_IN_COMMUNE, "get",
         lambda w: reverse("meeting_detail", args=[w.commune.pk, w.meeting.pk]),
         prepare=add_meeting),
    Case("edit event", EVERYONE_IN_COMMUNE, "post",
         lambda w: reverse("meeting_edit", args=[w.commune.pk, w.meeting.pk]),
         lambda w: {"title": "Auftakt (korrigiert)", "date": "2024-03-01", "format": "hybrid",
                   "version": 1},
         prepare=add_meeting,
         effect=lambda w: Meeting.objects.get(pk=w.meeting.pk).format == "hybrid"),
    Case("upload document", EVERYONE_IN_COMMUNE, "post", stage_url("document_upload"),
         lambda w: {"title": "Protokoll", "kind": "minutes",
                    "file": SimpleUploadedFile("p.pdf", PDF)},
         effect=lambda w: Document.objects.exists()),
    Case("download document", EVERYONE_IN_COMMUNE, "get",
         lambda w: reverse("document_download", args=[w.commune.pk, w.document.pk]),
         prepare=add_document),
    Case("record decision", EVERYONE_IN_COMMUNE, "post", stage_url("decision_create"),
         lambda w: {"decided_on": "2024-05-01", "title": "Steuerungsgruppe eingesetzt"},
         effect=lambda w: Decision.objects.exists()),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_permission_matrix(case, role, world, login, media):
    response = request_case(case, role, world, login)
    assert_case(case, role, world, response)

def test_every_case_names_real_roles():
    for case in CASES:
        assert case.allowed <= set(ROLES), case.name
