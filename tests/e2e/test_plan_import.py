"""Werkstattplan in the browser: the office edits the statuses, a team member picks the links
of a measure (also on a 360 px phone), exports the plan as CSV, edits it, imports it again and
sees the change; a bad file shows the German messages and changes nothing. axe on every new
page."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import fresh_commune, horizontal_overflow, user
from tests.e2e.test_accessibility import axe_findings
from tests.plan.conftest import goal, measure, workshop_candidates
from zwk.communes import services as communes
from zwk.communes.models import Membership
from zwk.plan.models import Measure, MeasureStatus

pytestmark = pytest.mark.e2e


def plan_with_origins():
    from zwk.profile.models import InventoryEntry, SwotItem

    commune = fresh_commune("Importhausen")
    communes.membership_add(commune=commune, user=user("team"),
                            role=Membership.Role.TEAM_MEMBER, by=user("geschaeftsstelle"))
    workshop_candidates(commune)                          # card „Dorfcafé“ in „Treffpunkte“
    SwotItem.objects.create(commune=commune, quadrant="weakness", text="Wenig Treffpunkte",
                            status="accepted")
    InventoryEntry.objects.create(commune=commune, title="Seniorenbüro im Rathaus")
    g = goal(commune, "Begegnung stärken")
    m = measure(commune, g, "Bürgercafé einrichten", lead="Sozialamt")
    measure(commune, g, "Nachbarschaftshilfe")
    return commune, m


def test_statuses_links_export_edit_import(make_page, login_as):
    commune, m = plan_with_origins()
    findings: list[str] = []

    # the programme office edits the statuses
    office = make_page(viewport={"width": 1280, "height": 900})
    login_as(office, "programme-office")
    office.goto(f"/programm/{commune.programme.slug}/")
    office.get_by_role("link", name="Status der Maßnahmen").click()
    expect(office.locator("main h1")).to_have_text("Status der Maßnahmen")
    expect(office.get_by_text("ändert sich sofort der Fortschritt aller Maßnahmen")).to_be_visible()
    findings += axe_findings(office, "statuses")
    office.get_by_role("link", name=re.compile(r"^Bearbeiten\W+in Umsetzung")).click()
    findings += axe_findings(office, "status form")
    office.get_by_label("Fortschritt in % (Vorgabe)").fill("60")
    office.get_by_role("button", name="Speichern").click()
    expect(office.get_by_role("row", name=re.compile("in Umsetzung"))).to_contain_text("60 %")
    office.get_by_label("Name").fill("in Prüfung")
    office.get_by_label("Fortschritt in % (Vorgabe)").fill("150")
    office.get_by_role("button", name="Status anlegen").click()
    expect(office.get_by_text("Der Fortschritt muss zwischen 0 und 100 liegen.")).to_be_visible()
    findings += axe_findings(office, "statuses with error")
    office.get_by_label("Fortschritt in % (Vorgabe)").fill("5")
    office.get_by_role("button", name="Status anlegen").click()
    expect(office.get_by_text("Der Status „in Prüfung“ ist angelegt.")).to_be_visible()
    office.get_by_role("button", name=re.compile(r"^Zurückziehen\W+gestoppt")).click()
    expect(office.get_by_role("row", name=re.compile("gestoppt"))).to_contain_text("zurückgezogen")
    programme = commune.programme
    assert MeasureStatus.objects.get(programme=programme, key="umsetzung").default_progress == 60
    assert not MeasureStatus.objects.get(programme=programme, key="gestoppt").is_active

    # a team member picks the origins of a measure
    page = make_page(viewport={"width": 1280, "height": 900})
    login_as(page, "team-member")
    page.goto(f"/kommunen/{commune.pk}/werkstattplan/massnahmen/{m.pk}/")
    expect(page.get_by_role("group", name="Woher kommt die Maßnahme?")).to_be_visible()
    expect(page.locator("#id_status")).not_to_contain_text("gestoppt")
    page.get_by_label("Dorfcafé").check()
    page.get_by_label("Wenig Treffpunkte").check()
    page.get_by_label("Seniorenbüro im Rathaus").check()
    page.locator("#id_status").select_option(label="in Prüfung")
    findings += axe_findings(page, "measure form with link picker")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("in Prüfung · 5 % · Sozialamt")).to_be_visible()
    m.refresh_from_db()
    assert [c.text for c in m.cards.all()] == ["Dorfcafé"]
    assert [s.text for s in m.swot_items.all()] == ["Wenig Treffpunkte"]
    assert [e.title for e in m.inventory_entries.all()] == ["Seniorenbüro im Rathaus"]

    # the picker on a 360 px phone: no sideways scrolling, boxes reachable by keyboard
    phone = make_page(viewport={"width": 360, "height": 740})
    login_as(phone, "team-member")
    phone.goto(f"/kommunen/{commune.pk}/werkstattplan/massnahmen/{m.pk}/")
    expect(phone.get_by_label("Dorfcafé")).to_be_checked()
    assert horizontal_overflow(phone) == 0
    phone.get_by_label("Seniorenbüro im Rathaus").focus()
    phone.keyboard.press("Space")
    expect(phone.get_by_label("Seniorenbüro im Rathaus")).not_to_be_checked()

    # export CSV, change a title and a date in the "spreadsheet", import again
    page.goto(f"/kommunen/{commune.pk}/werkstattplan/tabelle/")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    with open(download.value.path(), encoding="utf-8-sig") as exported:
        table = list(csv.reader(exported, delimiter=";"))
    header = table[0]
    row = next(r for r in table if r[header.index("ID")] == f"M{m.pk}")
    assert row[header.index("Karten (IDs)")].startswith("K")
    row[header.index("Titel")] = "Bürgercafé im Rathaus"
    row[header.index("Ende")] = "31.12.2026"
    page.get_by_role("link", name="Gliederung", exact=True).click()
    page.get_by_role("link", name="Importieren (CSV/XLSX)").click()
    findings += axe_findings(page, "import page")
    page.get_by_label("Datei (CSV oder XLSX)").set_input_files(
        files=[{"name": "plan.csv", "mimeType": "text/csv", "buffer": to_csv(table)}])
    page.get_by_role("button", name="Importieren").click()
    result = page.locator("#import-ergebnis")
    expect(result).to_contain_text("1 geändert")
    expect(result).to_contain_text("2 unverändert")
    expect(result).to_contain_text("Bürgercafé im Rathaus")
    findings += axe_findings(page, "import result")
    page.get_by_role("link", name="Zum Werkstattplan").click()
    expect(page.get_by_text("Bürgercafé im Rathaus")).to_be_visible()
    m.refresh_from_db()
    assert m.end.isoformat() == "2026-12-31" and m.cards.count() == 1

    # a bad file: German messages per row, nothing changed
    row[header.index("Titel")] = "Sollte nicht ankommen"
    row[header.index("Beginn")] = "morgen"
    table.append(["Maßnahme", "", row[header.index("Handlungsfeld")], "Z999999", "Neu"]
                 + [""] * (len(header) - 5))
    page.goto(f"/kommunen/{commune.pk}/werkstattplan/import/")
    page.get_by_label("Datei (CSV oder XLSX)").set_input_files(
        files=[{"name": "plan.csv", "mimeType": "text/csv", "buffer": to_csv(table)}])
    page.get_by_role("button", name="Importieren").click()
    errors = page.get_by_role("alert")
    expect(errors).to_contain_text("Die Datei wurde nicht übernommen, es wurde nichts geändert")
    expect(errors).to_contain_text("„morgen“ ist kein Datum (TT.MM.JJJJ, z. B. 31.12.2026).")
    expect(errors).to_contain_text("Das Ziel „Z999999“ gibt es weder in der Datei noch in dieser "
                                   "Kommune.")
    findings += axe_findings(page, "import errors")
    assert Measure.objects.get(pk=m.pk).title == "Bürgercafé im Rathaus"
    assert Measure.objects.filter(commune=commune).count() == 2
    assert not findings, "axe found serious/critical problems:\n" + "\n".join(findings)


def to_csv(table) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(table)
    return buffer.getvalue().encode("utf-8")
