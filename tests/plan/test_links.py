"""The manual link picker on the measure form: workshop cards, SWOT items, inventory."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.plan.conftest import goal, measure, workshop_candidates
from zwk.plan.models import Measure

pytestmark = pytest.mark.django_db


def swot(commune, text, quadrant="strength", state="accepted"):
    from zwk.profile.models import SwotItem

    return SwotItem.objects.create(commune=commune, quadrant=quadrant, text=text, status=state)


def inventory(commune, title):
    from zwk.profile.models import InventoryEntry

    return InventoryEntry.objects.create(commune=commune, title=title)


def more_cards(session, n):
    from zwk.workshop.models import Card, Cluster

    phase = session.phases.first()
    cluster = Cluster.objects.create(session=session, title=f"Thema {n}", position=n)
    return [Card.objects.create(session=session, phase=phase, text=f"Idee {n}.{i}",
                                status="approved", cluster=cluster) for i in range(n)]


def form_data(m, **links):
    return {"goal": m.goal_id, "title": m.title, "status": m.status_id, "priority": m.priority,
            "weight": "1", "version": m.version, **links}


@pytest.fixture
def setup(world):
    c = world.commune
    session, _g, _m, card = workshop_candidates(c)
    m = measure(c, goal(c, "Ziel"), "Dorfcafé")
    return {"commune": c, "session": session, "card": card, "measure": m,
            "strength": swot(c, "Aktive Vereine"),
            "threat": swot(c, "Ärztemangel", quadrant="threat"),
            "proposed": swot(c, "Nur ein Vorschlag", state="proposed"),
            "entry": inventory(c, "Seniorenbüro"),
            "foreign_swot": swot(world.other_commune, "Fremde Stärke"),
            "foreign_entry": inventory(world.other_commune, "Fremdes Projekt"),
            "foreign_card": workshop_candidates(world.other_commune)[3]}


def url(s):
    return reverse("plan_measure_edit", args=[s["commune"].pk, s["measure"].pk])


def test_picker_groups_choices_of_this_commune_in_fieldsets(world, login, setup):
    page = login(world, "team_member").get(url(setup)).content.decode()
    assert "<legend>Woher kommt die Maßnahme?</legend>" in page
    assert "<legend>Zukunftswerkstatt – Thema „Treffpunkte“</legend>" in page
    assert "<legend>Stärke</legend>" in page and "<legend>Risiko</legend>" in page
    assert "<legend>Bestandsaufnahme</legend>" in page
    assert f'id="id_cards_{setup["card"].pk}"' in page
    assert "Aktive Vereine" in page and "Seniorenbüro" in page
    for text in ("Fremde Stärke", "Fremdes Projekt", "Nur ein Vorschlag"):
        assert text not in page
    assert f'id="id_cards_{setup["foreign_card"].pk}"' not in page


def test_picking_links_saves_them(world, login, setup):
    m = setup["measure"]
    response = login(world, "team_member").post(url(setup), form_data(
        m, cards=[setup["card"].pk], swot_items=[setup["strength"].pk, setup["threat"].pk],
        inventory_entries=[setup["entry"].pk]))
    assert response.status_code == 302
    m.refresh_from_db()
    assert list(m.cards.all()) == [setup["card"]]
    assert set(m.swot_items.all()) == {setup["strength"], setup["threat"]}
    assert list(m.inventory_entries.all()) == [setup["entry"]]
    page = login(world, "team_member").get(url(setup)).content.decode()
    assert f'id="id_swot_items_{setup["threat"].pk}" checked' in page
    # unticking everything removes the links
    login(world, "team_member").post(url(setup), form_data(m))
    assert not m.cards.exists() and not m.swot_items.exists()


@pytest.mark.parametrize("field, key", [("cards", "foreign_card"),
                                        ("swot_items", "foreign_swot"),
                                        ("inventory_entries", "foreign_entry"),
                                        ("swot_items", "proposed")])
def test_tampered_ids_are_rejected_and_nothing_saved(world, login, setup, field, key):
    m = setup["measure"]
    data = form_data(m, **{"cards": [setup["card"].pk], field: [setup[key].pk]})
    data["title"] = "Geändert"
    response = login(world, "team_member").post(url(setup), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Eine gewählte Verknüpfung gehört nicht zu dieser Kommune" in page
    assert f'id="id_{field}_error0"' in page
    m.refresh_from_db()
    assert m.title == "Dorfcafé" and not m.cards.exists() and not m.swot_items.exists()


def test_form_page_queries_do_not_grow_with_choices(world, login, setup):
    client = login(world, "team_member")
    client.get(url(setup))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(setup)).status_code == 200
        return len(queries)

    few = count()
    more_cards(setup["session"], 6)
    more_cards(setup["session"], 4)
    for i in range(8):
        swot(setup["commune"], f"Punkt {i}", quadrant=["weakness", "opportunity"][i % 2])
        inventory(setup["commune"], f"Projekt {i}")
    measure(setup["commune"], setup["measure"].goal, "Weitere", key="umsetzung")
    assert count() == few


def test_links_to_retired_or_unapproved_items_stay_checked(world, login, setup):
    from zwk.workshop.models import Card

    m = setup["measure"]
    m.cards.set([setup["card"]])
    Card.objects.filter(pk=setup["card"].pk).update(status="hidden")
    page = login(world, "team_member").get(url(setup)).content.decode()
    assert f'id="id_cards_{setup["card"].pk}" checked' in page
    response = login(world, "team_member").post(url(setup), form_data(
        m, cards=[setup["card"].pk]))
    assert response.status_code == 302
    assert Measure.objects.get(pk=m.pk).cards.count() == 1
