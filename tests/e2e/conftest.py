"""Browser test infrastructure: Debian's Chromium driven by Playwright against live_server.

One browser per session, a fresh context (cookies, storage) per test. Every page records its
console errors, uncaught JS errors and CSP violations; a test fails when any occurred, unless
the test declares the one error it provokes on purpose.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in the main thread; Django's ORM would refuse to
# run there. Test set-up and the live server only ever use the database from one thread each.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from tests.conftest import CHROMIUM, SKIP_REASON  # noqa: E402  (shared with tests/charts)

# Chromium reports an HTTP error status of a page as a console error. Form pages answer 400
# when the input is invalid, on purpose; those lines are not JavaScript errors.
HTTP_STATUS_LINE = re.compile(r"Failed to load resource: the server responded with a status "
                              r"of (400|403|404|409|429)\b")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.e2e)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


def pytest_report_header(config):
    if not CHROMIUM.exists():
        return "!!! " + SKIP_REASON + " !!!"
    return f"e2e: Chromium at {CHROMIUM}"


def pytest_terminal_summary(terminalreporter):
    if not CHROMIUM.exists() and terminalreporter.stats.get("skipped"):
        terminalreporter.write_sep("!", SKIP_REASON, red=True, bold=True)


@dataclass
class BrowserProblems:
    """What went wrong in the browser while a test ran."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    failed_assets: list[str] = field(default_factory=list)

    def all(self) -> list[str]:
        return ([f"CSP violation: {v}" for v in self.csp_violations]
                + [f"JS error: {e}" for e in self.page_errors]
                + [f"console error: {e}" for e in self.console_errors]
                + [f"asset failed: {a}" for a in self.failed_assets])


CSP_LISTENER = """
window.__zwkCsp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__zwkCsp.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')
                       + ' at ' + e.sourceFile + ':' + e.lineNumber);
});
"""


def watch(page, problems: BrowserProblems) -> None:
    def on_console(message):
        if message.type != "error":
            return
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            problems.csp_violations.append(text)
        elif not HTTP_STATUS_LINE.search(text):
            problems.console_errors.append(text)

    def on_response(response):
        if response.request.resource_type in ("script", "stylesheet", "image", "font") \
                and response.status >= 400:
            problems.failed_assets.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.page_errors.append(str(error)))
    page.on("response", on_response)
    page.add_init_script(CSP_LISTENER)


def collect_csp(page, problems: BrowserProblems) -> None:
    """The violations the in-page listener saw on the current document."""
    try:
        found = page.evaluate("window.__zwkCsp || []")
    except Exception:  # the page is gone or navigating; the console listener still saw it
        return
    for v in found:
        if v not in problems.csp_violations:
            problems.csp_violations.append(v)


@pytest.fixture
def make_page(browser, live_server, transactional_db):
    """A factory for pages in fresh contexts; each checked for JS and CSP problems at the end."""
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    opened = []

    def _make(**context_options):
        context = browser.new_context(base_url=live_server.url, locale="de-DE",
                                      **context_options)
        context.set_default_timeout(10_000)
        page = context.new_page()
        problems = BrowserProblems()
        watch(page, problems)
        page.zwk_problems = problems  # a test that provokes a problem on purpose clears it
        opened.append((context, page, problems))
        return page

    yield _make
    messages = []
    for context, page, problems in opened:
        if not page.is_closed():
            collect_csp(page, problems)
        messages += problems.all()
        context.close()
    assert not messages, "Problems in the browser:\n  " + "\n  ".join(messages)


@pytest.fixture
def page(make_page):
    return make_page(viewport={"width": 1280, "height": 900})


@pytest.fixture
def demo(transactional_db):
    """The demo programme (Hochsauerlandkreis, its towns, invented communes) and its logins."""
    from zwk.core import demo as demo_module

    demo_module.load()
    return {login.role: login for login in demo_module.LOGINS}


def login(page, username: str, password: str, *, path: str = "/konto/anmelden/") -> None:
    """Log in through the real form, as a person would."""
    from playwright.sync_api import expect

    page.goto(path)
    page.get_by_label("Benutzername").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("button", name=re.compile(r"^Abmelden"))).to_be_visible()


@pytest.fixture
def login_as(demo):
    """login_as(page, "programme-office" | "consultant" | "coordinator" | "team-member")."""

    def _login(page, role: str, **kwargs):
        account = demo[role]
        login(page, account.username, account.password, **kwargs)
        return account

    return _login
