"""Monitoring in the browser: record progress, plan a milestone → both on the timeline →
Zwischenbilanz → indicator from the Kommunalprofil → revised version → comparison → review PDF;
axe on every page."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import commune as demo_commune
from tests.e2e.test_accessibility import axe_findings
from tests.plan.conftest import goal, measure
from zwk.plan import services
from zwk.plan.models import IndicatorMeasurement, Measure, PlanVersion, Review

pytestmark = pytest.mark.e2e


def test_progress_timeline_review_indicator_pdf(page, login_as):
    kreis = demo_commune("Hochsauerlandkreis")     # the demo coordinator's, with synthetic data
    g = goal(kreis, "Älter werden im Sauerland", indicator_key="altenquotient",
             baseline_value=Decimal("40"), baseline_year=2020, target_value=Decimal("38"))
    m = measure(kreis, g, "Dorfcafé #1 [neu]", key="umsetzung", start=dt.date(2025, 1, 1),
                end=dt.date(2026, 12, 31))
    services.plan_adopt(commune=kreis, label="Werkstattplan", adopted_on=dt.date(2025, 1, 15),
                        resolution="KT 1/25", by=None)
    login_as(page, "coordinator")
    findings = []

    # 1. A progress entry sets the measure's progress and shows in log, chart and table.
    page.goto(f"/kommunen/{kreis.pk}/werkstattplan/massnahmen/{m.pk}/")
    page.get_by_label("Datum").fill("2025-05-02")
    page.get_by_label("Fortschritt in %", exact=True).last.fill("40")
    page.get_by_label("Was ist passiert?").fill("Raum *gefunden*")
    page.get_by_role("button", name="Festhalten").click()
    expect(page.get_by_text("Der Fortschritt ist festgehalten.")).to_be_visible()
    expect(page.get_by_text("Aktueller Fortschritt: 40 %.")).to_be_visible()
    expect(page.get_by_role("table", name="Daten: Fortschritt im Zeitverlauf")).to_contain_text(
        "02.05.2025")
    assert Measure.objects.get(pk=m.pk).progress == 40
    findings += axe_findings(page, "measure with progress log")

    # 1b. A planned milestone: listed with its due date, hollow on the timeline.
    due = dt.date.today() + dt.timedelta(days=20)
    page.get_by_label("Meilenstein", exact=True).fill("Eröffnung")
    page.get_by_label("Geplant bis").fill(due.isoformat())
    page.get_by_role("button", name="Meilenstein planen").click()
    expect(page.get_by_text("Der Meilenstein ist geplant.")).to_be_visible()
    expect(page.locator(".milestones li")).to_contain_text(
        f"Eröffnung – geplant bis {due:%d.%m.%Y}")
    findings += axe_findings(page, "measure with a planned milestone")

    # 2. The timeline marks it as a milestone (diamond on the bar, row in the table).
    page.goto(f"/kommunen/{kreis.pk}/werkstattplan/zeitplan/")
    expect(page.get_by_role("table")).to_contain_text("40 % – Raum *gefunden* (02.05.2025)")
    expect(page.get_by_role("table")).to_contain_text(f"Eröffnung (geplant bis {due:%d.%m.%Y})")
    expect(page.get_by_role("img", name=re.compile("2 Meilensteine, davon 1 geplant"))) \
        .to_be_visible()
    findings += axe_findings(page, "timeline with milestones")

    # 3. Start the Zwischenbilanz and record a state.
    page.get_by_role("link", name="Zwischenbilanz", exact=True).click()
    page.get_by_label("Datum").fill("2025-06-30")
    findings += axe_findings(page, "reviews")
    page.get_by_role("button", name="Beginnen").click()
    expect(page.locator("main h1")).to_have_text("Zwischenbilanz")
    page.get_by_label("Hindernisse: Dorfcafé #1 [neu]").fill("Kein Personal")
    page.get_by_role("button", name="Stand speichern").click()
    expect(page.get_by_text("Gespeichert.")).to_be_visible()

    # 4. Take the indicator over from the Kommunalprofil; a second time is refused.
    take = page.get_by_role("button", name=re.compile("Aus dem Kommunalprofil übernehmen"))
    take.click()
    expect(page.get_by_text(re.compile(r"Aus dem Kommunalprofil übernommen: .* \(Stand "
                                       r"31\.12\.2023\)"))).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Letzte Messung"))).to_contain_text(
        "Kommunalprofil, Datenstand 2023")
    page.get_by_role("button", name=re.compile("Aus dem Kommunalprofil übernehmen")).click()
    expect(page.get_by_text("Für 2023 gibt es schon eine Messung")).to_be_visible()
    assert IndicatorMeasurement.objects.filter(goal=g).count() == 1
    expect(page.get_by_role("region", name="Bevölkerung: tatsächlich und vorausberechnet")) \
        .to_contain_text("Vorausberechnung „Basisvariante“ mit Basisjahr 2023")
    findings += axe_findings(page, "review with indicator and population")

    # 5. Finish: the revised version is frozen.
    page.get_by_label(re.compile("Beschluss-Nr")).fill("KT 9/25")
    page.get_by_role("button", name="Fortschreibung beschließen").click()
    expect(page.get_by_role("link", name="Fortschreibung: Fassung 2")).to_be_visible()
    assert Review.objects.get(commune=kreis).revised_version == PlanVersion.objects.get(
        commune=kreis, number=2)

    # The revision compared with the baseline on screen.
    page.get_by_role("link", name="mit früherer Fassung vergleichen").click()
    expect(page.locator("main")).to_contain_text("Dorfcafé #1 [neu]")
    expect(page.locator("main")).to_contain_text("Fortschritt in %")
    findings += axe_findings(page, "compare baseline and revision")
    page.go_back()

    # 6. The report compares baseline and revision.
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Bericht zur Zwischenbilanz")).click()
    assert download.value.suggested_filename == \
        "zwischenbilanz-hochsauerlandkreis-2025-06-30.pdf"
    from pypdf import PdfReader

    with open(download.value.path(), "rb") as handle:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    flat = " ".join(text.split())
    for expected in ("Zwischenbilanz", "30.06.2025", "Dorfcafé #1 [neu]", "Kein Personal",
                     "Altenquotient", "Bevölkerung und Vorausberechnung", "KT 9/25",
                     "Fortschreibung im Vergleich zum Ausgangsplan", "1. Werkstattplan"):
        assert expected in flat, expected
    assert not findings, "axe found serious/critical problems:\n" + "\n".join(findings)
