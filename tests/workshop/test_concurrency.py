"""Parallel vote requests cannot break the rules: real threads with their own database
connections on PostgreSQL; the same scenario sequentially on SQLite (which serialises writers).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from zwk.workshop import services
from zwk.workshop.models import Ballot, Card, Session, Vote

ON_POSTGRES = connection.vendor == "postgresql"
PG_ONLY = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="LOUD SKIP: parallel voting needs PostgreSQL (run with DATABASE_URL=postgres://...);"
           " the sequential version below ran instead")


def _setup(world, cards=6):
    session = services.session_create(commune=world.commune, by=None, data=services.SessionData(
        title="Last", points_per_person=5, max_per_card=3))
    services.session_control(session=session, action="start", by=None)
    author = services.participant_join(session=session)
    made = []
    for i in range(cards):
        card = services.card_submit(participant=author, text=f"Karte {i}")
        made.append(services.card_moderate(card=card, action="approve", by=None))
    services.voting_set(session=session, open=True, by=None)
    return Session.objects.get(pk=session.pk), made


def _attempts(cards):
    """Far more than the rules allow: every card 3 points, twice (replays), and over-max."""
    return [(c.pk, p) for c in cards for p in (3, 3, 4, 2)]


def _vote(participant, card_id, points, barrier=None):
    try:
        if barrier is not None:
            barrier.wait(timeout=10)
        services.vote_set(participant=participant, card_id=card_id, points=points)
        return "ok"
    except services.WorkshopError:
        return "refused"
    finally:
        if threading.current_thread() is not threading.main_thread():
            connections.close_all()  # each worker thread had its own connection


def _check_invariants(session):
    for ballot in Ballot.objects.filter(participant__session=session):
        votes = Vote.objects.filter(participant=ballot.participant, round=ballot.round)
        total = sum(v.points for v in votes)
        assert total == ballot.spent <= ballot.budget
        assert all(1 <= v.points <= 3 for v in votes)


@PG_ONLY
@pytest.mark.django_db(transaction=True)
def test_parallel_votes_of_one_person_never_exceed_the_budget(world):
    session, cards = _setup(world)
    people = [services.participant_join(session=session) for _ in range(4)]
    services.VOTE_LIMIT = (10_000, 60)
    try:
        jobs = [(p, card_id, points) for p in people for card_id, points in _attempts(cards)]
        barrier = threading.Barrier(8)
        with ThreadPoolExecutor(max_workers=8) as pool:
            futures = [pool.submit(_vote, p, c, n, barrier if i < 8 else None)
                       for i, (p, c, n) in enumerate(jobs)]
            outcomes = [f.result() for f in futures]
    finally:
        services.VOTE_LIMIT = (60, 60)
    assert "ok" in outcomes and "refused" in outcomes
    _check_invariants(session)
    for person in people:
        assert Ballot.objects.get(participant=person).spent <= 5


@PG_ONLY
@pytest.mark.django_db(transaction=True)
def test_parallel_identical_replays_count_once(world):
    session, cards = _setup(world, cards=1)
    me = services.participant_join(session=session)
    barrier = threading.Barrier(8)
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(lambda _: _vote(me, cards[0].pk, 2, barrier), range(8)))
    assert outcomes == ["ok"] * 8
    assert Vote.objects.get(participant=me).points == 2
    assert Ballot.objects.get(participant=me).spent == 2


def test_sequential_flood_keeps_the_rules(world, monkeypatch):
    monkeypatch.setattr(services, "VOTE_LIMIT", (10_000, 60))
    session, cards = _setup(world)
    people = [services.participant_join(session=session) for _ in range(3)]
    for person in people:
        outcomes = [_vote(person, c, n) for c, n in _attempts(cards)]
        assert outcomes.count("ok") >= 2 and "refused" in outcomes
    _check_invariants(session)
    assert Card.objects.filter(session=session).count() == 6
