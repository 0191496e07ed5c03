"""Practice lifecycle, adoption, attachments, recommendations and the stage page, through the
services and views; bad input gives German messages and writes nothing; text is escaped."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.toolbox.conftest import make_tool
from zwk.history.models import HistoryEvent
from zwk.profile import services as profile_services
from zwk.toolbox import services
from zwk.toolbox.models import Adoption, Tool, ToolAttachment
from zwk.toolbox.selectors import ToolFilter, tool_search


def test_practice_stays_private_until_the_office_approves(world, login):
    coordinator, office = world.user("coordinator"), world.user("programme_office")
    practice = make_tool(title="Bergstädter Nachbarschaftsbus", owner_commune=world.commune,
                         by=coordinator, publish=False)
    assert practice.type == "practice" and practice.status == "draft"
    assert not tool_search(ToolFilter(query="Nachbarschaftsbus")).exists()
    services.practice_submit(tool=practice, by=coordinator)
    assert not tool_search(ToolFilter(query="Nachbarschaftsbus")).exists()
    client = login(world, "programme_office")
    review = client.get(reverse("toolbox_review"))
    assert "Bergstädter Nachbarschaftsbus" in review.content.decode()
    services.tool_publish(tool=practice, by=office)
    assert tool_search(ToolFilter(query="Nachbarschaftsbus")).get() == practice
    verbs = list(HistoryEvent.objects.filter(subject_id=str(practice.pk)).order_by("id")
                 .values_list("verb", flat=True))
    assert verbs == ["toolbox.tool_created", "toolbox.practice_submitted",
                     "toolbox.tool_published"]


def test_only_a_draft_can_be_submitted_with_a_german_message(world):
    tool = make_tool(title="Schon veröffentlicht", owner_commune=world.commune)
    with pytest.raises(services.ToolboxError, match="Nur ein Entwurf"):
        services.practice_submit(tool=tool, by=None)


def test_adoption_counts_and_refuses_a_second_time(world, login):
    tool = Tool.objects.get(slug="generationencafe")
    client = login(world, "coordinator")
    url = reverse("tool_adopt", args=[tool.slug])
    assert client.post(url, {"commune": world.commune.pk}).status_code == 302
    again = client.post(url, {"commune": world.commune.pk})
    assert again.status_code == 400
    assert "Bergstadt hat dieses Werkzeug bereits übernommen." in again.content.decode()
    assert Adoption.objects.filter(tool=tool).count() == 1
    page = client.get(reverse("tool_detail", args=[tool.slug])).content.decode()
    assert "1 Kommune hat dieses Werkzeug übernommen" in page and "Bergstadt" in page


def test_adopting_for_a_foreign_commune_is_refused(world, login):
    client = login(world, "coordinator")
    response = client.post(reverse("tool_adopt", args=["world-cafe"]),
                           {"commune": world.other_commune.pk})
    assert response.status_code == 400
    assert not Adoption.objects.exists()


def test_bad_tool_form_gives_german_messages_and_writes_nothing(world, login):
    client = login(world, "programme_office")
    before = (Tool.objects.count(), HistoryEvent.objects.count())
    response = client.post(reverse("tool_create"), {
        "title": "", "type": "method", "summary": "x", "effort": "low",
        "min_population": "5000", "max_population": "100", "sources": "irgendwo"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in body
    assert "Die Obergrenze muss mindestens so groß sein" in body
    assert "Jede Quelle muss eine Webadresse sein" in body
    assert (Tool.objects.count(), HistoryEvent.objects.count()) == before


def test_user_text_is_escaped(world, login):
    make_tool(title="<script>alert(1)</script>Praxis", owner_commune=world.commune,
              problem="<b>fett</b>", publish=True)
    client = login(world, "team_member")
    tool = Tool.objects.get(title__startswith="<script>")
    body = client.get(reverse("tool_detail", args=[tool.slug])).content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    # typed HTML in a tool text is removed, its words kept (see test_richtext.py)
    assert "<b>fett</b>" not in body and "&lt;b&gt;" not in body and "fett" in body


def test_attachment_is_checked_like_stage_documents(world, login):
    tool = make_tool(title="Mit Anhang")
    client = login(world, "programme_office")
    url = reverse("tool_attachment_add", args=[tool.slug])
    fake = SimpleUploadedFile("handout.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post(url, {"title": "Handout", "file": fake})
    assert response.status_code == 400
    assert "passt nicht zur Endung .pdf" in response.content.decode()
    assert not ToolAttachment.objects.exists()
    good = SimpleUploadedFile("handout.pdf", b"%PDF-1.4\n%%EOF\n")
    assert client.post(url, {"title": "Handout", "file": good}).status_code == 302
    attachment = ToolAttachment.objects.get()
    download = client.get(reverse("tool_attachment", args=[tool.slug, attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_stage_page_lists_methods_of_that_step(world, login):
    client = login(world, "team_member")
    body = client.get(reverse("stage_detail", args=[world.commune.pk, "workshop"])).content.decode()
    assert "Zukunftswerkstatt nach Robert Jungk" in body and "World Café" in body
    assert 'data-toolbox-topic="world-cafe"' in body
    assert "Auftaktveranstaltung mit der Verwaltungsspitze" not in body


def test_swot_weakness_gets_a_recommended_practice(world, login):
    world.commune.population = 4000
    world.commune.kind = "gemeinde"
    world.commune.save()
    health = world.commune.action_fields.get(name="Gesundheit, Pflege & Leben im Alter")
    item = profile_services.swot_item_create(commune=world.commune, by=None,
                                             data=profile_services.SwotData(
                                                 quadrant="weakness",
                                                 text="Hausärztemangel: zwei Praxen ohne Nachfolge",
                                                 action_fields=[health]))
    client = login(world, "coordinator")
    body = client.get(reverse("commune_toolbox", args=[world.commune.pk])).content.decode()
    assert f'data-swot-item="{item.pk}"' in body
    assert "Rezeptbriefkasten an der Hausarztpraxis" in body
    assert "Sommerakademie für junge Ärzt:innen" in body
    # the reason names the word as the SWOT item wrote it, not its internal stem
    assert "passt zum Begriff „Hausärztemangel“" in body and "hausarztemangel" not in body


def weakness(commune, text, field_name):
    field = commune.action_fields.get(name=field_name)
    return profile_services.swot_item_create(commune=commune, by=None, data=profile_services
                                             .SwotData(quadrant="weakness", text=text,
                                                       action_fields=[field]))


def test_exchange_finds_partners_working_on_the_same_problem(world, login):
    weakness(world.commune, "Ärztemangel auf dem Land", "Gesundheit, Pflege & Leben im Alter")
    weakness(world.other_commune, "Hausärzte gehen in Rente", "Gesundheit, Pflege & Leben im Alter")
    weakness(world.other_commune, "Kaum Wohnungen für Familien", "Wohnen & Orts-/Stadtentwicklung")
    client = login(world, "programme_office")
    everything = client.get(reverse("toolbox_exchange")).content.decode()
    assert "West · Stadt" in everything and "West · Gemeinde" in everything
    assert "Gesundheit, Pflege &amp; Leben im Alter (1)" in everything
    found = client.get(reverse("toolbox_exchange"), {"q": "Ärzte"}).content.decode()
    assert "Ärztemangel auf dem Land" in found and "Hausärzte gehen in Rente" in found
    housing = client.get(reverse("toolbox_exchange"), {"q": "Wohnung"}).content.decode()
    assert f'data-exchange-commune="{world.other_commune.pk}"' in housing
    assert f'data-exchange-commune="{world.commune.pk}"' not in housing


def test_exchange_finds_partners_by_what_their_plan_does(world, login):
    from tests.plan.conftest import goal, measure

    health = world.other_commune.action_fields.get(name="Gesundheit, Pflege & Leben im Alter")
    target = goal(world.other_commune, "Hausärztliche Versorgung sichern", field=health)
    measure(world.other_commune, target, "Stipendium für Landärztinnen")
    measure(world.other_commune, target, "Praxisräume im Rathaus")
    client = login(world, "programme_office")
    everything = client.get(reverse("toolbox_exchange")).content.decode()
    assert "Gesundheit, Pflege &amp; Leben im Alter: 2 Maßnahmen" in everything
    found = client.get(reverse("toolbox_exchange"), {"q": "Landärzte"}).content.decode()
    assert "Maßnahme: Stipendium für Landärztinnen" in found
    assert f'data-exchange-commune="{world.other_commune.pk}"' in found
    assert f'data-exchange-commune="{world.commune.pk}"' not in found
    nothing = client.get(reverse("toolbox_exchange"), {"q": "Seilbahn"}).content.decode()
    assert "data-exchange-commune" not in nothing
    assert "Keine Kommune hat dazu einen SWOT-Punkt, ein Ziel oder eine Maßnahme." in nothing


def test_exchange_reads_all_communes_in_constant_queries(world, login,
                                                         django_assert_max_num_queries):
    from tests.plan.conftest import goal, measure

    for commune in (world.commune, world.other_commune):
        measure(commune, goal(commune, "Ziel"), "Maßnahme")
        weakness(commune, "Ärztemangel", "Gesundheit, Pflege & Leben im Alter")
    client = login(world, "programme_office")
    with django_assert_max_num_queries(14):
        client.get(reverse("toolbox_exchange"), {"q": "Arzt"})


def test_exchange_shows_only_the_offices_own_programmes(world, login):
    weakness(world.commune, "Ärztemangel", "Gesundheit, Pflege & Leben im Alter")
    body = login(world, "office_other_programme").get(reverse("toolbox_exchange")).content.decode()
    assert "data-exchange-commune" not in body and "Bergstadt" not in body


def test_returning_a_practice_needs_a_reason_and_records_it(world, login):
    practice = make_tool(title="Rückgabe", owner_commune=world.commune, publish=False)
    services.practice_submit(tool=practice, by=None)
    client = login(world, "programme_office")
    url = reverse("tool_return", args=[practice.slug])
    page = client.post(url, {"reason": "  "}, follow=True).content.decode()
    assert "Bitte geben Sie an, was noch geändert werden soll." in page
    assert Tool.objects.get(pk=practice.pk).status == "review"
    client.post(url, {"reason": "Bitte Kontakt ergänzen."})
    assert Tool.objects.get(pk=practice.pk).status == "draft"
    event = HistoryEvent.objects.filter(verb="toolbox.practice_returned").get()
    assert event.data["reason"] == "Bitte Kontakt ergänzen."
