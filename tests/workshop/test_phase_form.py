"""Phases are entered in one title and one guiding-question field each: no "Titel | Leitfrage"
syntax to learn (issue 11, item 9)."""

import pytest
from django.urls import reverse

from zwk.workshop.models import Session

pytestmark = pytest.mark.django_db


def create_url(w):
    return reverse("workshop_create", kwargs={"pk": w.commune.pk})


def base(**extra):
    return {"title": "Werkstatt", "kind": "zukunftswerkstatt", "date": "2025-06-01",
            "format": "onsite", "points_per_person": 5, "max_per_card": 3,
            "rounds_planned": 1, **extra}


def test_the_form_offers_jungk_phases_in_separate_fields_without_pipes(world, login):
    page = login(world, "coordinator").get(create_url(world)).content.decode()
    assert "„|“" not in page and " | " not in page
    assert 'name="phase_1_title"' in page and 'value="Kritikphase"' in page
    assert 'name="phase_3_title"' in page and 'value="Verwirklichungsphase"' in page
    assert 'name="phase_1_prompt"' in page and 'name="phase_8_title"' in page


def test_phases_are_saved_in_order_and_empty_rows_skipped(world, login):
    client = login(world, "coordinator")
    response = client.post(create_url(world), base(
        phase_1_title="Kritik", phase_1_prompt="Was stört? | mit Strich",
        phase_3_title="Utopie", phase_3_prompt=""))
    assert response.status_code == 302
    session = Session.objects.get(title="Werkstatt")
    assert [(p.title, p.prompt) for p in session.phases.order_by("position")] == [
        ("Kritik", "Was stört? | mit Strich"), ("Utopie", "")]


def test_a_question_without_title_gets_a_german_message_and_nothing_is_saved(world, login):
    client = login(world, "coordinator")
    response = client.post(create_url(world), base(phase_1_title="",
                                                   phase_1_prompt="Was stört?"))
    assert response.status_code == 400
    assert "Bitte geben Sie der Phase mit dieser Leitfrage einen Titel." in \
        response.content.decode()
    assert not Session.objects.exists()


def test_no_phase_at_all_is_refused(world, login):
    client = login(world, "coordinator")
    response = client.post(create_url(world), base())
    assert response.status_code == 400
    assert "Bitte nennen Sie mindestens eine Phase." in response.content.decode()
    assert not Session.objects.exists()


def test_settings_show_the_sessions_own_phases(world, login):
    client = login(world, "coordinator")
    client.post(create_url(world), base(phase_1_title="Eins", phase_2_title="Zwei",
                                        phase_2_prompt="Wie weiter?"))
    session = Session.objects.get()
    page = client.get(reverse("workshop_settings", kwargs={"pk": world.commune.pk,
                                                           "sid": session.pk})).content.decode()
    assert 'value="Eins"' in page and 'value="Wie weiter?"' in page
    assert 'value="Kritikphase"' not in page
