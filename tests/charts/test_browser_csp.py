"""The browser embed works under a strict Content-Security-Policy (real Chromium)."""

from __future__ import annotations

import html
import http.server
import json
import threading
from functools import partial
from pathlib import Path

import pytest

from zwk.charts import population_pyramid, write_static_files

CHROMIUM = Path("/usr/bin/chromium")
STRICT_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="LOUD SKIP: /usr/bin/chromium is missing; install Debian's "
        "chromium package to run the CSP browser test",
    ),
]


class CSPHandler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", STRICT_CSP)
        super().end_headers()

    def log_message(self, *args) -> None:  # keep test output clean
        pass


def script_safe_json(spec: dict) -> str:
    # What Django's json_script does: no "<" can close the script element early.
    return json.dumps(spec).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    write_static_files(root / "static")
    chart = population_pyramid(
        ["unter 18", "18 bis 64", "65 und älter"],
        [10, 30, 9],
        [9, 29, 12],
        year=2023,
        commune="Test <script>&",
    )
    (root / "index.html").write_text(
        f"""<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>CSP-Test</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/zwk/charts/zwk-charts.css">
<script type="module" src="/static/zwk/charts/zwk-charts.js"></script></head>
<body><div class="zwk-chart" data-spec-id="spec-1" aria-label="{html.escape(chart.title)}"></div>
<script type="application/json" id="spec-1">{script_safe_json(chart.spec)}</script>
</body></html>""",
        encoding="utf-8",
    )
    # Control page: the same bundle embedded *without* the interpreter option.
    (root / "control.js").write_text(
        'import "/static/zwk/charts/vega-bundle.js";\n'
        'const spec = JSON.parse(document.getElementById("spec-1").textContent);\n'
        'window.vegaEmbed("#plain", spec, {renderer: "svg", actions: false, defaultStyle: false})\n'
        '  .then(() => document.body.dataset.outcome = "rendered")\n'
        "  .catch((error) => document.body.dataset.outcome = String(error));\n",
        encoding="utf-8",
    )
    (root / "control.html").write_text(
        f"""<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Kontrolle</title>
<link rel="icon" href="data:,"><script type="module" src="/control.js"></script></head>
<body><div id="plain"></div>
<script type="application/json" id="spec-1">{script_safe_json(chart.spec)}</script>
</body></html>""",
        encoding="utf-8",
    )
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(CSPHandler, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", chart
    server.shutdown()


def open_page(browser, url):
    page = browser.new_page()
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(f"{msg.type}: {msg.text}"))
    page.on("pageerror", lambda err: messages.append(f"pageerror: {err}"))
    page.goto(url)
    return page, messages


def test_chart_renders_svg_without_csp_violations(site, browser):
    url, chart = site
    page, messages = open_page(browser, url)
    page.wait_for_selector(".zwk-chart[data-zwk-state=ready] svg", timeout=20_000)
    svg = page.locator(".zwk-chart svg")
    assert svg.locator("path, rect").count() > 3, "the SVG should contain the bars"
    # Vega puts the spec's description on the container (role graphics-document).
    container = page.locator(".zwk-chart")
    assert container.get_attribute("role") == "graphics-document"
    assert chart.description == container.get_attribute("aria-label")
    problems = [m for m in messages if "Content Security Policy" in m or "error" in m.split(":")[0]]
    assert problems == [], problems
    page.close()


def test_csp_really_blocks_eval_without_the_interpreter(site, browser):
    """Control: the same bundle without `ast: true` is refused, so the CSP above is in force."""
    url, chart = site
    page, messages = open_page(browser, url + "control.html")
    page.wait_for_selector("body[data-outcome]", state="attached", timeout=20_000)
    outcome = page.locator("body").get_attribute("data-outcome") or ""
    assert "unsafe-eval" in outcome or any("unsafe-eval" in m for m in messages), (
        outcome,
        messages,
    )
    page.close()
