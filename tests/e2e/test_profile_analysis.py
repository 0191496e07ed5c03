"""The analysis half of the Kommunalprofil in the browser: upload → pyramid and its table →
scenario → result → PDF; axe on every analysis page; a phone without sideways scrolling."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import commune, demo_programme, horizontal_overflow
from tests.e2e.test_accessibility import axe_findings
from zwk.profile import data
from zwk.profile.models import DataSource

pytestmark = pytest.mark.e2e

EVENTS = ("12612-93-01-4_flat.csv", "12613-93-01-4_flat.csv", "12711-01-03-4_flat.csv")
POPULATION = "12411-04-02-4_flat.csv"


def chart(page, key: str):
    return page.locator(f'.zwk-chart[data-spec-id="spec-{key}"]')


def test_upload_pyramid_scenario_pdf(page, login_as, tmp_path):
    kreis = commune("Hochsauerlandkreis")
    for source in list(kreis.data_sources.all()):      # start without population data
        data.data_source_remove(source=source, by=None)
    files = dict(data.demo_files())
    for name in EVENTS:
        data.data_source_add(commune=kreis, name=name, content=files[name], by=None)
    upload = tmp_path / POPULATION
    upload.write_bytes(files[POPULATION])

    login_as(page, "coordinator")
    page.goto(f"/kommunen/{kreis.pk}/profil/daten/")
    page.locator("#id_file").set_input_files(str(upload))
    page.get_by_role("button", name="Hochladen und prüfen").click()
    expect(page.locator(".message-success")).to_contain_text("ist geladen (2011–2023)")
    assert DataSource.objects.filter(commune=kreis, original_name=POPULATION).exists()

    page.get_by_role("link", name="Kennzahlen").click()
    pyramid = chart(page, "pyramide")
    expect(pyramid).to_have_attribute("data-zwk-state", "ready")
    expect(pyramid.locator("svg").first).to_be_visible()
    table = page.locator("#grafik-pyramide table")
    expect(table.locator("caption")).to_contain_text("Daten: Bevölkerung nach Alter")
    expect(table.locator("th[scope=col]").first).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"^Einwohner:innen"))).to_contain_text(
        "Seit")

    page.get_by_role("link", name="Prognose").click()
    page.get_by_label("Ausgangsvariante").select_option(label="Hohe Zuwanderung")
    page.get_by_label("Zieljahr").fill("2045")
    page.get_by_label("Geburtenniveau (Faktor)").fill("1,2")
    page.get_by_role("button", name="Berechnen").click()
    expect(page.locator(".result-summary")).to_contain_text("Einwohner:innen im Jahr 2045")
    expect(page.locator(".result-summary")).to_contain_text("Hohe Zuwanderung")
    expect(chart(page, "entwicklung")).to_have_attribute("data-zwk-state", "ready")

    page.get_by_label("Geburtenniveau (Faktor)").fill("-1")
    page.get_by_role("button", name="Berechnen").click()
    expect(page.locator(".field-error .error")).to_contain_text(
        "Der Fertilitätsfaktor muss größer als 0")

    page.get_by_role("link", name="Kennzahlen").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="PDF herunterladen").click()
    path = info.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_axe_on_analysis_pages(page, login_as):
    kreis, brilon = commune("Hochsauerlandkreis"), commune("Brilon")
    login_as(page, "programme-office")
    findings = []
    for label, path in (
            ("Kennzahlen Kreis", f"/kommunen/{kreis.pk}/profil/"),
            ("Kennzahlen Stadt", f"/kommunen/{brilon.pk}/profil/"),
            ("Daten", f"/kommunen/{kreis.pk}/profil/daten/"),
            ("Prognose", f"/kommunen/{brilon.pk}/profil/prognose/?preset=basis&horizon=2030"
                         "&fertility_factor=-1"),
            ("Städte", f"/kommunen/{kreis.pk}/profil/staedte/"),
            ("Synopse", f"/programm/{demo_programme().slug}/synopse/")):
        page.goto(path)
        expect(page.locator("main h1")).to_be_visible()
        for element in page.locator(".zwk-chart").all():
            expect(element).to_have_attribute("data-zwk-state", "ready")
        findings += axe_findings(page, label)
    assert not findings, "axe found serious/critical problems:\n" + "\n".join(findings)


def test_phone_width_has_no_page_overflow(make_page, login_as):
    phone = make_page(viewport={"width": 360, "height": 740})
    kreis = commune("Hochsauerlandkreis")
    login_as(phone, "coordinator")
    for path in (f"/kommunen/{kreis.pk}/profil/", f"/kommunen/{kreis.pk}/profil/prognose/",
                 f"/kommunen/{kreis.pk}/profil/daten/", f"/kommunen/{kreis.pk}/profil/staedte/"):
        phone.goto(path)
        for element in phone.locator(".zwk-chart").all():
            expect(element).to_have_attribute("data-zwk-state", "ready")
        assert horizontal_overflow(phone) == 0, path
