"""Shared look of every ZWK chart: palette, German locale, fonts, accessibility defaults.

The palette is Okabe-Ito (safe for the common colour-vision deficiencies). Every colour used
for marks keeps a contrast of at least 3:1 against white (WCAG 1.4.11 for graphical objects),
which is why Okabe-Ito's yellow and sky blue are left out and its orange is darkened
(#E69F00 has only 2.3:1). The light band blues of fan charts are areas whose meaning is
carried by nesting and legend text, not by their contrast.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from zwk.charts import renderer

# Okabe-Ito colours with >= 3:1 contrast on white, most distinct first.
BLUE = "#0072B2"
VERMILLION = "#D55E00"
GREEN = "#009E73"
PURPLE = "#CC79A7"
ORANGE = "#B56F00"  # Okabe-Ito orange darkened to 4:1 on white
GREY = "#595959"
BLACK = "#000000"

CATEGORY_PALETTE = [BLUE, VERMILLION, GREEN, PURPLE, ORANGE, GREY, BLACK]
# Colours used for men and women in every pyramid, so the two never swap between charts.
SEX_COLOURS = {"Männer": BLUE, "Frauen": VERMILLION}
# Sequential blues for nested percentile bands (outer band lightest).
BAND_BLUES = ["#c6dbef", "#9ecae1", "#6baed6", "#4292c6"]

FONT = "Liberation Sans, DejaVu Sans, Arial, Helvetica, sans-serif"


@cache
def german_locale() -> dict[str, Any]:
    """d3 number and time locale for de-DE, embedded in every spec.

    Embedding it in the spec (config.locale) makes the browser and the SVG export format
    numbers identically (1.234,5) without extra embed options.
    """
    return {
        "number": renderer.format_locale("de-DE"),
        "time": renderer.time_format_locale("de-DE"),
    }


def base_config() -> dict[str, Any]:
    """Vega-Lite config shared by all charts."""
    return {
        "locale": german_locale(),
        "font": FONT,
        "background": "white",
        "range": {"category": CATEGORY_PALETTE},
        "title": {"fontSize": 15, "anchor": "start", "subtitleFontSize": 12, "color": BLACK},
        "axis": {
            "labelFontSize": 11,
            "titleFontSize": 12,
            "labelColor": "#222222",
            "titleColor": "#222222",
            "gridColor": "#dddddd",
        },
        "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom", "labelLimit": 400},
        "header": {"labelFontSize": 12, "titleFontSize": 12},
        "view": {"stroke": None},
        "aria": True,
    }
