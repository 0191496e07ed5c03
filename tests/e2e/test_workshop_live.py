"""Zukunftswerkstatt live with three browsers at once: moderator console, projector and a
participant on a phone. join by code → write card → approve → cluster → vote → reveal → the
projector shows the result. axe on the participant and projector views."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.helpers import fresh_commune, user
from zwk.workshop import services
from zwk.workshop.models import Card, Vote

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
LIVE = 6_000  # polling runs every 1.2 s; the goal is "visible within 2 s", with slack for CI
_axe = Axe()


def axe_findings(page, label: str) -> list[str]:
    results = _axe.run(page)
    return [f"[{label}] {v['impact']} {v['id']}: {v['help']} at "
            f"{', '.join(map(str, n['target']))}"
            for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}
            for n in v["nodes"]]


def test_live_workshop_three_views(make_page, login_as):
    commune = fresh_commune("Werkstatthausen")
    session = services.session_create(commune=commune, by=user("koordination"),
                                      data=services.SessionData(title="Zukunftswerkstatt 2030",
                                                                points_per_person=5,
                                                                max_per_card=3))
    services.session_control(session=session, action="start", by=user("koordination"))
    console_path = f"/kommunen/{commune.pk}/werkstatt/{session.pk}/"

    moderator = make_page(viewport={"width": 1280, "height": 900})
    login_as(moderator, "coordinator")
    moderator.goto(console_path)
    expect(moderator.get_by_role("heading", level=1)).to_contain_text("Zukunftswerkstatt 2030")

    projector = make_page(viewport={"width": 1920, "height": 1080})
    login_as(projector, "coordinator")
    projector.goto(console_path + "beamer/")
    expect(projector.locator(".ws-code-big")).to_have_text(session.code)
    expect(projector.get_by_role("heading", level=1)).to_have_text("Kritikphase")
    expect(projector.get_by_role("img", name=re.compile("QR-Code zur Teilnahme"))).to_be_visible()

    # The participant types the code from the wall, lower case, and joins without an account.
    phone = make_page(**PHONE)
    phone.goto("/w/")
    phone.get_by_label("Zugangscode").fill(session.code.lower())
    phone.get_by_role("button", name="Weiter").click()
    phone.get_by_label("Ihre Altersgruppe (freiwillig, anonym)").select_option("65-74")
    phone.get_by_role("button", name="Mitmachen").click()
    expect(phone.get_by_text("Was stört Sie heute in unserem Ort?")).to_be_visible()
    findings = axe_findings(phone, "Teilnahme")

    # Write a card (fetch, no reload): it waits for approval.
    phone.evaluate("window.__samePage = true")
    phone.get_by_label("Ihre Karte").fill("Abends fährt kein Bus <nach Hause>")
    phone.get_by_role("button", name="Karte abschicken").click()
    expect(phone.locator("#card-feedback")).to_contain_text("Ihre Karte ist angekommen")
    assert phone.evaluate("window.__samePage") is True

    # The console sees it by polling and approves it; the projector and the phone show it.
    queue = moderator.locator("#console-live section").filter(has_text="Warteschlange")
    expect(queue.locator(".ws-card-text")).to_have_text("Abends fährt kein Bus <nach Hause>",
                                                        timeout=LIVE)
    queue.get_by_role("button", name="Freigeben").click()
    expect(projector.locator(".ws-card-text")).to_have_text("Abends fährt kein Bus <nach Hause>",
                                                            timeout=LIVE)
    expect(phone.locator("#live .ws-card-text")).to_have_text("Abends fährt kein Bus <nach Hause>",
                                                              timeout=LIVE)

    # Cluster it by keyboard: name a theme, pick it at the card, press Enter.
    moderator.get_by_label("Neues Thema").fill("Mobilität")
    moderator.get_by_role("button", name="Thema anlegen").click()
    card = Card.objects.get(session=session)
    select = moderator.locator(f"#cluster-of-{card.pk}")
    select.select_option(label="Mobilität")
    select.focus()
    moderator.keyboard.press("Tab")
    moderator.keyboard.press("Enter")
    expect(moderator.locator(".ws-cluster").filter(has_text="Mobilität")).to_contain_text(
        "Abends fährt kein Bus")
    expect(projector.locator(".ws-cluster").filter(has_text="Mobilität")).to_contain_text(
        "Abends fährt kein Bus", timeout=LIVE)

    # A flipchart card typed in afterwards (analogue), then dragged onto the theme.
    moderator.get_by_label("Text der Karte").fill("Flipchart: Bürgerbus")
    moderator.get_by_role("button", name="Analoge Karte speichern").click()
    dragged = moderator.locator(".ws-card[draggable=true]").filter(
        has=moderator.locator(".ws-card-text", has_text="Flipchart: Bürgerbus"))
    expect(dragged).to_contain_text("analog")
    dragged.drag_to(moderator.locator(".ws-cluster[data-drop-cluster]").filter(
        has_text="Mobilität"))
    expect(moderator.locator(".ws-cluster").filter(has_text="Mobilität")).to_contain_text(
        "Flipchart: Bürgerbus", timeout=LIVE)
    assert Card.objects.get(text="Flipchart: Bürgerbus").cluster.title == "Mobilität"

    # Voting opens; the phone gets the buttons and a remaining-points counter.
    moderator.get_by_role("button", name="Abstimmung öffnen").click()
    more = phone.locator(".ws-card").filter(has_text="Abends fährt kein Bus").get_by_role(
        "button", name="Einen Punkt mehr")
    expect(more).to_be_enabled(timeout=LIVE)
    more.click()
    expect(phone.locator("#punkte")).to_contain_text("Noch zu vergeben: 4 von 5 Punkten")
    more.click()
    expect(phone.locator("#punkte")).to_contain_text("Noch zu vergeben: 3 von 5 Punkten")
    phone.locator(".ws-card").filter(has_text="Abends fährt kein Bus").get_by_role(
        "button", name="Einen Punkt weniger").click()
    expect(phone.locator("#punkte")).to_contain_text("Noch zu vergeben: 4 von 5 Punkten")
    more.click()
    expect(phone.locator("#punkte")).to_contain_text("Noch zu vergeben: 3 von 5 Punkten")
    vote = Vote.objects.get(card__session=card.session)   # the demo has its own paper votes
    assert vote.points == 2 and vote.card == card
    assert phone.evaluate("window.__samePage") is True
    findings += axe_findings(phone, "Teilnahme, Abstimmung")

    # Hidden until revealed; then the projector shows the result.
    expect(projector.get_by_text("sobald die Moderation sie freigibt")).to_be_visible(
        timeout=LIVE)
    moderator.get_by_role("button", name="Ergebnisse zeigen").click()
    ranking = projector.locator(".ws-ranking").first
    expect(ranking.locator("li").first).to_contain_text("Abends fährt kein Bus <nach Hause>",
                                                        timeout=LIVE)
    expect(ranking.locator("li").first).to_contain_text("2")
    expect(phone.get_by_role("heading", name="Ergebnis Runde 1")).to_be_visible(timeout=LIVE)
    # The polled part is shared by all phones; this phone's own points are filled in by JSON.
    expect(phone.locator("#punkte")).to_contain_text("Noch zu vergeben: 3 von 5 Punkten")
    expect(phone.locator(".ws-card").filter(has_text="Abends fährt kein Bus")
           .locator(".ws-my-points strong")).to_have_text("2")
    # Live results on the projector follow every dot (the vote marker), no reload needed.
    phone.locator(".ws-card").filter(has_text="Flipchart: Bürgerbus").get_by_role(
        "button", name="Einen Punkt mehr").click()
    expect(ranking).to_contain_text("Flipchart: Bürgerbus", timeout=LIVE)
    findings += axe_findings(projector, "Beamer, Ergebnis")
    assert not findings, "axe found serious/critical problems:\n" + "\n".join(findings)
