"""Werkstattplan in the browser: take over workshop results, build, adopt, download, publish."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import fresh_commune
from tests.e2e.test_accessibility import axe_findings
from tests.plan.conftest import workshop_candidates
from zwk.plan.models import Measure, PlanVersion

pytestmark = pytest.mark.e2e


def test_take_over_build_adopt_download_publish(page, login_as):
    commune = fresh_commune("Planhausen")
    workshop_candidates(commune)
    login_as(page, "coordinator")
    findings = []

    page.goto(f"/kommunen/{commune.pk}/schritte/plan/")
    page.get_by_role("link", name="Zum Werkstattplan").click()
    expect(page.locator("main h1")).to_have_text("Werkstattplan")
    findings += axe_findings(page, "outline (empty)")

    page.get_by_role("link", name=re.compile("Aus Werkstatt und SWOT übernehmen")).click()
    expect(page.get_by_label(re.compile("Dorfcafé"))).to_be_checked()
    findings += axe_findings(page, "take-over")
    page.get_by_role("button", name="Übernehmen").click()
    expect(page.get_by_text("Übernommen: 1 Ziele und 1 Maßnahmen.")).to_be_visible()
    expect(page.get_by_text("Ziel: Treffpunkte")).to_be_visible()

    page.get_by_role("link", name=re.compile(r"bearbeiten\W*Dorfcafé")).click()
    page.get_by_label("Federführung").fill("Bürgerbüro")
    page.get_by_label("Beginn").fill("2025-04-01")
    page.get_by_label("Ende").fill("2026-03-31")
    page.locator("#id_status").select_option(label="in Umsetzung")
    findings += axe_findings(page, "measure form")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("in Umsetzung · 50 % · Bürgerbüro")).to_be_visible()
    assert Measure.objects.get(commune=commune).lead == "Bürgerbüro"

    page.get_by_role("link", name="Zeitplan", exact=True).click()
    expect(page.get_by_role("table")).to_contain_text("01.04.2025")
    findings += axe_findings(page, "timeline")

    page.get_by_role("link", name="Fassungen", exact=True).click()
    page.get_by_label(re.compile("Beschluss-Nr")).fill("GR 2025/17")
    findings += axe_findings(page, "versions")
    page.get_by_role("button", name="Fassung beschließen").click()
    expect(page.get_by_text("Fassung 1 ist beschlossen und eingefroren.")).to_be_visible()
    assert PlanVersion.objects.get(commune=commune).resolution == "GR 2025/17"

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF herunterladen").click()
    assert download.value.suggested_filename == "werkstattplan-planhausen.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    page.get_by_role("link", name="Fassungen", exact=True).click()
    page.get_by_role("button", name="Öffentlich zeigen").click()
    page.get_by_role("link", name="öffentliche Seite ansehen").click()
    expect(page.get_by_role("table")).to_contain_text("Dorfcafé")
    findings += axe_findings(page, "public page")
    assert not findings, "axe found serious/critical problems:\n" + "\n".join(findings)
