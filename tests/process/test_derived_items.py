"""Gate items derived from work done in the later steps (issue 11, item 6): the live workshop's
record documents the Zukunftswerkstatt, its voting result prioritises the Handlungsfelder, and
only an adopted Werkstattplan version (not any decision) makes the plan "beschlossen"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.plan.conftest import goal
from zwk.plan import services as plan
from zwk.process import services as process
from zwk.process.selectors import stage_checklist
from zwk.workshop import services as workshop

pytestmark = pytest.mark.django_db


def done(commune, stage_key: str, item_key: str) -> bool:
    stage = commune.stages.get(key=stage_key)
    return next(row.done for row in stage_checklist(stage=stage) if row.item.key == item_key)


def session_with_card(commune, by, *, title="Werkstatt"):
    session = workshop.session_create(commune=commune, by=by,
                                      data=workshop.SessionData(title=title))
    phase = session.phases.first()
    card = workshop.analogue_card_add(session=session, phase_id=phase.pk, text="Mehr Busse", by=by)
    return session, card


def test_closed_workshop_with_cards_documents_the_workshop(world):
    by = world.user("coordinator")
    assert not done(world.commune, "workshop", "workshop_held")
    session, _card = session_with_card(world.commune, by)
    assert not done(world.commune, "workshop", "workshop_held")  # still in preparation
    workshop.session_control(session=session, action="close", by=by)
    assert done(world.commune, "workshop", "workshop_held")
    assert not done(world.other_commune, "workshop", "workshop_held")


def test_closed_workshop_without_cards_documents_nothing(world):
    by = world.user("coordinator")
    session = workshop.session_create(commune=world.commune, by=by,
                                      data=workshop.SessionData(title="Leer"))
    workshop.session_control(session=session, action="close", by=by)
    assert not done(world.commune, "workshop", "workshop_held")


def test_meeting_with_minutes_still_documents_the_workshop(world):
    stage = world.commune.stages.get(key="workshop")
    process.meeting_record(stage=stage, by=None, data=process.MeetingData(
        title="Werkstatt", date=dt.date(2025, 3, 1), minutes="Protokoll"))
    assert done(world.commune, "workshop", "workshop_held")


def test_voting_result_prioritises_the_fields_once_the_round_is_over(world):
    by = world.user("coordinator")
    session, card = session_with_card(world.commune, by)
    assert not done(world.commune, "workshop", "fields_prioritised")
    workshop.session_control(session=session, action="start", by=by)
    workshop.voting_set(session=session, open=True, by=by)
    workshop.analogue_votes_set(card=card, points=7, by=by)
    assert not done(world.commune, "workshop", "fields_prioritised")  # voting still open
    workshop.voting_set(session=session, open=False, by=by)
    assert done(world.commune, "workshop", "fields_prioritised")
    assert not done(world.other_commune, "workshop", "fields_prioritised")


def test_a_closed_workshop_without_points_prioritises_nothing(world):
    by = world.user("coordinator")
    session, _card = session_with_card(world.commune, by)
    workshop.session_control(session=session, action="close", by=by)
    assert not done(world.commune, "workshop", "fields_prioritised")


def test_derived_workshop_items_cannot_be_ticked(world):
    stage = world.commune.stages.get(key="workshop")
    for key in ("workshop_held", "fields_prioritised"):
        with pytest.raises(process.ProcessError):
            process.checklist_tick(stage=stage, item_key=key, done=True, by=None)
    assert not done(world.commune, "workshop", "fields_prioritised")


def test_only_an_adopted_plan_version_makes_the_plan_adopted(world):
    stage = world.commune.stages.get(key="plan")
    process.decision_record(stage=stage, by=None, data=process.DecisionData(
        decided_on=dt.date(2025, 3, 1), title="Haushalt beschlossen", body="Rat"))
    assert not done(world.commune, "plan", "plan_adopted")
    goal(world.commune, "Leitziel")
    plan.plan_adopt(commune=world.commune, label="Werkstattplan", adopted_on=dt.date(2025, 4, 1),
                    by=world.user("consultant"))
    assert done(world.commune, "plan", "plan_adopted")
    assert not done(world.other_commune, "plan", "plan_adopted")


@pytest.mark.parametrize("role, sees_link", [
    ("coordinator", True), ("consultant", True), ("programme_office", True),
    ("team_member", False)])
def test_stage_page_offers_fassung_beschliessen_to_who_may_adopt(world, login, role, sees_link):
    client = login(world, role)
    versions = reverse("plan_versions", args=[world.commune.pk])
    page = client.get(reverse("stage_detail", kwargs={"pk": world.commune.pk, "key": "plan"}))
    assert page.status_code == 200
    text = page.content.decode()
    assert (f'href="{versions}"' in text and "Fassung beschließen" in text) is sees_link
    form = client.get(versions).content.decode()
    assert ('<button type="submit" class="button primary">Fassung beschließen' in form) \
        is sees_link


def test_consultant_adopts_through_the_same_form_and_the_gate_item_follows(world, login):
    goal(world.commune, "Leitziel")
    client = login(world, "consultant")
    response = client.post(reverse("plan_versions", args=[world.commune.pk]), {
        "label": "Werkstattplan", "adopted_on": "2025-03-01", "resolution": "7/25"})
    assert response.status_code == 302
    assert done(world.commune, "plan", "plan_adopted")
    page = client.get(reverse("stage_detail", kwargs={"pk": world.commune.pk, "key": "plan"}))
    assert "Der Plan ist beschlossen" in page.content.decode()
