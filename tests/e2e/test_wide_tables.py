"""Wide tables on a 360 px phone and a 1280 px screen: every column can be reached (issue 11.8).

For each wide table the test finds its scroll box, scrolls it to the end and checks that every
header cell of the last column is then inside the box and not hidden under the sticky first
column; while the table is wider than its box, the written hint is shown. Screenshots of the
box before and after scrolling are saved and compared: they must differ, and the last column is
on the second only.
"""

from __future__ import annotations

import pytest

from tests.e2e.helpers import commune, demo_programme

pytestmark = pytest.mark.e2e

WIDTHS = (360, 1280)

BOX_STATE = """box => {
  const boxRect = box.getBoundingClientRect();
  const rows = Array.from(box.querySelectorAll(":scope > table > thead > tr, :scope > table > tbody > tr"));
  const cells = rows.map(row => Array.from(row.children));
  const last = cells.map(row => row[row.length - 1]).filter(Boolean);
  // geometry, not hit-testing: the box may be taller than the window
  const stickyRight = Math.max(...cells.map(row => row[0].getBoundingClientRect().right));
  function inside(cell, left) {
    const r = cell.getBoundingClientRect();
    // a cell spanning several columns ("keine Daten") only has to end inside the box
    const start = cell.colSpan > 1 ? r.right - 1 : r.left;
    return r.width > 0 && start >= left - 1 && r.right <= boxRect.right + 1;
  }
  const shown = cell => inside(cell, stickyRight);
  const firstInPlace = cell => inside(cell, boxRect.left);
  const hint = box.previousElementSibling;
  return {
    scrollWidth: box.scrollWidth, clientWidth: box.clientWidth, scrollLeft: box.scrollLeft,
    lastShown: last.filter(shown).length, lastCount: last.length,
    firstShown: cells.map(row => row[0]).filter(firstInPlace).length,
    hintShown: !!hint && hint.classList.contains("scroll-hint") && !hint.hidden
               && hint.getBoundingClientRect().height > 0,
  };
}"""


def wide_table_pages():
    programme = demo_programme()
    kreis = commune("Hochsauerlandkreis")
    return {
        "portfolio": (f"/programm/{programme.slug}/", "table.portfolio"),
        "synopse": (f"/programm/{programme.slug}/synopse/", "table"),
        "massnahmen-status": (f"/programm/{programme.slug}/massnahmen-status/", "table"),
        "staedte": (f"/kommunen/{kreis.pk}/profil/staedte/", "table"),
    }


@pytest.mark.parametrize("width", WIDTHS)
def test_every_column_of_wide_tables_can_be_reached(make_page, login_as, width, tmp_path):
    page = make_page(viewport={"width": width, "height": 800})
    login_as(page, "programme-office")
    for name, (url, table) in wide_table_pages().items():
        page.goto(url)
        box = page.locator(f".table-scroll:has(> {table})").first
        box.scroll_into_view_if_needed()
        before = box.evaluate(BOX_STATE)
        assert before["lastCount"] > 0, name
        first_shot = box.screenshot(path=str(tmp_path / f"{name}-{width}-start.png"))
        wider = before["scrollWidth"] > before["clientWidth"] + 1
        assert before["hintShown"] == wider, (name, width, before)
        if not wider:  # everything fits: every last-column cell is visible as it is
            assert before["lastShown"] == before["lastCount"], (name, width, before)
            continue
        assert before["lastShown"] < before["lastCount"], (name, width, before)
        box.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
        after = box.evaluate(BOX_STATE)
        last_shot = box.screenshot(path=str(tmp_path / f"{name}-{width}-end.png"))
        assert after["scrollLeft"] > 0
        assert after["lastShown"] == after["lastCount"], (name, width, after)
        # the first column stays in place while the rest scrolls under it
        assert after["firstShown"] == after["lastCount"], (name, width, after)
        assert first_shot != last_shot, (name, width)


def test_a_phone_needs_scrolling_for_the_portfolio_and_a_wide_screen_less(make_page, login_as):
    """The check above is not empty: on a phone the portfolio really is wider than its box."""
    states = {}
    for width in WIDTHS:
        page = make_page(viewport={"width": width, "height": 800})
        login_as(page, "programme-office")
        page.goto(wide_table_pages()["portfolio"][0])
        states[width] = page.locator(".table-scroll:has(> table.portfolio)").evaluate(BOX_STATE)
    phone, wide = states[360], states[1280]
    assert phone["scrollWidth"] > phone["clientWidth"] and phone["hintShown"]
    assert wide["scrollWidth"] - wide["clientWidth"] < phone["scrollWidth"] - phone["clientWidth"]
