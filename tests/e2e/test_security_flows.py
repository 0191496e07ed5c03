"""In the browser: two people edit the same SWOT point (the second gets both versions, nothing
is lost), a login lockout with its German page, the live name hint of the interview form;
axe on each new page."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e
BLOCKING = {"serious", "critical"}


@pytest.fixture
def team(transactional_db):
    from tests.factories import PASSWORD, ProgrammeFactory, UserFactory, add_member, make_commune
    from zwk.communes.models import Membership
    from zwk.profile import services

    programme = ProgrammeFactory(name="Sicherheitsprogramm")
    commune = make_commune(programme, name="Doppelbach", ags="05958997")
    first, second = UserFactory(username="erste"), UserFactory(username="zweite")
    add_member(commune, first, Membership.Role.COORDINATOR)
    add_member(commune, second, Membership.Role.CONSULTANT)
    item = services.swot_item_create(commune=commune, by=first, data=services.SwotData(
        quadrant="strength", text="Starke Vereine"))
    return {"commune": commune, "item": item, "password": PASSWORD}


def blocking(page) -> list[str]:
    return [f"{v['id']}: {n['target']}" for v in Axe().run(page).response["violations"]
            if v.get("impact") in BLOCKING for n in v["nodes"]]


def test_second_save_of_the_same_swot_point_shows_both_versions(make_page, team):
    from zwk.profile.models import SwotItem

    url = f"/kommunen/{team['commune'].pk}/profil/swot/{team['item'].pk}/"
    first, second = make_page(), make_page()
    login(first, "erste", team["password"])
    login(second, "zweite", team["password"])
    first.goto(url)
    second.goto(url)
    first.locator("#id_text").fill("Starke Vereine und Feuerwehr")
    first.get_by_role("button", name="Speichern", exact=True).click()
    expect(first).to_have_url(re.compile(r"/profil/swot/$"))

    second.locator("#id_text").fill("Starke Vereine, schwache Jugendarbeit")
    second.get_by_role("button", name="Speichern", exact=True).click()
    alert = second.get_by_role("alert").filter(has_text="inzwischen von jemand anderem")
    expect(alert).to_be_visible()
    expect(alert.get_by_role("table")).to_contain_text("Starke Vereine und Feuerwehr")
    expect(alert.get_by_role("table")).to_contain_text("Starke Vereine, schwache Jugendarbeit")
    assert SwotItem.objects.get(pk=team["item"].pk).text == "Starke Vereine und Feuerwehr"
    assert blocking(second) == []
    # Saving again on purpose replaces the saved version.
    second.get_by_role("button", name="Speichern", exact=True).click()
    expect(second).to_have_url(re.compile(r"/profil/swot/$"))
    assert SwotItem.objects.get(pk=team["item"].pk).text == "Starke Vereine, schwache Jugendarbeit"


def test_lockout_page_is_german_and_accessible(page, team, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        page.goto("/konto/anmelden/")
        page.get_by_label("Benutzername").fill("erste")
        page.locator("#id_password").fill("falsch")
        page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", name="Anmeldung vorübergehend gesperrt")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Zu viele fehlgeschlagene")
    assert blocking(page) == []


def test_interview_role_shows_a_live_name_hint(page, team):
    login(page, "erste", team["password"])
    page.goto(f"/kommunen/{team['commune'].pk}/profil/interviews/neu/")
    role = page.get_by_label(re.compile("^Rolle oder Institution"))
    role.fill("Leitung Kita")
    expect(page.locator(".name-hint")).to_have_text("")
    role.fill("Frau Müller")
    expect(page.locator(".name-hint")).to_contain_text("Personennamen")
    assert blocking(page) == []
