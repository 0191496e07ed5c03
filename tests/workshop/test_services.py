"""Running a session: creation from the Jungk template, control, moderation, clustering,
hand-over and the history it leaves."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.workshop.conftest import approved_card
from zwk.demography.dataset import Dataset
from zwk.history.models import HistoryEvent
from zwk.process import services as process
from zwk.workshop import selectors, services
from zwk.workshop.models import Candidate, Card, Session


def verbs(session):
    return list(HistoryEvent.objects.filter(commune=session.commune, verb__startswith="workshop.")
                .order_by("id").values_list("verb", flat=True))


def test_session_from_the_jungk_template_linked_to_a_meeting(world):
    stage = world.commune.stages.get(key="workshop")
    meeting = process.meeting_record(stage=stage, by=None, data=process.MeetingData(
        title="Jugendwerkstatt", date=dt.date(2025, 5, 2), participant_groups="Jugendliche"))
    fields = list(world.commune.action_fields.all()[:2])
    session = services.session_create(
        commune=world.commune, by=world.user("coordinator"), meeting=meeting,
        data=services.SessionData(title="Jugendwerkstatt", kind=Session.Kind.YOUTH,
                                  action_field_ids=tuple(f.pk for f in fields)))
    assert [p.title for p in session.phases.all()] == [
        "Kritikphase", "Phantasiephase", "Verwirklichungsphase"]
    assert session.current_phase.kind == "kritik"
    assert len(session.code) == 6 and session.status == "draft"
    assert set(session.action_fields.all()) == set(fields)
    assert session.meeting == meeting
    assert verbs(session) == ["workshop.session_created"]


def test_custom_sequence_and_rules_are_checked(world):
    with pytest.raises(services.WorkshopError, match="Höchstpunktzahl"):
        services.session_create(commune=world.commune, by=None, data=services.SessionData(
            title="X", points_per_person=3, max_per_card=4))
    session = services.session_create(commune=world.commune, by=None, data=services.SessionData(
        title="Planspiel", phases=(services.PhaseData("Runde 1", "Was tun?"),)))
    assert [p.title for p in session.phases.all()] == ["Runde 1"]


def test_meeting_of_another_commune_is_refused(world):
    stage = world.other_commune.stages.get(key="workshop")
    meeting = process.meeting_record(stage=stage, by=None, data=process.MeetingData(
        title="Fremd", date=dt.date(2025, 1, 1)))
    with pytest.raises(services.WorkshopError, match="anderen Kommune"):
        services.session_create(commune=world.commune, by=None, meeting=meeting,
                                data=services.SessionData(title="X"))


def test_control_phases_timer_and_history(ws, world):
    by = world.user("coordinator")
    phases = list(ws.phases.all())
    services.phase_go(session=ws, phase_id=phases[1].pk, by=by)
    services.timer_set(session=ws, minutes=10, by=by)
    ws.refresh_from_db()
    assert ws.current_phase == phases[1] and ws.timer_ends_at is not None
    with pytest.raises(services.WorkshopError, match="1 bis 180"):
        services.timer_set(session=ws, minutes=500, by=by)
    services.session_control(session=ws, action="pause", by=by)
    with pytest.raises(services.WorkshopError, match="Pausiert"):
        services.session_control(session=ws, action="pause", by=by)
    services.session_control(session=ws, action="resume", by=by)
    services.session_control(session=ws, action="close", by=by)
    assert verbs(ws) == ["workshop.session_created", "workshop.session_started",
                         "workshop.phase_changed", "workshop.timer_set",
                         "workshop.session_paused", "workshop.session_resumed",
                         "workshop.session_closed"]
    event = HistoryEvent.objects.get(verb="workshop.session_closed")
    assert event.actor == by and event.data["cards"] == 0


def test_moderation_queue(ws, world):
    by = world.user("team_member")
    me = services.participant_join(session=ws)
    card = services.card_submit(participant=me, text="  Mehr   Bänke  ")
    assert card.text == "Mehr Bänke" and card.status == "pending"
    assert list(selectors.approved_cards(session=ws)) == []
    services.card_moderate(card=card, action="approve", by=by)
    services.card_edit(card=card, text="Mehr Sitzbänke", by=by)
    card.refresh_from_db()
    assert (card.text, card.original_text) == ("Mehr Sitzbänke", "Mehr Bänke")
    services.card_moderate(card=card, action="park", by=by)
    assert list(selectors.approved_cards(session=ws)) == []
    services.card_moderate(card=card, action="restore", by=by)
    services.card_moderate(card=card, action="hide", by=by)
    assert "workshop.card_edited" in verbs(ws)
    with pytest.raises(services.WorkshopError):
        services.card_moderate(card=card, action="delete", by=by)


@pytest.mark.parametrize("text, message", [("   ", "etwas"), ("x" * 281, "280")])
def test_card_text_is_checked(ws, text, message):
    me = services.participant_join(session=ws)
    with pytest.raises(services.WorkshopError, match=message):
        services.card_submit(participant=me, text=text)


def test_clusters_and_action_fields(ws, world):
    field = world.commune.action_fields.first()
    foreign = world.other_commune.action_fields.first()
    card = approved_card(ws)
    cluster = services.cluster_create(session=ws, title="Treffpunkte", action_field_id=None,
                                      by=None)
    services.card_cluster(card=card, cluster_id=cluster.pk, by=None)
    services.cluster_set_field(cluster=cluster, action_field_id=field.pk, by=None)
    with pytest.raises(services.WorkshopError, match="nicht zur Kommune"):
        services.cluster_set_field(cluster=cluster, action_field_id=foreign.pk, by=None)
    [found] = selectors.clusters_with_cards(session=ws)
    assert found.action_field == field and list(found.cards.all()) == [card]
    services.card_cluster(card=card, cluster_id=None, by=None)
    assert Card.objects.get(pk=card.pk).cluster is None


def test_handover_marks_top_clusters_and_cards_with_links(ws, cards, world):
    field = world.commune.action_fields.first()
    cluster = services.cluster_create(session=ws, title="Mobilität", action_field_id=field.pk,
                                      by=None)
    services.card_cluster(card=cards[1], cluster_id=cluster.pk, by=None)
    for points, card in ((1, cards[0]), (3, cards[1])):
        services.vote_set(participant=services.participant_join(session=ws), card_id=card.pk,
                          points=points)
    with pytest.raises(services.WorkshopError):
        services.handover_create(session=services.session_create(
            commune=world.commune, by=None, data=services.SessionData(title="leer")), by=None)
    created = services.handover_create(session=ws, by=world.user("coordinator"), goals=3,
                                       measures=1)
    goal = next(c for c in created if c.kind == Candidate.Kind.GOAL)
    assert (goal.title, goal.points, goal.action_field, goal.card_ids) == (
        "Mobilität", 3, field, [cards[1].pk])
    [measure] = [c for c in created if c.kind == Candidate.Kind.MEASURE]
    assert (measure.card, measure.rank, measure.points) == (cards[1], 1, 3)
    services.handover_create(session=ws, by=None)  # again: replaces, no duplicates
    assert Candidate.objects.filter(session=ws, kind="goal").count() == 1


def test_age_mix_flags_under_represented_bands(ws):
    for band in ["65-74"] * 6 + ["75+"] * 3 + ["45-64"]:
        services.participant_join(session=ws, age_band=band)
    services.participant_join(session=ws)  # no band given
    rows = [(0, 18, 160), (18, 30, 120), (30, 45, 170), (45, 65, 280), (65, 75, 130),
            (75, float("inf"), 140)]
    population = pd.DataFrame([
        {"ags": "05958999", "year": 2023, "sex": "t", "age_from": a, "age_to": b, "count": n,
         "flag": ""} for a, b, n in rows])
    shares, year = selectors.population_shares(Dataset(population=population), "05958999")
    mix = selectors.age_mix(session=ws, population_shares=shares, data_note="", year=year)
    by_band = {r.band: r for r in mix.rows}
    assert (mix.participants, mix.with_band, year) == (11, 10, 2023)
    assert by_band["18-29"].flagged and by_band["u18"].flagged and by_band["30-44"].flagged
    assert not by_band["65-74"].flagged
    assert by_band["45-64"].share == pytest.approx(0.1)
    assert by_band["45-64"].population_share == pytest.approx(0.28)


def test_age_mix_without_data_says_so(ws):
    mix = selectors.age_mix_for(session=ws)
    assert "fehlen Bevölkerungsdaten" in mix.data_note
    assert all(r.population_share is None and not r.flagged for r in mix.rows)


def test_grouped_population_is_split_into_bands_by_years():
    population = pd.DataFrame([
        {"ags": "1", "year": 2020, "sex": s, "age_from": a, "age_to": b, "count": 100,
         "flag": ""} for s in "mf" for a, b in ((0, 25), (25, 50), (50, 75),
                                                (75, float("inf")))])
    shares, _ = selectors.population_shares(Dataset(population=population), "1")
    assert shares["18-29"] == pytest.approx((7 / 25 + 5 / 25) / 4)
    assert sum(shares.values()) == pytest.approx(1)
