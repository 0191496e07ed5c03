"""The qualitative Kommunalprofil in the browser: inventory → interview → SWOT proposals from
synthetic data → accept (by keyboard) → comment → approval → step-2 checklist; axe and 360 px."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.e2e.helpers import horizontal_overflow

pytestmark = pytest.mark.e2e

BLOCKING = {"serious", "critical"}
KREIS_FILES = ("12411-04-02-4", "12612-93", "12613-93", "12711-01-03-4")


@pytest.fixture
def kreis(transactional_db, tmp_path, settings):
    """A Kreis (AGS 05958) with synthetic data, a coordinator and a consultant."""
    from tests.factories import PASSWORD, ProgrammeFactory, UserFactory, add_member, make_commune
    from zwk.communes.models import Membership
    from zwk.demography.synthetic import write_demo_files
    from zwk.profile.data import data_source_add

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path / "media"}}}
    programme = ProgrammeFactory(name="Profilprogramm")
    commune = make_commune(programme, name="Hochsauerlandkreis", kind="kreis", ags="05958")
    coordinator = UserFactory(username="koordinatorin")
    consultant = UserFactory(username="beraterin")
    add_member(commune, coordinator, Membership.Role.COORDINATOR)
    add_member(commune, consultant, Membership.Role.CONSULTANT)
    for path in write_demo_files(tmp_path / "demo"):
        if path.name.startswith(KREIS_FILES):
            data_source_add(commune=commune, name=path.name, content=path.read_bytes(),
                            by=coordinator)
    return {"commune": commune, "password": PASSWORD, "coordinator": coordinator.username,
            "consultant": consultant.username}


def base(kreis) -> str:
    return f"/kommunen/{kreis['commune'].pk}/profil/"


def axe_findings(page, label: str) -> list[str]:
    lines = []
    for violation in Axe().run(page).response["violations"]:
        if violation.get("impact") in BLOCKING:
            lines += [f"[{label}] {violation['id']}: {node['target']} {node['html'][:120]}"
                      for node in violation["nodes"]]
    return lines


def focused_text(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.textContent : ''")


def test_profile_flow_from_inventory_to_approval(page, kreis):
    url = base(kreis)
    findings = []
    login(page, kreis["coordinator"], kreis["password"])

    # Inventory: add an entry with a Handlungsfeld.
    page.goto(url + "bestandsaufnahme/")
    findings += axe_findings(page, "inventory (empty)")
    page.get_by_role("link", name="Eintrag hinzufügen").click()
    page.get_by_label("Titel").fill("Bürgerbus Oberes Sauerland")
    page.get_by_label("Art").select_option("project")
    page.get_by_label("Mobilität & Erreichbarkeit").check()
    page.get_by_label("Verantwortlich (Stelle oder Einrichtung)").fill("Fachbereich Mobilität")
    findings += axe_findings(page, "inventory form")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Der Eintrag ist gespeichert.")).to_be_visible()
    expect(page.get_by_role("heading", name="Bürgerbus Oberes Sauerland")).to_be_visible()
    findings += axe_findings(page, "inventory")

    # Interview with one key statement.
    page.get_by_role("link", name="Interviews").first.click()
    expect(page.get_by_text("Erfassen Sie keine Namen")).to_be_visible()
    findings += axe_findings(page, "interviews")
    page.get_by_role("link", name="Interview erfassen").click()
    page.get_by_label("Rolle oder Institution").fill("Leitung Hausarztpraxis")
    page.get_by_label("Datum").fill("2024-03-12")
    page.get_by_role("button", name="Interview speichern").click()
    page.locator("#id_action_field").select_option(label="Gesundheit, Pflege & Leben im Alter")
    page.get_by_role("textbox", name="Kernaussage").fill("Nachfolge für Praxen auf dem Land fehlt")
    findings += axe_findings(page, "interview form")
    page.get_by_role("button", name="Kernaussage hinzufügen").click()
    expect(page.get_by_text("Die Kernaussage ist gespeichert.")).to_be_visible()
    expect(page.locator(".statements")).to_contain_text("Nachfolge für Praxen")

    # SWOT: proposals from the data, accepted and dismissed by keyboard only.
    page.goto(url + "swot/")
    refresh = page.get_by_role("button", name="Vorschläge aus den Daten abrufen")
    refresh.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"neue Vorschläge aus den Daten"))).to_be_visible()
    proposals = page.locator(".swot-proposals > li")
    count = proposals.count()
    assert count >= 3
    expect(proposals.first).to_contain_text("Beleg:")
    first_text = proposals.first.locator("strong").evaluate("n => n.nextSibling.textContent")
    page.get_by_role("button", name="Vorschläge aus den Daten abrufen").focus()
    page.keyboard.press("Tab")
    assert focused_text(page).startswith("Übernehmen")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Übernommen:")).to_be_visible()
    expect(page.locator(".swot-grid")).to_contain_text(first_text.strip())
    page.get_by_role("button", name="Vorschläge aus den Daten abrufen").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused_text(page).startswith("Verwerfen")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Verworfen:")).to_be_visible()
    expect(page.locator(".swot-proposals > li")).to_have_count(count - 2)
    findings += axe_findings(page, "swot")

    # Texts, a comment, approval.
    page.goto(url + "texte/")
    page.get_by_label("Lage und Geografie").fill("Mittelgebirge im Osten von NRW.")
    page.get_by_role("button", name="Texte speichern").click()
    expect(page.get_by_text("Die Texte sind gespeichert.")).to_be_visible()
    expect(page.locator("#candidates-heading + p + ul")).not_to_be_empty()
    page.get_by_label("Abschnitt").select_option(label="SWOT")
    page.get_by_role("textbox", name="Kommentar").fill("Chancen aus dem Tourismus ergänzen")
    page.get_by_role("button", name="Kommentar speichern").click()
    expect(page.locator(".comments")).to_contain_text("Chancen aus dem Tourismus")
    findings += axe_findings(page, "document")
    page.get_by_role("button", name="Kommunalprofil freigeben").click()
    expect(page.get_by_text("Das Kommunalprofil ist freigegeben.")).to_be_visible()
    expect(page.locator(".page-head")).to_contain_text("Profil freigegeben")
    findings += axe_findings(page, "document approved")

    # The step-2 checklist shows the approval as done.
    page.goto(f"/kommunen/{kreis['commune'].pk}/schritte/profile/")
    row = page.locator(".check-row", has_text="Die Koordination hat das Profil freigegeben")
    expect(row).to_have_class(re.compile(r"\bis-done\b"))
    assert not findings, "axe found serious/critical problems:\n" + "\n".join(findings)


def test_phone_width_without_horizontal_overflow(make_page, kreis):
    from zwk.profile import services as s

    commune = kreis["commune"]
    s.inventory_create(commune=commune, by=None, data=s.InventoryData(
        title="Ein sehr langer Titel einer Maßnahme zur Gesundheitsversorgung im ländlichen "
              "Raum", url="https://example.org/" + "x" * 120))
    s.swot_proposals_refresh(commune=commune, by=None)
    page = make_page(viewport={"width": 360, "height": 740})
    login(page, kreis["consultant"], kreis["password"])
    url = base(kreis)
    for path in ("bestandsaufnahme/", "bestandsaufnahme/neu/", "interviews/",
                 "interviews/neu/", "swot/", "texte/"):
        page.goto(url + path)
        expect(page.locator("main h1")).to_be_visible()
        assert horizontal_overflow(page) == 0, path
    # The SWOT stacks to one column on a phone.
    quadrants = page.locator(".swot-quadrant")
    page.goto(url + "swot/")
    boxes = [quadrants.nth(i).bounding_box() for i in range(4)]
    assert len({round(b["x"]) for b in boxes}) == 1
