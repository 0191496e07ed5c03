"""Fixtures for the live workshop: a running session in the world's commune."""

from __future__ import annotations

import pytest

from zwk.workshop import services
from zwk.workshop.models import Card


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and version copies live in the cache: start every test from empty."""
    from django.core.cache import cache

    from zwk.workshop.views_participant import _SHARED

    cache.clear()
    _SHARED.clear()
    yield
    cache.clear()


@pytest.fixture
def ws(world):
    """A running session with 5 points per person, at most 3 per card."""
    session = services.session_create(
        commune=world.commune, by=world.user("coordinator"),
        data=services.SessionData(title="Zukunftswerkstatt Bergstadt", points_per_person=5,
                                  max_per_card=3))
    services.session_control(session=session, action="start", by=world.user("coordinator"))
    session.refresh_from_db()
    return session


def approved_card(session, text="Mehr Bänke am Marktplatz", participant=None, by=None):
    participant = participant or services.participant_join(session=session)
    card = services.card_submit(participant=participant, text=text)
    return services.card_moderate(card=card, action="approve", by=by)


def open_voting(session, by=None):
    services.voting_set(session=session, open=True, by=by)
    session.refresh_from_db()
    return session


@pytest.fixture
def cards(ws, world):
    by = world.user("coordinator")
    made = [approved_card(ws, text, by=by) for text in ("Bänke", "Bus am Abend", "Jugendtreff")]
    open_voting(ws, by)
    return [Card.objects.get(pk=c.pk) for c in made]
