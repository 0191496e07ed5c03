"""The interview form warns when the role field looks like a person's name."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zwk.profile.models import Interview
from zwk.profile.names import looks_like_name


@pytest.mark.parametrize("text", ["Frau Müller", "Herr Dr. Schmidt", "Anna Schmidt",
                                  "Max Mustermann (Bürgermeister)", "Dr. Kaiser, Hausarzt"])
def test_names_are_recognised(text):
    assert looks_like_name(text)


@pytest.mark.parametrize("text", ["Leitung Kita", "Vorstand Sportverein", "Seniorenbeirat",
                                  "Kita Sonnenschein", "Jugendpfleger der Gemeinde", ""])
def test_roles_pass(text):
    assert not looks_like_name(text)


def test_form_warns_and_saves_nothing_until_confirmed(world, login):
    client = login(world, "coordinator")
    url = reverse("profile_interview_create", args=[world.commune.pk])
    data = {"role": "Frau Müller", "held_on": "2024-04-01"}
    response = client.post(url, data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Das sieht nach einem Personennamen aus" in text
    assert 'type="checkbox" name="role_is_no_name"' in text
    assert not Interview.objects.exists()
    assert client.post(url, {**data, "role_is_no_name": "on"}).status_code == 302
    assert Interview.objects.get().role == "Frau Müller"


def test_form_carries_the_rule_for_the_live_hint(world, login):
    page = login(world, "coordinator").get(
        reverse("profile_interview_create", args=[world.commune.pk])).content.decode()
    assert "data-name-pattern=" in page and "data-name-hint=" in page
    assert 'type="checkbox" name="role_is_no_name"' not in page
