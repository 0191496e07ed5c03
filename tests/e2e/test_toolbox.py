"""Werkzeugkoffer in the browser: search → tool page, and a SWOT weakness → a recommended
practice that the commune adopts; axe on every page (no serious/critical findings)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import fresh_commune, user
from tests.e2e.test_accessibility import axe_findings
from zwk.profile import services as profile_services
from zwk.toolbox.loader import load_shipped_tools
from zwk.toolbox.models import Adoption, Tool, Topic

pytestmark = pytest.mark.e2e


@pytest.fixture
def shipped(demo):
    # Browser tests run on a flushed database: the migration's rows are gone, load them again.
    load_shipped_tools(Topic, Tool)


def test_search_finds_housing_tools_and_opens_a_tool_page(page, login_as, shipped):
    login_as(page, "team-member")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Werkzeugkoffer").click()
    expect(page.locator("main h1")).to_have_text("Werkzeugkoffer")
    findings = axe_findings(page, "index")
    page.get_by_label("Suchbegriff").fill("Wohnung")
    page.get_by_label("Prozessschritt").select_option("plan")
    page.get_by_role("button", name="Suchen").click()
    results = page.locator("ul.card-list")
    expect(results.get_by_role("link", name="Wohnberatung für barrierearmes Wohnen")).to_be_visible()
    expect(results.get_by_role("link", name="Auftaktveranstaltung mit der Verwaltungsspitze")
           ).to_have_count(0)
    findings += axe_findings(page, "results")
    results.get_by_role("link", name="Wohnberatung für barrierearmes Wohnen").click()
    expect(page.locator("main h1")).to_have_text("Wohnberatung für barrierearmes Wohnen")
    expect(page.get_by_role("heading", name="Verwandte Werkzeuge")).to_be_visible()
    findings += axe_findings(page, "tool page")
    assert not findings, "\n".join(findings)


def test_swot_weakness_leads_to_a_practice_the_commune_adopts(page, login_as, shipped):
    commune = fresh_commune("Arztfeld", kind="gemeinde")
    commune.population = 3800
    commune.save()
    health = commune.action_fields.get(name="Gesundheit, Pflege & Leben im Alter")
    profile_services.swot_item_create(
        commune=commune, by=user("koordination"), data=profile_services.SwotData(
            quadrant="weakness", text="Hausärztemangel: Praxen finden keine Nachfolge",
            action_fields=[health]))
    login_as(page, "coordinator")
    page.goto(f"/kommunen/{commune.pk}/schritte/profile/")
    page.get_by_role("link", name="Empfehlungen zur SWOT Ihrer Kommune").click()
    expect(page.get_by_role("heading", name=re.compile("Hausärztemangel"))).to_be_visible()
    findings = axe_findings(page, "recommendations")
    page.get_by_role("link", name="Rezeptbriefkasten an der Hausarztpraxis").click()
    page.get_by_label("Für welche Kommune?").select_option(label="Arztfeld")
    page.get_by_label("Notiz (optional)").fill("Start mit der Praxis am Markt")
    page.get_by_role("button", name="Für meine Kommune übernehmen").click()
    expect(page.get_by_text("Die Übernahme ist für Arztfeld vermerkt.")).to_be_visible()
    expect(page.get_by_text("1 Kommune hat dieses Werkzeug übernommen:")).to_be_visible()
    findings += axe_findings(page, "tool page after adoption")
    assert not findings, "\n".join(findings)
    assert Adoption.objects.filter(commune=commune, tool__slug="rezeptbriefkasten").exists()
