"""What the programme office (Geschäftsstelle) does in the browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import commune, demo_programme
from zwk.communes.models import Commune, Membership
from zwk.history.models import HistoryEvent
from zwk.process.models import Stage

pytestmark = pytest.mark.e2e

PORTFOLIO = "/programm/zwk-2021-2024/"


def portfolio_names(page) -> list[str]:
    return page.locator("table.portfolio tbody th[scope=row] > a").all_inner_texts()


def test_create_commune_valid_then_invalid_ags(page, login_as):
    login_as(page, "programme-office")
    before = Commune.objects.count()

    page.get_by_role("link", name="Kommune anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kommune anlegen")
    page.get_by_label("Name").fill("Testdorf an der Ruhr")
    page.get_by_label("Art").select_option(label="Gemeinde")
    page.get_by_label("Land").select_option(label="Nordrhein-Westfalen")
    page.get_by_label("Gemeindeschlüssel (AGS)").fill("05958052")
    page.get_by_label("gehört zu").select_option(label="Hochsauerlandkreis")
    page.get_by_label("Einwohnerzahl").fill("4321")
    page.get_by_role("button", name="Speichern").click()

    expect(page.locator(".message-success")).to_have_text(
        "Die Kommune Testdorf an der Ruhr ist angelegt.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Testdorf an der Ruhr")
    expect(page.locator("dl.facts")).to_contain_text("05958052")
    created = Commune.objects.get(name="Testdorf an der Ruhr")
    assert created.parent.name == "Hochsauerlandkreis" and created.stages.count() == 5
    assert Commune.objects.count() == before + 1

    # An AGS with a letter: the German message sits at the field; nothing is created.
    page.goto(PORTFOLIO + "kommunen/neu/")
    page.get_by_label("Name").fill("Falschdorf")
    page.get_by_label("Art").select_option(label="Gemeinde")
    page.get_by_label("Land").select_option(label="Nordrhein-Westfalen")
    ags = page.get_by_label("Gemeindeschlüssel (AGS)")
    ags.fill("0595800X")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".form-errors")).to_contain_text("Bitte prüfen Sie die markierten Felder.")
    field = page.locator(".field").filter(has=ags)
    expect(field.locator(".error")).to_have_text(
        "Der Gemeindeschlüssel „0595800X“ darf nur Ziffern enthalten.")
    expect(ags).to_have_value("0595800X")
    expect(ags).to_have_attribute("aria-invalid", "true")

    # A well-formed key of another Land is caught as well.
    ags.fill("09162000")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".field").filter(has=page.get_by_label("Land")).locator(".error")
           ).to_contain_text("gehört zu Bayern, nicht zu Nordrhein-Westfalen")
    assert not Commune.objects.filter(name="Falschdorf").exists()
    assert Commune.objects.count() == before + 1


def test_filter_portfolio_by_consultant_and_land(page, login_as):
    total = Commune.objects.filter(programme=demo_programme()).count()
    bea = Commune.objects.filter(memberships__user__username="beraterin2").count()
    login_as(page, "programme-office")
    expect(page).to_have_url(re.compile(PORTFOLIO + "$"))
    expect(page.locator(".lead")).to_contain_text(f"{total} Kommunen")

    page.get_by_label("Berater:in").select_option(label="Bea Weitblick")
    page.get_by_role("button", name="Filtern").click()
    expect(page.locator(".lead")).to_contain_text(f"{bea} Kommunen")
    assert sorted(portfolio_names(page)) == sorted(
        c.name for c in Commune.objects.filter(memberships__user__username="beraterin2"))
    expect(page.get_by_label("Berater:in")).to_have_value(re.compile(r"\d+"))

    page.get_by_role("link", name="Filter zurücksetzen").click()
    expect(page.locator(".lead")).to_contain_text(f"{total} Kommunen")
    page.get_by_label("Land").select_option(label="Thüringen")
    page.get_by_role("button", name="Filtern").click()
    expect(page.locator(".lead")).to_contain_text("1 Kommune ")
    assert portfolio_names(page) == ["Kreisstadt Beispielburg (Demo)"]
    assert "land=16" in page.url

    # Both together: Bernd Rater does not advise anyone in Thüringen.
    page.get_by_label("Berater:in").select_option(label="Bernd Rater")
    page.get_by_role("button", name="Filtern").click()
    expect(page.get_by_role("cell", name="Keine Kommune passt zu den Filtern.")).to_be_visible()


def test_invite_a_person_sends_mail(page, login_as, mailoutbox):
    arnsberg = commune("Arnsberg")
    login_as(page, "programme-office")
    page.goto(f"/kommunen/{arnsberg.pk}/")
    page.get_by_role("link", name="Personen verwalten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Personen in Arnsberg")

    invite = page.locator("section").filter(
        has=page.get_by_role("heading", name="Person einladen"))
    invite.get_by_label("E-Mail-Adresse").fill("nicht-gueltig")
    invite.get_by_role("button", name="Einladen").click()
    expect(invite.locator(".field .error")).to_contain_text("gültige E-Mail-Adresse")
    assert mailoutbox == []

    invite.get_by_label("E-Mail-Adresse").fill("paula.plan@example.org")
    invite.get_by_label("Vorname").fill("Paula")
    invite.get_by_label("Nachname").fill("Plan")
    invite.get_by_label("Rolle").select_option(label="Koordination")
    invite.get_by_role("button", name="Einladen").click()

    expect(page.locator(".message-success")).to_have_text(
        "Die Einladung an paula.plan@example.org ist verschickt.")
    expect(page.get_by_role("cell", name="Paula Plan", exact=True)).to_be_visible()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["paula.plan@example.org"] and "Arnsberg" in mail.subject
    assert "/konto/passwort/neu/" in mail.body
    membership = Membership.objects.get(commune=arnsberg, user__email="paula.plan@example.org")
    assert membership.role == Membership.Role.COORDINATOR


def test_override_gate_needs_a_written_reason(page, login_as):
    arnsberg = commune("Arnsberg")
    stage = arnsberg.stages.get(key="kickoff")
    assert stage.status != Stage.Status.DONE
    login_as(page, "programme-office")
    page.goto(f"/kommunen/{arnsberg.pk}/schritte/kickoff/")
    expect(page.locator(".gate-missing")).to_contain_text("Bis zum Abschluss fehlt noch:")

    # Without a reason the gate holds.
    page.get_by_role("button", name="Schritt abschließen").click()
    expect(page.locator(".message-error")).to_contain_text(
        "Der Schritt kann noch nicht abgeschlossen werden.")
    stage.refresh_from_db()
    assert stage.status != Stage.Status.DONE

    reason = "Auftakt fand als Ratssitzung statt; Protokoll liegt beim Rat (Test)."
    page.get_by_label("Begründung für den Abschluss trotz offener Punkte").fill(reason)
    page.get_by_role("button", name="Schritt abschließen").click()
    expect(page.locator(".message-success")).to_have_text("Der Schritt ist abgeschlossen.")
    expect(page.locator(".notice-green")).to_contain_text(
        "Abschluss trotz offener Punkte, Begründung: " + reason)
    stage.refresh_from_db()
    assert stage.status == Stage.Status.DONE and stage.override_reason == reason
    event = HistoryEvent.objects.get(commune=arnsberg, verb="stage.completed_with_override")
    assert event.data["override_reason"] == reason and event.data["missing"]

    page.goto(f"/kommunen/{arnsberg.pk}/verlauf/")
    entry = page.locator("ol.timeline li").first
    expect(entry).to_contain_text("hat den Schritt trotz offener Punkte abgeschlossen")
    expect(entry).to_contain_text("Begründung: " + reason)


def test_coordinator_cannot_override(page, login_as):
    """The override field is the programme office's; the coordinator only sees the gate."""
    kreis = commune("Hochsauerlandkreis")
    login_as(page, "coordinator")
    page.goto(f"/kommunen/{kreis.pk}/schritte/profile/")
    expect(page.get_by_role("button", name="Schritt abschließen")).to_be_visible()
    expect(page.get_by_label("Begründung für den Abschluss trotz offener Punkte")).to_have_count(0)
    expect(page.get_by_text("Der Abschluss ist möglich, sobald alle Pflichtpunkte erfüllt "
                            "sind.")).to_be_visible()
    assert demo_programme().slug == "zwk-2021-2024"
