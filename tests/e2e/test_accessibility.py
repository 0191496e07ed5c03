"""axe-core on every page of the foundation: no serious or critical violation.

Pages are visited in groups (one login per group) and all findings are reported together, so a
failure lists every page and rule at once.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.helpers import commune
from zwk.process.models import Meeting
from zwk.process.stages import STAGE_KEYS

pytestmark = pytest.mark.e2e

BLOCKING = {"serious", "critical"}
_axe = Axe()


def axe_findings(page, label: str) -> list[str]:
    """Serious/critical axe violations of the current page, one readable line per node."""
    results = _axe.run(page)
    lines = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in BLOCKING:
            continue
        for node in violation["nodes"]:
            lines.append(
                f"[{label}] {violation['impact']} {violation['id']}: {violation['help']}\n"
                f"      at {', '.join(map(str, node['target']))}: {node['html'][:160]}\n"
                f"      {node.get('failureSummary', '').replace(chr(10), ' ')}")
    return lines


def audit(page, visits) -> None:
    """visits: (label, path or callable that brings the page to the state to check)."""
    findings = []
    for label, target in visits:
        if callable(target):
            target()
        else:
            response = page.goto(target)
            assert response.ok, f"{label}: {target} answered {response.status}"
        expect(page.locator("main h1")).to_be_visible()
        findings += axe_findings(page, label)
    assert not findings, "axe found serious/critical problems:\n" + "\n".join(findings)


def test_axe_anonymous_pages(page):
    def reset_sent():
        page.goto("/konto/passwort/vergessen/")
        page.get_by_label("E-Mail").fill("niemand@example.org")
        page.get_by_role("button", name="Link anfordern").click()
        expect(page).to_have_url(re.compile(r"/gesendet/$"))

    def login_failed():
        page.goto("/konto/anmelden/")
        page.get_by_label("Benutzername").fill("niemand")
        page.locator("#id_password").fill("falsch")
        page.get_by_role("button", name="Anmelden").click()
        expect(page.locator(".form-errors")).to_be_visible()

    audit(page, [("login", "/konto/anmelden/"), ("login with error", login_failed),
                 ("password reset", "/konto/passwort/vergessen/"),
                 ("password reset sent", reset_sent)])


def test_axe_programme_office_pages(page, login_as):
    kreis = commune("Hochsauerlandkreis")
    login_as(page, "programme-office")

    def commune_form_with_errors():
        page.goto("/programm/zwk-2021-2024/kommunen/neu/")
        page.get_by_label("Gemeindeschlüssel (AGS)").fill("12ab")
        page.get_by_role("button", name="Speichern").click()
        expect(page.locator(".form-errors")).to_be_visible()

    def filtered_portfolio():
        page.goto("/programm/zwk-2021-2024/?land=16")
        expect(page.locator("table.portfolio tbody tr")).to_have_count(1)

    audit(page, [
        ("home", "/?alle=1"),
        ("portfolio", "/programm/zwk-2021-2024/"),
        ("portfolio filtered", filtered_portfolio),
        ("commune detail", f"/kommunen/{kreis.pk}/"),
        ("members", f"/kommunen/{kreis.pk}/personen/"),
        ("timeline", f"/kommunen/{kreis.pk}/verlauf/"),
        ("commune form (new)", "/programm/zwk-2021-2024/kommunen/neu/"),
        ("commune form (edit)", f"/kommunen/{kreis.pk}/bearbeiten/"),
        ("commune form with errors", commune_form_with_errors),
        ("password change", "/konto/passwort/"),
        ("account", "/konto/"),
        ("account deletion", "/konto/loeschen/"),
        ("people and login locks", "/konto/programm/zwk-2021-2024/personen/"),
    ])


def test_axe_stage_and_meeting_pages(page, login_as):
    kreis = commune("Hochsauerlandkreis")
    meeting = Meeting.objects.filter(stage__commune=kreis).first()
    login_as(page, "coordinator")

    def meeting_form_with_errors():
        page.goto(f"/kommunen/{kreis.pk}/schritte/profile/veranstaltungen/neu/")
        page.get_by_label("Datum").fill("")
        page.get_by_role("button", name="Speichern").click()
        expect(page.locator(".form-errors")).to_be_visible()

    def stage_with_upload_error():
        page.goto(f"/kommunen/{kreis.pk}/schritte/profile/")
        page.get_by_role("button", name="Hochladen").click()
        expect(page.locator(".form-errors").first).to_be_visible()

    audit(page, [
        *[(f"stage {key}", f"/kommunen/{kreis.pk}/schritte/{key}/") for key in STAGE_KEYS],
        ("stage with upload error", stage_with_upload_error),
        ("home (coordinator)", "/"),
        ("meeting form", f"/kommunen/{kreis.pk}/schritte/profile/veranstaltungen/neu/"),
        ("meeting form with errors", meeting_form_with_errors),
        ("meeting detail", f"/kommunen/{kreis.pk}/veranstaltungen/{meeting.pk}/"),
        ("meeting edit", f"/kommunen/{kreis.pk}/veranstaltungen/{meeting.pk}/bearbeiten/"),
    ])
