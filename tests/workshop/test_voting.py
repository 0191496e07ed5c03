"""Dot-voting rules: budget, per-card maximum, idempotent replays, rounds, closed sessions.

The rules hold in the database (CHECK constraints, row lock on the ballot); the parallel
version of these tests is in test_concurrency.py.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from tests.workshop.conftest import approved_card, open_voting
from zwk.workshop import selectors, services
from zwk.workshop.models import Ballot, Vote


def test_points_within_budget_and_card_maximum(ws, cards):
    me = services.participant_join(session=ws)
    services.vote_set(participant=me, card_id=cards[0].pk, points=3)
    services.vote_set(participant=me, card_id=cards[1].pk, points=2)
    state = selectors.participant_state(participant=me, session=ws)
    assert state.spent == 5 and state.left == 0
    with pytest.raises(services.WorkshopError, match="Ihnen bleiben 0"):
        services.vote_set(participant=me, card_id=cards[2].pk, points=1)
    with pytest.raises(services.WorkshopError, match="höchstens 3"):
        services.vote_set(participant=me, card_id=cards[1].pk, points=4)
    assert Ballot.objects.get(participant=me).spent == 5


def test_setting_points_is_idempotent_and_changeable(ws, cards):
    me = services.participant_join(session=ws)
    for _ in range(3):  # a replayed request changes nothing
        services.vote_set(participant=me, card_id=cards[0].pk, points=2)
    assert Vote.objects.get(participant=me).points == 2
    services.vote_set(participant=me, card_id=cards[0].pk, points=1)
    services.vote_set(participant=me, card_id=cards[1].pk, points=3)
    services.vote_set(participant=me, card_id=cards[0].pk, points=0)
    assert dict(Vote.objects.filter(participant=me).values_list("card_id", "points")) == {
        cards[1].pk: 3}
    assert Ballot.objects.get(participant=me).spent == 3


@pytest.mark.parametrize("points", [-1, 4, 100])
def test_points_out_of_range_are_refused(ws, cards, points):
    me = services.participant_join(session=ws)
    with pytest.raises(services.WorkshopError):
        services.vote_set(participant=me, card_id=cards[0].pk, points=points)
    assert not Vote.objects.exists()


def test_database_refuses_votes_beyond_the_rules(ws, cards):
    me = services.participant_join(session=ws)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(participant=me, card=cards[0], round=1, points=4, max_points=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(participant=me, round=1, budget=5, spent=6)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(participant=me, card=cards[0], round=1, points=0, max_points=3)


def test_only_approved_cards_of_the_session_can_get_points(ws, cards, world):
    me = services.participant_join(session=ws)
    pending = services.card_submit(participant=me, text="Noch nicht freigegeben")
    with pytest.raises(services.WorkshopError, match="nicht zur Abstimmung"):
        services.vote_set(participant=me, card_id=pending.pk, points=1)
    other = services.session_create(commune=world.other_commune, by=None,
                                    data=services.SessionData(title="Andere"))
    services.session_control(session=other, action="start", by=None)
    foreign = approved_card(other)
    with pytest.raises(services.WorkshopError, match="nicht zur Abstimmung"):
        services.vote_set(participant=me, card_id=foreign.pk, points=1)


def test_no_votes_while_voting_is_closed_paused_or_session_ended(ws, cards, world):
    me = services.participant_join(session=ws)
    services.voting_set(session=ws, open=False, by=None)
    with pytest.raises(services.WorkshopError, match="nicht geöffnet"):
        services.vote_set(participant=me, card_id=cards[0].pk, points=1)
    open_voting(ws)
    services.session_control(session=ws, action="pause", by=None)
    with pytest.raises(services.WorkshopError, match="Pause"):
        services.vote_set(participant=me, card_id=cards[0].pk, points=1)
    services.session_control(session=ws, action="close", by=None)
    with pytest.raises(services.WorkshopError, match="beendet"):
        services.vote_set(participant=me, card_id=cards[0].pk, points=1)
    with pytest.raises(services.WorkshopError, match="beendet"):
        services.card_submit(participant=me, text="Zu spät")
    assert not Vote.objects.exists()


def test_second_round_after_reopening_has_a_fresh_budget(ws, cards):
    me = services.participant_join(session=ws)
    services.vote_set(participant=me, card_id=cards[0].pk, points=3)
    services.results_show(session=ws, visible=True, by=None)
    services.session_control(session=ws, action="close", by=None)
    services.session_reopen(session=ws, by=None)
    ws.refresh_from_db()
    assert ws.round == 2 and not ws.results_visible and not ws.voting_open
    open_voting(ws)
    services.vote_set(participant=me, card_id=cards[1].pk, points=3)
    services.vote_set(participant=me, card_id=cards[2].pk, points=2)
    assert selectors.results(session=ws, round=1).cards[0].points == 3
    round2 = {c.id: c.points for c in selectors.results(session=ws, round=2).cards}
    assert round2 == {cards[0].pk: 0, cards[1].pk: 3, cards[2].pk: 2}
    assert selectors.rounds_with_votes(session=ws) == [1, 2]


def test_merging_duplicates_carries_votes_over(ws, cards):
    a, b = (services.participant_join(session=ws) for _ in range(2))
    services.vote_set(participant=a, card_id=cards[0].pk, points=3)
    services.vote_set(participant=a, card_id=cards[1].pk, points=2)
    services.vote_set(participant=b, card_id=cards[1].pk, points=1)
    services.card_merge(card=cards[1], into_id=cards[0].pk, by=None)
    results = {c.id: c.points for c in selectors.results(session=ws).cards}
    assert results == {cards[0].pk: 6, cards[2].pk: 0}
    assert Ballot.objects.get(participant=a).spent == 5  # budgets are unchanged
    cards[1].refresh_from_db()
    assert cards[1].status == "merged" and cards[1].merged_into_id == cards[0].pk


def test_analogue_dots_are_counted_once_and_marked(ws, cards):
    me = services.participant_join(session=ws)
    services.vote_set(participant=me, card_id=cards[2].pk, points=2)
    for _ in range(2):  # typing the same count twice does not double it
        services.analogue_votes_set(card=cards[2], points=7, by=None)
    row = next(c for c in selectors.results(session=ws).cards if c.id == cards[2].pk)
    assert (row.points, row.analogue_points) == (9, 7)
    card = services.analogue_card_add(session=ws, phase_id=ws.current_phase_id,
                                      text="Flipchart: Dorfladen", by=None)
    assert card.source == "analogue" and card.status == "approved"


def test_rate_limit_on_cards(ws, monkeypatch):
    monkeypatch.setattr(services, "CARD_LIMIT", (3, 60))
    me = services.participant_join(session=ws)
    for i in range(3):
        services.card_submit(participant=me, text=f"Karte {i}")
    with pytest.raises(services.RateLimited, match="einen Moment"):
        services.card_submit(participant=me, text="Eine zu viel")
    other = services.participant_join(session=ws)
    services.card_submit(participant=other, text="Andere Person darf")


def test_rate_limit_on_votes(ws, cards, monkeypatch):
    monkeypatch.setattr(services, "VOTE_LIMIT", (2, 60))
    me = services.participant_join(session=ws)
    services.vote_set(participant=me, card_id=cards[0].pk, points=1)
    services.vote_set(participant=me, card_id=cards[0].pk, points=2)
    with pytest.raises(services.RateLimited):
        services.vote_set(participant=me, card_id=cards[0].pk, points=3)


def test_changes_count_versions_for_polling(ws, cards):
    from zwk.workshop import live

    ws.refresh_from_db()
    public, staff = ws.version, ws.staff_version
    me = services.participant_join(session=ws)
    card = services.card_submit(participant=me, text="Neu")
    ws.refresh_from_db()
    assert (ws.version, ws.staff_version) == (public, staff + 2)  # pending: only the console
    services.card_moderate(card=card, action="approve", by=None)
    ws.refresh_from_db()
    assert ws.version == public + 1
    services.vote_set(participant=me, card_id=card.pk, points=1)
    services.results_show(session=ws, visible=True, by=None)
    ws.refresh_from_db()
    public, staff = ws.version, ws.staff_version
    marker = selectors.vote_marker(session=ws)
    services.vote_set(participant=me, card_id=card.pk, points=2)
    ws.refresh_from_db()
    # A dot touches no counter (no lock on the session row, phones stay quiet); the console
    # and the projector see it through the vote marker.
    assert (ws.version, ws.staff_version) == (public, staff)
    assert selectors.vote_marker(session=ws) != marker
    assert live.current(ws.pk) == ws.version
