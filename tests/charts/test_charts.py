"""Chart builders: specs are valid Vega-Lite, German, accessible, and tables match the data."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from zwk import charts
from zwk.charts.theme import CATEGORY_PALETTE, SEX_COLOURS

YEARS = list(range(2023, 2031))
MEDIAN = np.linspace(25000, 23000, len(YEARS))


def contrast_on_white(hex_colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(hex_colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def every_chart() -> list[charts.Chart]:
    towns = ["Arnsberg", "Brilon", "Olsberg"]
    return [
        charts.population_pyramid(
            range(101),
            np.linspace(500, 50, 101),
            np.linspace(480, 90, 101),
            year=2023,
            compare_men=np.linspace(400, 80, 101),
            compare_women=np.linspace(400, 120, 101),
            compare_year=2040,
        ),
        charts.population_development(
            [2020, 2021, 2022, 2023],
            [25500, 25400, 25300, 25200],
            projection_years=YEARS,
            projection=MEDIAN,
            low=MEDIAN - 500,
            high=MEDIAN + 400,
            base_year=2023,
        ),
        charts.fan_chart(
            YEARS,
            {10: MEDIAN - 800, 25: MEDIAN - 300, 50: MEDIAN, 75: MEDIAN + 300, 90: MEDIAN + 800},
            base_year=2023,
        ),
        charts.age_groups_over_time(
            YEARS,
            {"unter 18": MEDIAN * 0.15, "18 bis 64": MEDIAN * 0.6, "65 und älter": MEDIAN * 0.25},
        ),
        charts.age_groups_over_time(
            YEARS, {"unter 18": MEDIAN * 0.15, "65 und älter": MEDIAN}, shares=False, stacked=False
        ),
        charts.balance_over_time([2021, 2022, 2023], [-120, -140, -150], [80, -30, 210]),
        charts.migration_by_life_phase(
            charts.LIFE_PHASES, [3, -40, -8, 1, 0.5], reference_rates=[2, -30, -5, 2, 1]
        ),
        charts.commune_ranking(
            towns,
            [46.1, 47.3, 48.0],
            indicator="Durchschnittsalter",
            unit="Jahre",
            reference_value=47.0,
            highlight="Brilon",
        ),
        charts.projected_totals_small_multiples(
            pd.DataFrame(
                [
                    {"commune": t, "year": y, "value": 1000 - i * (y - 2023)}
                    for i, t in enumerate(towns)
                    for y in YEARS
                ]
            ),
            base_year=2023,
        ),
        charts.pyramid_small_multiples(
            pd.DataFrame(
                [
                    {"commune": t, "age": a, "men": 10 + i, "women": 12}
                    for t in towns
                    for i, a in enumerate(["unter 18", "18 bis 64", "65+"])
                ]
            )
        ),
        charts.measures_timeline(
            [
                {
                    "title": "Bürgerbus",
                    "start": "2025-01-01",
                    "end": "2026-12-31",
                    "status": "laufend",
                    "action_field": "Mobilität",
                },
                {
                    "title": "Dorfladen",
                    "start": date(2024, 3, 1),
                    "end": date(2025, 2, 28),
                    "status": "abgeschlossen",
                },
            ],
            milestones=[{"title": "Eröffnung", "date": "2025-06-01", "measure": "Bürgerbus"}],
            today=date(2025, 11, 1),
        ),
    ]


@pytest.fixture(scope="module")
def all_charts():
    return every_chart()


def test_every_chart_compiles_to_svg_with_german_title_and_description(all_charts):
    for chart in all_charts:
        svg = chart.to_svg()
        assert svg.startswith("<svg") and "</svg>" in svg, chart.kind
        assert chart.title and chart.description, chart.kind
        assert chart.spec["description"] == chart.description
        assert chart.spec["config"]["locale"]["number"]["decimal"] == ","


def test_every_chart_has_a_table_with_headers_and_rows(all_charts):
    for chart in all_charts:
        assert chart.table.headers and chart.table.rows, chart.kind
        assert all(len(row) == len(chart.table.headers) for row in chart.table.rows), chart.kind


def test_png_export_is_a_png():
    assert every_chart()[5].to_png().startswith(b"\x89PNG")


def test_palette_has_enough_contrast_for_marks():
    for colour in CATEGORY_PALETTE + list(SEX_COLOURS.values()):
        assert contrast_on_white(colour) >= 3.0, colour


def test_pyramid_puts_men_left_and_women_right_and_keeps_the_outline_year():
    chart = charts.population_pyramid(
        ["unter 18", "18 bis 64"],
        [10, 20],
        [11, 21],
        year=2023,
        compare_men=[8, 18],
        compare_women=[9, 19],
        compare_year=2040,
    )
    data = next(iter(chart.spec["datasets"].values()))
    men = [r for r in data if r["Geschlecht"] == "Männer"]
    assert all(r["Achse"] < 0 for r in men)
    assert chart.table.headers == [
        "Alter",
        "Männer 2023",
        "Frauen 2023",
        "Männer 2040",
        "Frauen 2040",
    ]
    assert chart.table.rows[0] == ["unter 18", 10, 11, 8, 9]
    assert "2040" in chart.spec["title"]["subtitle"]


def test_pyramid_shares_sum_to_hundred():
    chart = charts.population_pyramid([0, 1], [1, 3], [2, 4], year=2023, shares=True)
    assert sum(r[1] + r[2] for r in chart.table.rows) == pytest.approx(100)


def test_development_table_joins_observed_and_projection_by_year():
    chart = charts.population_development(
        [2022, 2023],
        [100, 98],
        projection_years=[2023, 2024],
        projection=[98, 96],
        low=[98, 94],
        high=[98, 97],
        base_year=2023,
    )
    assert chart.table.rows == [
        [2022, 100, None, None, None],
        [2023, 98, 98, 98, 98],
        [2024, None, 96, 94, 97],
    ]
    assert "Basisjahr" in chart.description and "2023" in chart.to_svg()


def test_unequal_lengths_fail_with_a_german_message():
    with pytest.raises(ValueError, match="unterschiedlich lang"):
        charts.population_pyramid([0, 1], [1], [1, 2], year=2023)


def test_csv_uses_semicolon_and_decimal_comma():
    chart = charts.commune_ranking(["A", "B"], [1.5, 2.25], indicator="Quote")
    lines = chart.to_csv().splitlines()
    assert lines[0] == "Rang;Kommune;Quote"
    assert lines[1] == "1;B;2,25"


def test_ranking_highlight_is_marked_by_text_not_only_colour():
    chart = charts.commune_ranking(["A", "B"], [1, 2], indicator="X", highlight="A")
    assert "» A" in chart.to_svg()


def test_timeline_prints_status_as_text_and_lists_milestones():
    chart = every_chart()[-1]
    svg = chart.to_svg()
    assert "laufend" in svg and "abgeschlossen" in svg and "heute" in svg
    row = next(r for r in chart.table.rows if r[0] == "Bürgerbus")
    assert row[2:5] == ["01.01.2025", "31.12.2026", "laufend"]
    assert row[5] == "Eröffnung (01.06.2025)"


def test_names_with_quotes_do_not_break_expressions():
    chart = charts.commune_ranking(
        ['Sankt "X"\'s', "B"], [1, 2], indicator="X", highlight='Sankt "X"\'s'
    )
    assert "Sankt" in chart.to_svg()


def test_javascript_bundle_and_module_are_written_together(tmp_path):
    folder = charts.write_static_files(tmp_path)
    bundle = (folder / "vega-bundle.js").read_text(encoding="utf-8")
    module = (folder / "zwk-charts.js").read_text(encoding="utf-8")
    assert "vegaEmbed" in bundle and "https://cdn" not in module
    assert 'import "./vega-bundle.js"' in module and "ast: true" in module
    assert (folder / "zwk-charts.css").exists()


def _axis_titles(spec) -> list:
    """Every axis title set anywhere in a (faceted, layered) spec."""
    found = []
    if isinstance(spec, dict):
        for channel in ("x", "y"):
            enc = spec.get("encoding", {}).get(channel)
            if isinstance(enc, dict) and "title" in enc:
                found.append(enc["title"])
        for value in spec.values():
            found += _axis_titles(value)
    elif isinstance(spec, list):
        for value in spec:
            found += _axis_titles(value)
    return found


@pytest.mark.parametrize("index", [-2, -1])
def test_small_multiples_say_the_axis_once_not_in_every_cell(index):
    """Titles repeated under every small chart ran into each other (issue 11, item 10)."""
    chart = [c for c in every_chart() if c.kind in ("small_multiples",
                                                    "pyramid_multiples")][index]
    assert [t for t in _axis_titles(chart.spec) if t] == []
    assert chart.spec["title"]["subtitle"]
