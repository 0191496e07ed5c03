"""Monitoring charts: status colours from a colour key, milestones, progress over time and
population against the frozen projection. Framework-free (no Django)."""

import pytest

from zwk import charts
from zwk.charts.theme import BLUE, GREEN


def _colours(chart) -> dict:
    layer = chart.spec["layer"][0]
    scale = layer["encoding"]["color"]["scale"]
    return dict(zip(scale["domain"], scale["range"], strict=True))


def test_timeline_colours_follow_the_colour_key_not_the_status_name():
    chart = charts.measures_timeline(
        [{"title": "Café", "start": "2025-01-01", "end": "2025-12-31", "status": "in Umsetzung",
          "colour": "laufend"},
         {"title": "Bus", "start": "2025-02-01", "status": "abgeschlossen"}],
        milestones=[{"title": "40 % – Raum", "date": "2025-05-02", "measure": "Café"}])
    assert _colours(chart) == {"in Umsetzung": BLUE, "abgeschlossen": GREEN}
    assert chart.table.rows[0][5] == "40 % – Raum (02.05.2025)"
    assert "1 Meilensteine" in chart.description


def test_measures_with_the_same_title_keep_their_own_rows_and_milestones():
    chart = charts.measures_timeline(
        [{"id": 1, "title": "Dorfladen", "start": "2025-01-01", "end": "2025-06-30",
          "status": "geplant"},
         {"id": 2, "title": "Dorfladen", "start": "2026-01-01", "end": "2026-06-30",
          "status": "geplant"},
         {"id": 3, "title": "Bus", "start": "2025-03-01", "status": "geplant"}],
        milestones=[{"title": "Eröffnung", "date": "2026-05-01", "measure_id": 2,
                     "measure": "Dorfladen"}])
    rows = [row[0] for row in chart.table.rows]
    assert {"Dorfladen (1)", "Dorfladen (2)", "Bus"} <= set(rows)
    assert any(row[0] == "Dorfladen (2)" and "Eröffnung" in str(row[5])
               for row in chart.table.rows)


def test_progress_over_time_sorts_and_skips_notes():
    chart = charts.progress_over_time([
        {"date": "2025-06-01", "progress": 60}, {"date": "2025-02-01", "progress": 10},
        {"date": "2025-04-01", "progress": None}])
    assert chart.table.rows == [["01.02.2025", 10], ["01.06.2025", 60]]
    assert chart.description.startswith("Fortschritt der Maßnahme an 2 Stichtagen: von 10 %")
    assert chart.to_svg().startswith("<svg")
    with pytest.raises(ValueError):
        charts.progress_over_time([{"date": "2025-01-01", "progress": None}])


def test_population_vs_projection_table_and_description():
    chart = charts.population_vs_projection(
        {2020: 1000, 2021: 990, 2022: 980}, {2019: 1010, 2020: 1000, 2021: 1004},
        commune="Bergstadt", scenario="Basisvariante", base_year=2020)
    assert chart.table.headers == ["Jahr", "Vorausberechnung", "tatsächlich", "Unterschied"]
    assert chart.table.rows == [[2019, None, 1010, None], [2020, 1000, 1000, 0],
                                [2021, 990, 1004, 14], [2022, 980, None, None]]
    assert "2021: tatsächlich 1.004, vorausberechnet 990 (Unterschied +14)" in chart.description
    assert chart.to_svg().startswith("<svg")


def test_indicator_over_time_orders_baseline_measurements_target():
    chart = charts.indicator_over_time(
        [{"date": "2023-12-31", "value": 45.7}, {"date": "2022-12-31", "value": "44.1"}],
        name="Altenquotient", baseline={"date": "2020-12-31", "value": 40},
        target={"date": "2030-12-31", "value": 38})
    assert [r[2] for r in chart.table.rows] == ["Ausgangswert", "Messung", "Messung", "Zielwert"]
    assert chart.description == (
        "Altenquotient: Ausgangswert 40 am 31.12.2020; Messung 44,1 am 31.12.2022; Messung 45,7 "
        "am 31.12.2023; Zielwert 38 am 31.12.2030.")
    assert chart.to_svg().startswith("<svg")
    with pytest.raises(ValueError):
        charts.indicator_over_time([], name="X")
