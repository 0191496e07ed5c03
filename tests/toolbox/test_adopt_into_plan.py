"""Adopting a tool into the own Werkstattplan: a new measure under a chosen goal, the Adoption
keeps the link, history on both sides; duplicates refused in German; all or nothing."""

import pytest
from django.urls import reverse

from tests.plan.conftest import goal, measure
from tests.toolbox.conftest import make_tool
from zwk.history.models import HistoryEvent
from zwk.plan.models import Measure
from zwk.toolbox import services
from zwk.toolbox.models import Adoption, Tool


@pytest.fixture
def practice(world):
    """A published practice of Talgemeinde, shared from one of its measures."""
    other = world.other_commune
    source = measure(other, goal(other, "Ärztliche Versorgung sichern"), "Rezeptbriefkasten",
                     target_groups="Ältere Menschen, Dauerpatient:innen", lead="Ordnungsamt",
                     budget=1200)
    tool = make_tool(title="Rezeptbriefkasten am Rathaus", owner_commune=other, publish=False,
                     topics=("gesundheit",), summary="Ein Briefkasten für Folgerezepte.",
                     steps="Praxis fragen\nBriefkasten aufstellen")
    Tool.objects.filter(pk=tool.pk).update(source_measure=source)
    tool.refresh_from_db()
    return services.tool_publish(tool=tool, by=world.user("programme_office"))


def test_adopting_creates_a_copy_under_the_goal_with_the_first_status(world, practice):
    coordinator = world.user("coordinator")
    target = goal(world.commune, "Hausärztliche Versorgung halten")
    adoption = services.tool_adopt_into_plan(tool=practice, goal=target, by=coordinator,
                                             note="mit der Praxis am Markt")
    m = adoption.measure
    assert (m.commune, m.goal, m.title) == (world.commune, target, "Rezeptbriefkasten am Rathaus")
    assert m.status.key == "geplant"  # the programme's first status
    assert m.description.startswith("Ein Briefkasten für Folgerezepte.")
    assert "– Briefkasten aufstellen" in m.description
    assert m.target_groups == "Ältere Menschen, Dauerpatient:innen"
    # not the other commune's lead, budget or dates
    assert (m.lead, m.budget, m.start, m.end) == ("", None, None, None)
    assert adoption.note == "mit der Praxis am Markt" and adoption.adopted_by == coordinator
    verbs = set(HistoryEvent.objects.filter(commune=world.commune)
                .values_list("verb", flat=True))
    assert {"plan.measure_created", "toolbox.adopted_into_plan"} <= verbs


def test_formatted_tool_text_arrives_in_the_plan_as_plain_words(world):
    tool = make_tool(title="Dorfladen", topics=("begegnung",),
                     summary="Ein **genossenschaftlicher** Laden, siehe [Leitfaden](https://x.de).",
                     steps="- *Bedarf* klären\nGenossenschaft gründen")
    adoption = services.tool_adopt_into_plan(tool=tool, goal=goal(world.commune), by=None)
    text = adoption.measure.description
    assert text.startswith("Ein genossenschaftlicher Laden, siehe Leitfaden.")
    assert "– Bedarf klären" in text
    assert not any(mark in text for mark in ("**", "](", "https://"))


def test_a_chosen_title_is_used(world, practice):
    adoption = services.tool_adopt_into_plan(tool=practice, goal=goal(world.commune), by=None,
                                             title="  Rezeptbox Bergstadt ")
    assert adoption.measure.title == "Rezeptbox Bergstadt"


def test_adopting_again_is_refused_in_german_and_nothing_is_duplicated(world, practice):
    target = goal(world.commune)
    services.tool_adopt_into_plan(tool=practice, goal=target, by=None)
    before = (Measure.objects.count(), Adoption.objects.count(), HistoryEvent.objects.count())
    with pytest.raises(services.ToolboxError,
                       match="Bergstadt hat dieses Werkzeug bereits in den Werkstattplan "
                             "übernommen: Maßnahme „Rezeptbriefkasten am Rathaus“"):
        services.tool_adopt_into_plan(tool=practice, goal=target, by=None)
    assert (Measure.objects.count(), Adoption.objects.count(),
            HistoryEvent.objects.count()) == before


def test_an_adoption_only_noted_gets_its_measure_instead_of_a_second_row(world, practice):
    services.tool_adopt(tool=practice, commune=world.commune, by=None, note="vorgemerkt")
    adoption = services.tool_adopt_into_plan(tool=practice, goal=goal(world.commune), by=None)
    assert Adoption.objects.filter(tool=practice).count() == 1
    assert adoption.measure is not None and adoption.note == "vorgemerkt"


def test_if_the_measure_cannot_be_created_there_is_no_adoption(world, practice, monkeypatch):
    from zwk.plan import services as plan_services

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(plan_services, "measure_create", broken)
    with pytest.raises(RuntimeError):
        services.tool_adopt_into_plan(tool=practice, goal=goal(world.commune), by=None)
    assert not Adoption.objects.exists()


def test_if_the_adoption_fails_the_measure_is_rolled_back(world, practice, monkeypatch):
    """The last step (the history event) fails: the measure created before must go too."""
    target = goal(world.commune)
    measures = Measure.objects.count()

    def broken(**kwargs):
        raise RuntimeError("history down")

    monkeypatch.setattr(services, "record", broken)
    with pytest.raises(RuntimeError):
        services.tool_adopt_into_plan(tool=practice, goal=target, by=None)
    assert Measure.objects.count() == measures
    assert not Adoption.objects.exists()


def test_a_refusal_of_the_plan_becomes_a_german_message_and_writes_nothing(
        world, practice, monkeypatch):
    from django.core.exceptions import ValidationError

    from zwk.plan import services as plan_services

    def refuse(**kwargs):
        raise ValidationError({"goal": "Bitte wählen Sie ein Ziel dieser Kommune."})

    target = goal(world.commune)
    monkeypatch.setattr(plan_services, "measure_create", refuse)
    before = (Measure.objects.count(), HistoryEvent.objects.count())
    with pytest.raises(services.ToolboxError, match="Die Maßnahme konnte nicht angelegt "
                                                    "werden: Bitte wählen Sie ein Ziel"):
        services.tool_adopt_into_plan(tool=practice, goal=target, by=None)
    assert not Adoption.objects.exists()
    assert (Measure.objects.count(), HistoryEvent.objects.count()) == before


def test_unpublished_and_own_practices_cannot_be_adopted(world, practice):
    draft = make_tool(title="Noch Entwurf", owner_commune=world.other_commune, publish=False)
    with pytest.raises(services.ToolboxError, match="Nur veröffentlichte Werkzeuge"):
        services.tool_adopt_into_plan(tool=draft, goal=goal(world.commune), by=None)
    with pytest.raises(services.ToolboxError, match="eigenen Kommune"):
        services.tool_adopt_into_plan(tool=practice, goal=goal(world.other_commune), by=None)
    assert not Adoption.objects.exists()


# --- through the page ---------------------------------------------------------------------------

def test_the_page_adopts_and_the_measure_shows_where_it_came_from(world, login, practice):
    target = goal(world.commune, "Versorgung halten")
    client = login(world, "team_member")
    page = client.get(reverse("tool_detail", args=[practice.slug])).content.decode()
    assert "In den Werkstattplan übernehmen" in page and "Versorgung halten" in page
    response = client.post(reverse("tool_adopt_into_plan", args=[practice.slug]),
                           {"goal": target.pk, "title": "Rezeptbox", "note": ""})
    adoption = Adoption.objects.get(tool=practice, commune=world.commune)
    assert response.status_code == 302
    assert response["Location"] == reverse("plan_measure_edit",
                                           args=[world.commune.pk, adoption.measure.pk])
    measure_page = client.get(response["Location"]).content.decode()
    assert "übernommen aus:" in measure_page and practice.title in measure_page
    outline = client.get(reverse("plan_outline", args=[world.commune.pk])).content.decode()
    assert "Rezeptbox" in outline and "übernommen aus" in outline
    tool_page = client.get(reverse("tool_detail", args=[practice.slug])).content.decode()
    assert "1 Kommune hat dieses Werkzeug übernommen" in tool_page
    assert "Im Werkstattplan von Bergstadt" in tool_page


def test_the_page_refuses_a_second_adoption_in_german(world, login, practice):
    target = goal(world.commune)
    client = login(world, "coordinator")
    url = reverse("tool_adopt_into_plan", args=[practice.slug])
    assert client.post(url, {"goal": target.pk, "title": "A"}).status_code == 302
    again = client.post(url, {"goal": target.pk, "title": "B"})
    assert again.status_code == 400
    assert "bereits in den Werkstattplan übernommen" in again.content.decode()
    assert Measure.objects.filter(commune=world.commune).count() == 1


def test_without_a_goal_the_page_says_so_and_links_to_creating_one(world, login, practice):
    client = login(world, "coordinator")
    page = client.get(reverse("tool_detail", args=[practice.slug])).content.decode()
    assert "Ihr Werkstattplan hat noch kein Ziel" in page
    assert reverse("plan_goal_create", args=[world.commune.pk]) in page
    response = client.post(reverse("tool_adopt_into_plan", args=[practice.slug]),
                           {"goal": "", "title": "X"})
    assert response.status_code == 400 and not Adoption.objects.exists()


def test_a_goal_of_another_commune_is_refused(world, login, practice):
    foreign = goal(world.other_commune)
    goal(world.commune)
    client = login(world, "coordinator")
    response = client.post(reverse("tool_adopt_into_plan", args=[practice.slug]),
                           {"goal": foreign.pk, "title": "X"})
    assert response.status_code == 400
    assert "Bitte wählen Sie ein Ziel" in response.content.decode()
    assert not Adoption.objects.exists() and not Measure.objects.filter(
        commune=world.commune).exists()


def test_other_programmes_see_only_a_count_of_adopting_communes(world, login, practice):
    from tests.factories import UserFactory, add_member, make_commune

    services.tool_adopt_into_plan(tool=practice, goal=goal(world.commune), by=None)
    far = make_commune(world.other_programme, name="Fernhausen")
    services.tool_adopt(tool=practice, commune=far, by=None)
    person = UserFactory(username="fern")
    add_member(far, person, "coordinator")
    client = login(world, "coordinator")
    page = client.get(reverse("tool_detail", args=[practice.slug])).content.decode()
    assert "2 Kommunen haben dieses Werkzeug übernommen" in page
    assert "Bergstadt" in page and "Fernhausen" not in page
    assert "und 1 Kommune aus einem anderen Programm" in page
    client.logout()
    client.force_login(person)
    page = client.get(reverse("tool_detail", args=[practice.slug])).content.decode()
    assert "Fernhausen" in page and "Bergstadt" not in page


def test_adopting_starts_with_the_first_status_still_offered(world, practice):
    from zwk.plan import services as plan_services

    statuses = sorted(plan_services.statuses_ensure(programme=world.commune.programme),
                      key=lambda s: (s.position, s.pk))
    plan_services.status_set_active(status=statuses[0], active=False, by=None)
    adoption = services.tool_adopt_into_plan(tool=practice, goal=goal(world.commune), by=None)
    assert adoption.measure.status == statuses[1]
