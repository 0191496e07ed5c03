"""Phone width, keyboard-only use, and the security headers as the browser sees them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.e2e.helpers import commune, fresh_commune, horizontal_overflow
from zwk.core import demo as demo_module
from zwk.process.models import ChecklistTick, Stage

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}


# --- Phone ---------------------------------------------------------------------------------

def test_phone_pages_fit_and_work(make_page, login_as):
    kreis = commune("Hochsauerlandkreis")
    page = make_page(viewport=PHONE, has_touch=True, is_mobile=True)

    page.goto("/konto/anmelden/")
    assert horizontal_overflow(page) == 0, "login page is wider than the phone"
    login_as(page, "programme-office")

    pages = {"portfolio": "/programm/zwk-2021-2024/", "home": "/?alle=1",
             "commune": f"/kommunen/{kreis.pk}/", "timeline": f"/kommunen/{kreis.pk}/verlauf/",
             "members": f"/kommunen/{kreis.pk}/personen/",
             **{f"stage {k}": f"/kommunen/{kreis.pk}/schritte/{k}/"
                for k in ("kickoff", "profile", "plan")}}
    too_wide = {}
    for label, path in pages.items():
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[label] = width
    assert not too_wide, f"pages wider than {PHONE['width']} px: {too_wide}"

    # The wide portfolio table scrolls inside its own focusable region instead.
    page.goto(pages["portfolio"])
    region = page.get_by_role("region", name=re.compile("Kommunen × Schritte"))
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")
    assert region.get_attribute("tabindex") == "0"

    # Main navigation: visible, inside the screen, and it works.
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    link = nav.get_by_role("link", name="Meine Kommunen")
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    link.tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Willkommen bei ZWK")
    expect(nav.get_by_role("button", name=re.compile("^Abmelden"))).to_be_in_viewport(ratio=1)


def test_phone_stage_actions_usable(make_page, login_as):
    commune_ = fresh_commune()
    page = make_page(viewport=PHONE, has_touch=True, is_mobile=True)
    login_as(page, "coordinator")
    page.goto(f"/kommunen/{commune_.pk}/schritte/kickoff/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    button = page.locator("#checklist").get_by_role("button",
                                                    name="Die Steuerungsgruppe ist benannt")
    button.tap()
    expect(button).to_have_attribute("aria-pressed", "true")
    assert ChecklistTick.objects.filter(stage__commune=commune_,
                                        item_key="steering_group_named").exists()

    for name in ("Schritt abschließen",):
        action = page.get_by_role("button", name=name)
        action.scroll_into_view_if_needed()
        expect(action).to_be_in_viewport(ratio=1)
        box = action.bounding_box()
        assert box["height"] >= 44 and box["x"] + box["width"] <= PHONE["width"]
    record = page.get_by_role("link", name="Veranstaltung dokumentieren")
    record.scroll_into_view_if_needed()
    expect(record).to_be_in_viewport(ratio=1)
    page.get_by_role("button", name="Schritt abschließen").tap()
    expect(page.locator(".message-error")).to_contain_text("Es fehlt:")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    record = page.get_by_role("link", name="Veranstaltung dokumentieren")
    record.tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Veranstaltung dokumentieren")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


# --- Keyboard ------------------------------------------------------------------------------

def focused(page) -> str:
    return page.evaluate("""() => { const e = document.activeElement;
        return e ? (e.id || e.getAttribute('href') || e.textContent.trim()).slice(0, 80) : ''; }""")


def tab_until(page, predicate_js: str, limit: int = 60) -> int:
    """Press Tab until the focused element satisfies predicate_js; return the number of presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"(e => {predicate_js})(document.activeElement)"):
            return presses
    raise AssertionError(f"not reached by Tab within {limit} presses (last: {focused(page)})")


def test_skip_link_is_first_and_moves_focus_to_main(page, login_as):
    login_as(page, "programme-office")
    for path in ("/programm/zwk-2021-2024/", f"/kommunen/{commune('Arnsberg').pk}/"):
        page.goto(path)
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Zum Inhalt springen")
        expect(skip).to_be_focused()
        expect(skip).to_be_in_viewport()  # it becomes visible when focused
        page.keyboard.press("Enter")
        expect(page.locator("main#inhalt")).to_be_focused()
        # The next Tab continues inside main, not in the header.
        page.keyboard.press("Tab")
        assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_login_and_checklist_tick_by_keyboard_only(page, demo):
    commune_ = fresh_commune()
    coordinator = demo["coordinator"]
    page.goto(f"/kommunen/{commune_.pk}/schritte/kickoff/")
    expect(page).to_have_url(re.compile(r"/konto/anmelden/\?next="))
    # The username field has autofocus; type, Tab to the password, Enter submits.
    expect(page.get_by_label("Benutzername")).to_be_focused()
    page.keyboard.type(coordinator.username)
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type(coordinator.password)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/kommunen/{commune_.pk}/schritte/kickoff/$"))

    label = "Die nächsten Termine sind vereinbart"
    presses = tab_until(page, f"e.matches('button.check-button') && e.textContent.includes('{label}')")
    assert presses > 1
    page.keyboard.press("Space")
    button = page.locator("#checklist").get_by_role("button", name=label)
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_be_focused()
    # Keep going by keyboard: the next Tab reaches the next checklist button.
    page.keyboard.press("Tab")
    expect(page.locator("#checklist").get_by_role("button", name=re.compile(
        "Erste Themen sind gesammelt"))).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#checklist").get_by_role("button", name=re.compile(
        "Erste Themen sind gesammelt"))).to_have_attribute("aria-pressed", "true")
    ticks = set(ChecklistTick.objects.filter(stage__commune=commune_)
                .values_list("item_key", flat=True))
    assert ticks == {"next_dates_fixed", "themes_collected"}
    assert commune_.stages.get(key="kickoff").status == Stage.Status.ACTIVE


def test_wrong_password_message_and_keyboard_retry(page, demo):
    page.goto("/konto/anmelden/")
    page.keyboard.type("koordination")
    page.keyboard.press("Tab")
    page.keyboard.type("falsch")
    page.keyboard.press("Enter")
    expect(page.locator(".form-errors")).to_have_text(
        "Benutzername oder Passwort stimmen nicht. Bitte versuchen Sie es erneut.")
    login(page, "koordination", demo["coordinator"].password)


# --- Security headers ----------------------------------------------------------------------

NO_INLINE = """() => ({
  inlineScripts: [...document.scripts].filter(s => !s.src).length,
  handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
      .filter(a => a.name.startsWith('on')).map(a => e.tagName + '@' + a.name)),
  styleAttrs: [...document.querySelectorAll('[style]')].map(e => e.tagName),
  jsUrls: [...document.querySelectorAll('a[href^="javascript:"]')].length,
  foreign: [...document.querySelectorAll('script[src], link[href]')]
      .map(e => e.src || e.href).filter(u => u && !u.startsWith(location.origin)
                                           && !u.startsWith('data:')),
})"""


def test_security_headers_and_no_inline_code(page, login_as):
    response = page.goto("/konto/anmelden/")
    headers = response.headers
    csp = headers["content-security-policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'",
                      "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"

    kreis = commune("Hochsauerlandkreis")
    login_as(page, "programme-office")
    paths = ["/konto/anmelden/", "/programm/zwk-2021-2024/", f"/kommunen/{kreis.pk}/",
             f"/kommunen/{kreis.pk}/schritte/profile/", f"/kommunen/{kreis.pk}/personen/",
             f"/kommunen/{kreis.pk}/verlauf/", "/programm/zwk-2021-2024/kommunen/neu/"]
    problems = {}
    for path in paths:
        response = page.goto(path)
        assert "script-src 'self'" in response.headers.get("content-security-policy", ""), path
        found = page.evaluate(NO_INLINE)
        if any(found.values()):
            problems[path] = found
        # htmx and zwk.js loaded and ran under the CSP (no violation is checked at teardown).
        assert page.evaluate("typeof window.htmx") == "object", path
    assert not problems, f"inline code or foreign origins: {problems}"


def test_csp_blocks_injected_inline_script(page, login_as):
    """The header really is enforced: an inline script injected into the page does not run."""
    login_as(page, "programme-office")
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate("""() => { const s = document.createElement('script');
            s.textContent = 'window.__inlineRan = true'; document.body.appendChild(s); }""")
    assert page.evaluate("window.__inlineRan") is None
    violations = page.evaluate("window.__zwkCsp")
    assert violations and "script-src" in violations[0]
    # The console watcher saw it too; then forget it: it was provoked, not the app's fault.
    assert any("script-src" in v for v in page.zwk_problems.csp_violations)
    page.evaluate("window.__zwkCsp = []")
    page.zwk_problems.csp_violations.clear()
    assert demo_module.PROGRAMME_SLUG in page.url
