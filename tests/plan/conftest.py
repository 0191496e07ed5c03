"""Builders for plan tests: goals, measures and workshop candidates, written via the services."""

from __future__ import annotations

import itertools

import pytest

from zwk.plan import services

_codes = itertools.count(1)


def status(commune, key="geplant"):
    return next(s for s in services.statuses_ensure(programme=commune.programme) if s.key == key)


def goal(commune, title="Ziel", field=None, parent=None, by=None, **extra):
    field = field or (parent.action_field if parent else commune.action_fields.first())
    return services.goal_create(commune=commune, by=by, data={
        "action_field": field, "parent": parent, "title": title, **extra})


def measure(commune, goal, title="Maßnahme", key="geplant", by=None, links=None, **extra):
    return services.measure_create(commune=commune, by=by, links=links, data={
        "goal": goal, "title": title, "status": status(commune, key), **extra})


def workshop_candidates(commune, field=None):
    """A session with one cluster (goal candidate) and one card in it (measure candidate)."""
    from zwk.workshop.models import Candidate, Card, Cluster, Phase, Session

    session = Session.objects.create(commune=commune, title="Zukunftswerkstatt",
                                     code=f"P{next(_codes):06d}")
    phase = Phase.objects.create(session=session, position=0, title="Ideen")
    field = field or commune.action_fields.first()
    cluster = Cluster.objects.create(session=session, title="Treffpunkte", action_field=field)
    card = Card.objects.create(session=session, phase=phase, text="Dorfcafé", status="approved",
                               cluster=cluster)
    goal_c = Candidate.objects.create(session=session, kind="goal", rank=1, title="Treffpunkte",
                                      cluster=cluster, action_field=field, round=1, points=9)
    measure_c = Candidate.objects.create(session=session, kind="measure", rank=1,
                                         title="Dorfcafé", card=card, round=1, points=5,
                                         card_ids=[card.pk])
    return session, goal_c, measure_c, card


@pytest.fixture
def commune(world):
    return world.commune
