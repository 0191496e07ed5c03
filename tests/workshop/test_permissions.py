"""Permission matrix of the moderator side: every role × every action, through the views.

Allowed roles get a success response and the effect; everyone else gets 403/404 (anonymous:
the login page) and the database stays as it was. Participants have no role: their views are
tested in test_participant_views.py.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.access import Case, assert_case, request_case
from tests.conftest import ROLES
from zwk.workshop import services
from zwk.workshop.models import Candidate, Card, Cluster, Session

EVERYONE_IN_COMMUNE = {"team_member", "coordinator", "consultant", "programme_office", "superuser"}
LEADS = {"coordinator", "consultant", "programme_office", "superuser"}




def one(name, **extra):
    return lambda w: reverse(name, kwargs={"pk": w.commune.pk, "sid": w.session.pk, **extra})


def prepare(w):
    w.session = services.session_create(commune=w.commune, by=None,
                                        data=services.SessionData(title="Werkstatt"))
    services.session_control(session=w.session, action="start", by=None)
    person = services.participant_join(session=w.session)
    w.card = services.card_submit(participant=person, text="Karte")
    w.approved = services.card_moderate(
        card=services.card_submit(participant=person, text="Freigegeben"), action="approve",
        by=None)
    services.voting_set(session=w.session, open=True, by=None)
    services.vote_set(participant=person, card_id=w.approved.pk, points=2)


CASES = [
    Case("list", EVERYONE_IN_COMMUNE, "get",
         lambda w: reverse("workshop_sessions", kwargs={"pk": w.commune.pk})),
    Case("create", EVERYONE_IN_COMMUNE, "post",
         lambda w: reverse("workshop_create", kwargs={"pk": w.commune.pk}),
         data=lambda w: {"title": "Neue Werkstatt", "kind": "zukunftswerkstatt",
                         "date": "2025-06-01", "format": "onsite",
                         "phase_1_title": "Kritik", "phase_1_prompt": "Was stört?",
                         "points_per_person": 5,
                         "max_per_card": 3, "rounds_planned": 1},
         effect=lambda w: Session.objects.filter(title="Neue Werkstatt",
                                                 meeting__isnull=False).exists()),
    Case("console", EVERYONE_IN_COMMUNE, "get", one("workshop_console")),
    Case("console_poll", EVERYONE_IN_COMMUNE, "get", one("workshop_console_stand")),
    Case("settings", EVERYONE_IN_COMMUNE, "post", one("workshop_settings"),
         data=lambda w: {"title": "Umbenannt", "kind": "online", "phase_1_title": "A", "phase_2_title": "B",
                         "phase_3_title": "C",
                         "points_per_person": 6, "max_per_card": 2, "rounds_planned": 2},
         effect=lambda w: Session.objects.get(pk=w.session.pk).title == "Umbenannt"),
    Case("control", EVERYONE_IN_COMMUNE, "post", one("workshop_control"),
         data=lambda w: {"action": "pause"},
         effect=lambda w: Session.objects.get(pk=w.session.pk).status == "paused"),
    Case("approve", EVERYONE_IN_COMMUNE, "post", lambda w: one("workshop_card",
                                                               card_pk=w.card.pk)(w),
         data=lambda w: {"action": "approve"},
         effect=lambda w: Card.objects.get(pk=w.card.pk).status == "approved"),
    Case("cluster", EVERYONE_IN_COMMUNE, "post", one("workshop_cluster_create"),
         data=lambda w: {"title": "Mobilität"},
         effect=lambda w: Cluster.objects.filter(title="Mobilität").exists()),
    Case("analogue", EVERYONE_IN_COMMUNE, "post", one("workshop_analogue_card"),
         data=lambda w: {"phase": w.session.current_phase_id, "text": "Vom Flipchart"},
         effect=lambda w: Card.objects.filter(source="analogue").exists()),
    Case("handover", LEADS, "post", one("workshop_handover"),
         effect=lambda w: Candidate.objects.filter(session=w.session).exists()),
    Case("projector", EVERYONE_IN_COMMUNE, "get", one("workshop_projector")),
    Case("projector_poll", EVERYONE_IN_COMMUNE, "get", one("workshop_projector_stand")),
    Case("qr", EVERYONE_IN_COMMUNE, "get", one("workshop_qr")),
    Case("record_xlsx", EVERYONE_IN_COMMUNE, "get", one("workshop_record_xlsx")),
    Case("record_pdf", EVERYONE_IN_COMMUNE, "get", one("workshop_record_pdf")),
    Case("cluster_field", EVERYONE_IN_COMMUNE, "post",
         lambda w: one("workshop_cluster", cluster_pk=w.cluster.pk)(w),
         data=lambda w: {"action_field": w.commune.action_fields.first().pk},
         effect=lambda w: Cluster.objects.get(pk=w.cluster.pk).action_field_id is not None,
         prepare=lambda w: setattr(w, "cluster", services.cluster_create(
             session=w.session, title="Wohnen", action_field_id=None, by=None))),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_permission_matrix(case, role, world, login):
    prepare(world)
    assert_case(case, role, world, request_case(case, role, world, login))


def test_session_of_another_commune_is_not_found(world, login):
    prepare(world)
    client = login(world, "consultant_other_commune")
    url = reverse("workshop_console", kwargs={"pk": world.other_commune.pk,
                                              "sid": world.session.pk})
    assert client.get(url).status_code == 404


def test_commune_and_workshop_stage_link_to_the_live_workshops(world, login):
    client = login(world, "team_member")
    target = reverse("workshop_sessions", kwargs={"pk": world.commune.pk})
    for url in (reverse("commune_detail", args=[world.commune.pk]),
                reverse("stage_detail", args=[world.commune.pk, "workshop"])):
        assert f'href="{target}"' in client.get(url).content.decode()
    kickoff = client.get(reverse("stage_detail", args=[world.commune.pk, "kickoff"]))
    assert f'href="{target}"' not in kickoff.content.decode()
