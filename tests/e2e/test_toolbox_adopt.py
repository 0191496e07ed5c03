"""Good practice between communes, in the browser: a SWOT weakness → the recommended practice →
adopted into the Werkstattplan under a goal → the measure in the outline, "übernommen aus";
and a measure shared as good practice → submitted → approved by the programme office. Axe on
every page (no serious/critical findings); the recommendation opens by keyboard."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.helpers import fresh_commune, user
from tests.e2e.test_accessibility import axe_findings
from zwk.plan import services as plan_services
from zwk.profile import services as profile_services
from zwk.toolbox.loader import load_shipped_tools
from zwk.toolbox.models import Adoption, Tool, Topic

pytestmark = pytest.mark.e2e
HEALTH = "Gesundheit, Pflege & Leben im Alter"


@pytest.fixture
def shipped(demo):
    # Browser tests run on a flushed database: the migration's rows are gone, load them again.
    load_shipped_tools(Topic, Tool)


def _goal(commune, title):
    field = commune.action_fields.get(name=HEALTH)
    return plan_services.goal_create(commune=commune, by=user("koordination"),
                                     data={"action_field": field, "title": title})


def test_from_a_swot_weakness_to_a_measure_adopted_into_the_plan(page, login_as, shipped):
    commune = fresh_commune("Arztfeld", kind="gemeinde")
    commune.population = 3800
    commune.save()
    item = profile_services.swot_item_create(
        commune=commune, by=user("koordination"), data=profile_services.SwotData(
            quadrant="weakness", text="Hausärztemangel: Praxen finden keine Nachfolge",
            action_fields=[commune.action_fields.get(name=HEALTH)]))
    _goal(commune, "Hausärztliche Versorgung sichern")
    login_as(page, "coordinator")
    page.goto(reverse("profile_swot", args=[commune.pk]))
    findings = axe_findings(page, "SWOT page")
    weakness = page.locator(f"#punkt-{item.pk}")
    summary = weakness.locator("summary")
    expect(summary).to_contain_text("passende Werkzeuge")
    summary.focus()
    page.keyboard.press("Enter")  # the recommendations open by keyboard
    recommended = weakness.get_by_role("link", name="Rezeptbriefkasten an der Hausarztpraxis")
    expect(recommended).to_be_visible()
    expect(weakness).to_contain_text("passt zum Thema Gesundheit und Pflege")
    findings += axe_findings(page, "SWOT page, recommendations open")
    recommended.click()
    expect(page.locator("main h1")).to_have_text("Rezeptbriefkasten an der Hausarztpraxis")
    findings += axe_findings(page, "practice page")
    page.get_by_label("Unter welchem Ziel?").select_option(label="Hausärztliche Versorgung sichern")
    page.get_by_label("Titel der neuen Maßnahme").fill("Rezeptbriefkasten am Dorfplatz")
    page.get_by_role("button", name="In den Werkstattplan übernehmen").click()
    expect(page.get_by_text(re.compile("steht jetzt als Maßnahme im Werkstattplan von "
                                       "Arztfeld"))).to_be_visible()
    box = page.get_by_role("region", name="Werkzeugkoffer")
    expect(box).to_contain_text("übernommen aus:")
    expect(box.get_by_role("link", name="Rezeptbriefkasten an der Hausarztpraxis")).to_be_visible()
    findings += axe_findings(page, "adopted measure")
    page.goto(reverse("plan_outline", args=[commune.pk]))
    expect(page.locator("main")).to_contain_text("Maßnahme: Rezeptbriefkasten am Dorfplatz")
    field = page.locator("section", has=page.get_by_role("heading", name=re.compile(HEALTH)))
    expect(field.locator(".toolbox-adopted")).to_contain_text(
        "Rezeptbriefkasten am Dorfplatz – übernommen aus Rezeptbriefkasten an der Hausarztpraxis")
    findings += axe_findings(page, "plan outline")
    assert not findings, "\n".join(findings)
    adoption = Adoption.objects.get(commune=commune, tool__slug="rezeptbriefkasten")
    assert adoption.measure.title == "Rezeptbriefkasten am Dorfplatz"


def test_a_measure_shared_as_good_practice_and_approved_by_the_office(make_page, login_as,
                                                                     shipped):
    commune = fresh_commune("Pflegetal", kind="gemeinde")
    commune.population = 5200
    commune.save()
    measure = plan_services.measure_create(
        commune=commune, by=user("koordination"), data={
            "goal": _goal(commune, "Pflege im Ort halten"), "title": "Pflegelotsen im Ehrenamt",
            "description": "Geschulte Ehrenamtliche beraten Angehörige.",
            "target_groups": "Pflegende Angehörige", "lead": "Seniorenbüro, Herr Lotz",
            "status": plan_services.statuses_ensure(programme=commune.programme)[0]})
    page = make_page(viewport={"width": 360, "height": 800})  # a phone
    login_as(page, "coordinator")
    page.goto(reverse("plan_measure_edit", args=[commune.pk, measure.pk]))
    findings = axe_findings(page, "measure page")
    page.get_by_role("link", name="Als gute Praxis teilen").click()
    expect(page.get_by_label("Titel")).to_have_value("Pflegelotsen im Ehrenamt")
    expect(page.get_by_label("Kontakt für andere Kommunen")).to_have_value(
        "Seniorenbüro, Herr Lotz")
    findings += axe_findings(page, "share form")
    page.get_by_role("button", name="Entwurf speichern").click()
    expect(page.locator(".form-errors")).to_be_visible()  # the outcome is still missing
    page.get_by_label("Ergebnis: Was hat die Maßnahme bewirkt?").fill(
        "40 Familien beraten, zwei Umzüge ins Heim vermieden.")
    page.get_by_role("button", name="Entwurf speichern").click()
    expect(page.locator("main h1")).to_have_text("Pflegelotsen im Ehrenamt")
    expect(page.locator(".notice")).to_contain_text("nur für Pflegetal und die Geschäftsstelle")
    page.get_by_role("button", name="Zur Prüfung einreichen").click()
    expect(page.get_by_text("Das Praxisbeispiel ist zur Prüfung eingereicht.")).to_be_visible()
    findings += axe_findings(page, "practice draft")
    office = make_page(viewport={"width": 1280, "height": 900})
    login_as(office, "programme-office")
    office.goto(reverse("toolbox_review"))
    office.get_by_role("link", name="Pflegelotsen im Ehrenamt").first.click()
    office.get_by_role("button", name="Freigeben und veröffentlichen").click()
    expect(office.get_by_text("Das Werkzeug ist veröffentlicht.")).to_be_visible()
    page.goto(reverse("plan_measure_edit", args=[commune.pk, measure.pk]))
    box = page.get_by_role("region", name="Werkzeugkoffer")
    expect(box).to_contain_text("Als gute Praxis geteilt:")
    expect(box).to_contain_text("veröffentlicht")
    assert page.evaluate("document.documentElement.scrollWidth "
                         "- document.documentElement.clientWidth") <= 0
    assert not findings, "\n".join(findings)
    assert Tool.objects.get(source_measure=measure).status == "published"
