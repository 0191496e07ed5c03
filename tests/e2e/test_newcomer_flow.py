"""A coordinator new to ZWK takes a fresh commune through its Kick-Off, end to end."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import fresh_commune
from zwk.history.models import HistoryEvent as Event
from zwk.process.models import ChecklistTick, Meeting, Stage

pytestmark = pytest.mark.e2e

REQUIRED_BY_HAND = ("Die Verwaltungsspitze hat teilgenommen", "Die Steuerungsgruppe ist benannt",
                    "Die nächsten Termine sind vereinbart")
DERIVED = "Auftaktveranstaltung ist mit Protokoll dokumentiert"


def check_button(page, label: str):
    return page.locator("#checklist").get_by_role("button", name=label)


def test_coordinator_takes_a_fresh_commune_through_kickoff(page, make_page, login_as):
    commune = fresh_commune()
    kickoff = commune.stages.get(key="kickoff")

    # Start page → commune → Kick-Off.
    login_as(page, "coordinator")
    page.get_by_role("link", name=commune.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(commune.name)
    page.get_by_role("link", name=re.compile(r"Kick-Off")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("1. Kick-Off")

    # The gate lists what is missing ...
    gate = page.locator(".gate-missing")
    expect(gate).to_contain_text("Bis zum Abschluss fehlt noch:")
    for label in (DERIVED, *REQUIRED_BY_HAND):
        expect(gate.get_by_role("listitem").filter(has_text=label)).to_have_count(1)
    # ... and completing now is refused in German, changing nothing.
    page.get_by_role("button", name="Schritt abschließen").click()
    expect(page.locator(".message-error")).to_contain_text(
        "Der Schritt kann noch nicht abgeschlossen werden. Es fehlt:")
    kickoff.refresh_from_db()
    assert kickoff.status == Stage.Status.OPEN
    assert not Event.objects.filter(commune=commune, verb__startswith="stage.completed").exists()

    # Tick the checklist: the first by mouse, the others by keyboard. htmx swaps the list in
    # place (no page load) and keeps focus on the toggled button.
    page.evaluate("window.__samePage = true")
    leadership = check_button(page, REQUIRED_BY_HAND[0])
    leadership.click()
    expect(leadership).to_have_attribute("aria-pressed", "true")
    expect(leadership).to_be_focused()
    for label in REQUIRED_BY_HAND[1:]:
        button = check_button(page, label)
        button.focus()
        page.keyboard.press("Space" if label.startswith("Die Steuerung") else "Enter")
        expect(button).to_have_attribute("aria-pressed", "true")
        expect(button).to_be_focused()
    assert page.evaluate("window.__samePage") is True, "the checklist reloaded the page"
    expect(gate.get_by_role("listitem")).to_have_count(1)
    expect(gate).to_contain_text(DERIVED)
    assert set(ChecklistTick.objects.filter(stage=kickoff).values_list("item_key", flat=True)) \
        == {"leadership_attended", "steering_group_named", "next_dates_fixed"}

    # Untick and tick again: the toggle works both ways.
    leadership.click()
    expect(leadership).to_have_attribute("aria-pressed", "false")
    expect(gate).to_contain_text(REQUIRED_BY_HAND[0])
    leadership.click()
    expect(leadership).to_have_attribute("aria-pressed", "true")

    # Record the Kick-Off event with minutes.
    page.get_by_role("link", name="Veranstaltung dokumentieren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Veranstaltung dokumentieren")
    page.get_by_label("Titel").fill("Auftakt im Bürgerhaus")
    page.get_by_label("Datum").fill("2024-03-14")
    page.get_by_label("Format").select_option(label="hybrid")
    page.get_by_label("Ort oder Plattform").fill("Bürgerhaus und online")
    page.get_by_label("Zahl der Teilnehmenden").fill("42")
    page.get_by_label("Beteiligte Gruppen").fill("Verwaltung, Vereine, Jugend")
    page.get_by_label("Tagesordnung").fill("1. Begrüßung\n2. Die fünf Schritte\n3. Vereinbarungen")
    page.get_by_label("Protokoll").fill("Die Bürgermeisterin eröffnete. Steuerungsgruppe gebildet.")
    page.get_by_role("button", name="Speichern").click()

    expect(page.locator(".message-success")).to_have_text("Die Veranstaltung ist dokumentiert.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Auftakt im Bürgerhaus")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("14.03.2024")
    expect(facts).to_contain_text("hybrid")
    expect(facts).to_contain_text("42")
    expect(page.locator(".prose").first).to_contain_text("2. Die fünf Schritte")
    meeting = Meeting.objects.get(stage=kickoff)
    assert (meeting.participants_count, meeting.format) == (42, "hybrid")

    # Back on the stage: the derived item is done, the gate is open; complete the stage.
    page.get_by_role("link", name="Zurück zu Kick-Off").click()
    expect(page.locator(".gate-ready")).to_contain_text("Alle Pflichtpunkte sind erfüllt")
    expect(page.locator(".check-row.is-done").filter(has_text=DERIVED)).to_have_count(1)
    page.get_by_role("button", name="Schritt abschließen").click()
    expect(page.locator(".message-success")).to_have_text("Der Schritt ist abgeschlossen.")
    expect(page.locator(".notice-green")).to_contain_text("Abgeschlossen am")
    expect(page.locator("p.signal")).to_contain_text("abgeschlossen")
    kickoff.refresh_from_db()
    assert kickoff.status == Stage.Status.DONE and not kickoff.override_reason

    # The commune's history tells the story.
    page.get_by_role("link", name=commune.name).first.click()
    page.get_by_role("link", name="Ganzer Verlauf").click()
    timeline = page.locator("ol.timeline")
    expect(timeline.get_by_role("listitem").first).to_contain_text(
        "hat den Schritt abgeschlossen")
    for sentence in ("hat eine Veranstaltung dokumentiert", "hat den Schritt begonnen",
                     "hat die Kommune angelegt"):
        expect(timeline.get_by_role("listitem").filter(has_text=sentence)).not_to_have_count(0)
    expect(timeline.get_by_role("listitem").filter(
        has_text="hat einen Punkt der Checkliste abgehakt")).to_have_count(4)
    expect(timeline.get_by_role("listitem").filter(
        has_text="hat einen Haken der Checkliste entfernt")).to_have_count(1)
    expect(timeline).to_contain_text("„Die Steuerungsgruppe ist benannt“")

    # The programme office sees the stage done in its portfolio.
    office = make_page(viewport={"width": 1280, "height": 900})
    login_as(office, "programme-office")
    expect(office).to_have_url(re.compile(r"/programm/zwk-2021-2024/$"))
    row = office.get_by_role("row").filter(
        has=office.get_by_role("rowheader", name=re.compile(commune.name)))
    expect(row.get_by_role("link", name=re.compile(r"^abgeschlossen\s*:\s*Kick-Off$"))).to_be_visible()
    expect(row.get_by_role("link", name=re.compile(r"^offen\s*:\s*Kommunalprofil$"))).to_be_visible()


def test_checklist_works_without_javascript(make_page, login_as):
    """The checklist forms are plain POST forms underneath htmx."""
    commune = fresh_commune()
    page = make_page(java_script_enabled=False)
    login_as(page, "coordinator")
    page.goto(f"/kommunen/{commune.pk}/schritte/kickoff/")
    button = check_button(page, REQUIRED_BY_HAND[1])
    expect(button).to_have_attribute("aria-pressed", "false")
    with page.expect_navigation():
        button.click()
    expect(check_button(page, REQUIRED_BY_HAND[1])).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".gate-missing")).not_to_contain_text(REQUIRED_BY_HAND[1])
    assert ChecklistTick.objects.filter(stage__commune=commune,
                                        item_key="steering_group_named").exists()
    with page.expect_navigation():
        check_button(page, REQUIRED_BY_HAND[1]).click()
    expect(check_button(page, REQUIRED_BY_HAND[1])).to_have_attribute("aria-pressed", "false")
    assert not ChecklistTick.objects.filter(stage__commune=commune).exists()
