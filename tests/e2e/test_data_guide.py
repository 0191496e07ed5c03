"""Getting data in, in the browser (issue 11, item 5): from the data page to the guide, the
register template downloaded, "Nur prüfen" with it (what would load, nothing stored), by
keyboard; axe on the guide with the result; no sideways scrolling on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import commune, horizontal_overflow
from tests.e2e.test_accessibility import axe_findings
from zwk.profile.models import DataSource

pytestmark = pytest.mark.e2e


def test_guide_template_and_check_only(page, login_as, tmp_path):
    brilon = commune("Brilon")
    before = DataSource.objects.filter(commune=brilon).count()
    login_as(page, "programme-office")
    page.goto(f"/kommunen/{brilon.pk}/profil/daten/")
    page.get_by_role("link", name="Zur Anleitung mit Vorlage").click()
    expect(page.locator("main h1")).to_contain_text("beschaffen und prüfen")
    expect(page.get_by_role("row", name="12411-02-03-5")).to_contain_text("Gemeinde")
    expect(page.get_by_role("link", name="Regionaldatenbank Deutschland")).to_have_attribute(
        "href", "https://www.regionalstatistik.de/genesis/online")

    with page.expect_download() as info:
        page.get_by_role("link", name="Vorlage herunterladen").click()
    template = tmp_path / "vorlage.csv"
    info.value.save_as(template)
    assert template.read_bytes().decode("utf-8-sig").startswith(
        "ags;name;jahr;geschlecht;alter;anzahl\r\n05958012;")

    page.locator("#id_file").set_input_files(str(template))
    check = page.get_by_role("button", name="Nur prüfen")
    check.focus()
    page.keyboard.press("Enter")
    result = page.locator(".data-check")
    expect(result).to_contain_text("nichts gespeichert")
    expect(result).to_contain_text("Brilon (05958012)")
    expect(result).to_contain_text("eigene Daten der Kommune")
    expect(result.get_by_role("row", name="Bevölkerung nach Geschlecht und Alter")
           ).to_contain_text("6")
    assert DataSource.objects.filter(commune=brilon).count() == before
    findings = axe_findings(page, "Anleitung mit Prüfergebnis")
    assert not findings, "\n".join(findings)


def test_guide_on_a_phone(make_page, login_as):
    phone = make_page(viewport={"width": 360, "height": 740})
    brilon = commune("Brilon")
    login_as(phone, "programme-office")
    phone.goto(f"/kommunen/{brilon.pk}/profil/daten/anleitung/")
    expect(phone.locator("main h1")).to_be_visible()
    assert horizontal_overflow(phone) == 0
