"""Programme office in the browser: the usage overview of the Werkzeugkoffer (filter, table,
export link), a search with an umlaut spelled "ue" and a typed prefix, and the tool form's
formatting help; the exchange found by a plan measure, also at 360 px; axe on each page (no
serious/critical findings)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import fresh_commune, user
from tests.e2e.test_accessibility import axe_findings
from zwk.toolbox import services
from zwk.toolbox.loader import load_shipped_tools
from zwk.toolbox.models import Tool, Topic

pytestmark = pytest.mark.e2e


@pytest.fixture
def shipped(demo):
    # Browser tests run on a flushed database: the migration's rows are gone, load them again.
    load_shipped_tools(Topic, Tool)


def test_office_sees_where_tools_are_used_and_searches(page, login_as, shipped):
    commune = fresh_commune("Nutzungsdorf")
    services.tool_adopt(tool=Tool.objects.get(slug="world-cafe"), commune=commune,
                        by=user("koordination"), note="")
    login_as(page, "programme-office")
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    nav.get_by_role("link", name="Werkzeugkoffer").click()
    page.get_by_role("link", name="Nutzung", exact=True).click()
    expect(page.locator("main h1")).to_have_text("Nutzung des Werkzeugkoffers")
    findings = axe_findings(page, "usage")
    page.get_by_label("Übernommen").select_option("ja")
    page.get_by_role("button", name="Anzeigen").click()
    row = page.locator("tr[data-usage-tool='world-cafe']")
    expect(row).to_contain_text("Nutzungsdorf")
    expect(row.locator("td.num")).to_have_text("1")
    expect(page.get_by_role("link", name="Excel (XLSX)")).to_have_attribute(
        "href", re.compile(r"^/werkzeugkoffer/nutzung/export\.xlsx\?.*genutzt=ja"))
    findings += axe_findings(page, "usage filtered")

    nav.get_by_role("link", name="Werkzeugkoffer").click()
    page.get_by_label("Suchbegriff").fill("Buergerbeteiligung")
    page.get_by_role("button", name="Suchen").click()
    expect(page.locator("#results-heading")).not_to_have_text("0 Werkzeuge")
    page.get_by_label("Suchbegriff").fill("Zukunftswerk")      # a prefix, as while typing
    page.get_by_role("button", name="Suchen").click()
    expect(page.locator("ul.card-list").get_by_role(
        "link", name="Zukunftswerkstatt nach Robert Jungk")).to_be_visible()
    findings += axe_findings(page, "search")

    page.get_by_role("link", name="Werkzeug anlegen").click()
    page.get_by_text("Formatierung: so gestalten Sie Texte ohne HTML").click()
    expect(page.locator("#format-help")).to_contain_text("[Linktext](https://www.beispiel.de)")
    expect(page.get_by_label("Kurzbeschreibung")).to_have_attribute(
        "aria-describedby", "id_summary_helptext")
    findings += axe_findings(page, "tool form with format help")
    assert not findings, "\n".join(findings)


def test_office_finds_partners_by_what_their_plans_do(page, login_as, shipped):
    from tests.plan.conftest import goal, measure

    commune = fresh_commune("Partnerdorf")
    health = commune.action_fields.get(name="Gesundheit, Pflege & Leben im Alter")
    measure(commune, goal(commune, "Hausärzte halten", field=health),
            "Stipendium für Landärztinnen")
    login_as(page, "programme-office")
    page.goto("/werkzeugkoffer/austausch/")
    expect(page.locator("main h1")).to_have_text("Austausch der Kommunen")
    findings = axe_findings(page, "exchange")
    page.get_by_label("Wer arbeitet noch an …?").fill("Landärzte")
    page.get_by_role("button", name="Suchen").click()
    found = page.locator(f"li[data-exchange-commune='{commune.pk}']")
    expect(found).to_contain_text("Maßnahme: Stipendium für Landärztinnen")
    expect(found).to_contain_text("Gesundheit, Pflege & Leben im Alter: 1 Maßnahme")
    findings += axe_findings(page, "exchange search")
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth <= 360")
    assert not findings, "\n".join(findings)
