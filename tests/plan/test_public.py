"""Public page: opt-in, only the latest adopted version, ideas → measures."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import ROLES
from tests.plan.conftest import workshop_candidates
from zwk.plan import services
from zwk.plan.models import Measure, PlanPublication
from zwk.workshop.models import Card

pytestmark = pytest.mark.django_db
PUBLISHERS = {"coordinator", "programme_office", "superuser"}


def adopted(commune):
    _, goal_c, measure_c, card = workshop_candidates(commune)
    services.takeover(commune=commune, candidates=[goal_c, measure_c], by=None)
    services.plan_adopt(commune=commune, label="Beschluss", adopted_on=dt.date(2025, 3, 1),
                        resolution="GR 1/25", by=None)
    return card


def public_url(commune):
    return reverse("plan_public", args=[commune.pk])


def test_not_published_is_404_for_everyone(world):
    adopted(world.commune)
    assert Client().get(public_url(world.commune)).status_code == 404


def test_published_shows_adopted_version_and_ideas_only(world):
    card = adopted(world.commune)
    hidden = Card.objects.create(session=card.session, phase=card.phase, text="Geheime Karte",
                                 status="hidden")
    Measure.objects.get().cards.add(hidden)  # linked later, and not in the adopted version
    Measure.objects.update(title="Entwurfstitel")
    services.plan_publish(commune=world.commune, publish=True, by=None)
    response = Client().get(public_url(world.commune))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Was wurde aus den Ideen?" in text and "Dorfcafé" in text and "GR 1/25" in text
    assert "Entwurfstitel" not in text and "Geheime Karte" not in text
    services.plan_publish(commune=world.commune, publish=False, by=None)
    assert Client().get(public_url(world.commune)).status_code == 404


def test_cannot_publish_without_adopted_version(world):
    with pytest.raises(services.PlanError):
        services.plan_publish(commune=world.commune, publish=True, by=None)
    assert not PlanPublication.objects.exists()


def test_public_text_escaped(world):
    card = adopted(world.commune)
    Card.objects.filter(pk=card.pk).update(text="<img src=x onerror=alert(1)>")
    services.plan_publish(commune=world.commune, publish=True, by=None)
    text = Client().get(public_url(world.commune)).content.decode()
    assert "<img src=x" not in text and "&lt;img src=x" in text


@pytest.mark.parametrize("role", ROLES)
def test_publish_permission(world, login, role):
    adopted(world.commune)
    response = login(world, role).post(reverse("plan_publish", args=[world.commune.pk]),
                                       {"veroeffentlichen": "1"})
    published = PlanPublication.objects.filter(is_published=True).exists()
    assert published == (role in PUBLISHERS)
    if role in PUBLISHERS:
        assert response.status_code == 302
    elif role != "anonymous":
        assert response.status_code in (403, 404)
