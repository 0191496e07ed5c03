"""The profile pages draw their charts without a Vega warning in the browser console
(issue 11, item 10: a warning appeared on every profile page)."""

from __future__ import annotations

from tests.e2e.helpers import commune


def test_profile_pages_log_no_console_warnings(page, login_as):
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(f"{m.type}: {m.text}")
            if m.type in ("warning", "error") else None)
    login_as(page, "consultant")
    kreis, brilon = commune("Hochsauerlandkreis"), commune("Brilon")
    for path in (f"/kommunen/{kreis.pk}/profil/", f"/kommunen/{brilon.pk}/profil/",
                 f"/kommunen/{kreis.pk}/profil/staedte/",
                 f"/kommunen/{brilon.pk}/profil/prognose/?preset=basis&horizon=2030"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
    assert warnings == []
