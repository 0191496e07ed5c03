"""Sharing a measure of the Werkstattplan as a good practice: a prefilled private draft that
keeps its measure; the office approves; the measure page shows it; German messages for bad
input, nothing half-written."""

import pytest
from django.urls import reverse

from tests.plan.conftest import goal, measure
from zwk.history.models import HistoryEvent
from zwk.toolbox import selectors, services
from zwk.toolbox.forms import PracticeFromMeasureForm
from zwk.toolbox.models import Tool
from zwk.toolbox.selectors import ToolFilter, tool_search

HEALTH = "Gesundheit, Pflege & Leben im Alter"


@pytest.fixture
def source(world):
    commune = world.commune
    commune.population = 12400
    commune.save()
    field = commune.action_fields.get(name=HEALTH)
    return measure(commune, goal(commune, "Hausärztliche Versorgung sichern", field=field),
                   "Sommerakademie für junge Ärzt:innen",
                   description="Medizinstudierende lernen eine Woche die Praxen kennen.",
                   target_groups="Medizinstudierende", lead="Wirtschaftsförderung, Frau Abt",
                   budget=8000)


def form_data(initial, **overrides):
    data = {k: v for k, v in initial.items() if v is not None}
    data["topics"] = [t.pk for t in initial["topics"]]
    data.update(effort="medium", outcome="Zwei Praxen haben Nachfolger:innen gefunden.",
                contact="Frau Abt, wirtschaft@bergstadt.example")
    data.update(overrides)
    return data


def test_the_draft_is_prefilled_from_the_measure(source):
    initial = selectors.practice_initial(measure=source)
    assert initial["title"] == "Sommerakademie für junge Ärzt:innen"
    assert initial["summary"] == ("Medizinstudierende lernen eine Woche die Praxen kennen.\n\n"
                                  "Zielgruppen: Medizinstudierende")
    assert initial["contact"] == "Wirtschaftsförderung, Frau Abt"
    assert {t.slug for t in initial["topics"]} == {"gesundheit", "wohnen"}
    assert initial["commune_kinds"] == ["stadt"]
    assert (initial["min_population"], initial["max_population"]) == (6200, 24800)
    assert initial["where_used"] == "Bergstadt (Stadt, 12.400 Einwohner:innen)"
    assert initial["problem"] == "Hausärztliche Versorgung sichern"
    assert initial["effort_money"] == "Budget in Bergstadt: 8.000 Euro"


def test_sharing_creates_a_private_draft_that_keeps_its_measure(world, source):
    coordinator = world.user("coordinator")
    form = PracticeFromMeasureForm(form_data(selectors.practice_initial(measure=source)))
    assert form.is_valid(), form.errors
    tool = services.practice_share_from_measure(measure=source, data=form.tool_data(),
                                                by=coordinator)
    assert (tool.type, tool.status, tool.owner_commune, tool.source_measure) == (
        "practice", "draft", world.commune, source)
    assert not tool_search(ToolFilter(query="Sommerakademie")).filter(pk=tool.pk).exists()
    verbs = list(HistoryEvent.objects.filter(subject_id=str(tool.pk)).order_by("id")
                 .values_list("verb", flat=True))
    assert verbs == ["toolbox.tool_created", "toolbox.practice_shared"]


def test_a_measure_is_shared_once_until_its_practice_is_retired(world, source):
    data = PracticeFromMeasureForm(form_data(selectors.practice_initial(measure=source)))
    assert data.is_valid()
    first = services.practice_share_from_measure(measure=source, data=data.tool_data(), by=None)
    before = (Tool.objects.count(), HistoryEvent.objects.count())
    with pytest.raises(services.ToolboxError, match="bereits als gute Praxis geteilt"):
        services.practice_share_from_measure(measure=source, data=data.tool_data(), by=None)
    assert (Tool.objects.count(), HistoryEvent.objects.count()) == before
    services.tool_publish(tool=first, by=None)
    services.tool_retire(tool=first, by=None)
    again = services.practice_share_from_measure(measure=source, data=data.tool_data(), by=None)
    assert again.pk != first.pk and again.source_measure == source


def test_without_outcome_or_contact_german_messages_and_nothing_written(world, login, source):
    client = login(world, "team_member")
    url = reverse("practice_from_measure", args=[world.commune.pk, source.pk])
    before = (Tool.objects.count(), HistoryEvent.objects.count())
    response = client.post(url, form_data(selectors.practice_initial(measure=source),
                                          outcome="", contact=""))
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert (Tool.objects.count(), HistoryEvent.objects.count()) == before
    with pytest.raises(services.ToolboxError, match="Bitte beschreiben Sie das Ergebnis"):
        form = PracticeFromMeasureForm(form_data(selectors.practice_initial(measure=source)))
        assert form.is_valid()
        data = form.tool_data()
        data.outcome = "  "
        services.practice_share_from_measure(measure=source, data=data, by=None)
    assert (Tool.objects.count(), HistoryEvent.objects.count()) == before


def test_full_flow_through_the_pages(world, login, source):
    client = login(world, "coordinator")
    measure_url = reverse("plan_measure_edit", args=[world.commune.pk, source.pk])
    page = client.get(measure_url).content.decode()
    share_url = reverse("practice_from_measure", args=[world.commune.pk, source.pk])
    assert "Als gute Praxis teilen" in page and share_url in page
    form_page = client.get(share_url).content.decode()
    assert "Wirtschaftsförderung, Frau Abt" in form_page  # contact suggestion
    response = client.post(share_url, form_data(selectors.practice_initial(measure=source)))
    tool = Tool.objects.get(source_measure=source)
    assert response.status_code == 302 and response["Location"] == reverse(
        "tool_detail", args=[tool.slug])
    page = client.get(measure_url).content.decode()
    assert "Als gute Praxis geteilt:" in page and "Entwurf" in page
    assert share_url not in page
    # a second visit of the form leads to the existing practice
    assert client.get(share_url)["Location"] == reverse("tool_detail", args=[tool.slug])
    client.post(reverse("tool_status", args=[tool.slug, "submit"]))
    client.logout()
    office = login(world, "programme_office")
    assert tool.title in office.get(reverse("toolbox_review")).content.decode()
    office.post(reverse("tool_status", args=[tool.slug, "publish"]))
    assert Tool.objects.get(pk=tool.pk).status == "published"
    page = office.get(measure_url).content.decode()
    assert "veröffentlicht" in page


def test_a_measure_of_another_commune_cannot_be_shared(world, login, source):
    other = measure(world.other_commune, goal(world.other_commune), "Fremd")
    client = login(world, "coordinator")
    response = client.get(reverse("practice_from_measure", args=[world.commune.pk, other.pk]))
    assert response.status_code == 404
    response = client.get(reverse("practice_from_measure",
                                  args=[world.other_commune.pk, other.pk]))
    assert response.status_code == 404
