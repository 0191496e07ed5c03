"""Monitoring charts of a Werkstattplan: a measure's progress over time, and the actual population
against the projection frozen when the plan was adopted. Framework-free: plain data in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, TypedDict

import altair as alt
import pandas as pd

from zwk.charts.chart import Chart, DataTable, build, plain
from zwk.charts.theme import BLACK, BLUE, VERMILLION
from zwk.formatting import number, signed


def _iso(value: Any) -> str:
    value = plain(value)
    return date.fromisoformat(str(value)[:10]).isoformat()


def _german_date(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d.%m.%Y")


class _ProgressPoint(TypedDict):
    Datum: str
    Fortschritt: int


class _YearRow(TypedDict):
    Jahr: int
    p: int | None  # projected
    a: int | None  # actual


class _ValueRow(TypedDict):
    Datum: str
    Wert: float
    Art: str


def progress_over_time(
    entries: Sequence[Mapping[str, Any]], *, title: str = "Fortschritt im Zeitverlauf"
) -> Chart:
    """Step line of a measure's progress in percent: `entries` are dicts with `date` and
    `progress` (0–100); entries without progress are left out. Oldest first on the axis."""
    points: list[_ProgressPoint] = sorted(
        (_ProgressPoint(Datum=_iso(e["date"]), Fortschritt=int(e["progress"]))
         for e in entries if e.get("progress") is not None),
        key=lambda p: p["Datum"],
    )
    if not points:
        raise ValueError("Keine Einträge mit Fortschritt.")
    frame = pd.DataFrame(points)
    x = alt.X("Datum:T", scale=alt.Scale(type="utc"),
              axis=alt.Axis(format="%d.%m.%Y", labelAngle=0, title=None, tickCount=4))
    y = alt.Y("Fortschritt:Q", scale=alt.Scale(domain=[0, 100]), title="Fortschritt in %")
    chart = alt.layer(
        alt.Chart(frame).mark_line(interpolate="step-after", color=BLUE).encode(x=x, y=y),
        alt.Chart(frame).mark_point(filled=True, size=60, color=BLACK).encode(
            x=x, y=y, tooltip=[alt.Tooltip("Datum:T", format="%d.%m.%Y"), "Fortschritt:Q"]),
    ).properties(width=360, height=140)
    first, last = points[0], points[-1]
    description = (
        f"Fortschritt der Maßnahme an {len(points)} Stichtagen: von {first['Fortschritt']} % am "
        f"{_german_date(first['Datum'])} auf {last['Fortschritt']} % am "
        f"{_german_date(last['Datum'])}."
    )
    table = DataTable(["Datum", "Fortschritt in %"],
                      [[_german_date(p["Datum"]), p["Fortschritt"]] for p in points])
    return build(chart, kind="progress", title=title, description=description, table=table)


def population_vs_projection(
    projection: Mapping[int, float],
    actual: Mapping[int, float],
    *,
    commune: str,
    scenario: str,
    base_year: int,
) -> Chart:
    """Line of the frozen projection (total population per year) and points of the actual
    population. The table lists every year of either, with the difference where both exist."""
    years = sorted(set(projection) | set(actual))
    if not projection:
        raise ValueError("Keine Vorausberechnung.")
    rows: list[_YearRow] = []
    for year in years:
        p, a = projection.get(year), actual.get(year)
        rows.append({"Jahr": int(year), "p": None if p is None else round(float(p)),
                     "a": None if a is None else round(float(a))})
    line = pd.DataFrame([{"Jahr": r["Jahr"], "Einwohner": r["p"],
                          "Reihe": f"Vorausberechnung ({base_year})"} for r in rows
                         if r["p"] is not None])
    dots = pd.DataFrame([{"Jahr": r["Jahr"], "Einwohner": r["a"], "Reihe": "tatsächlich"}
                         for r in rows if r["a"] is not None])
    x = alt.X("Jahr:O", title=None, axis=alt.Axis(labelAngle=0))
    y = alt.Y("Einwohner:Q", scale=alt.Scale(zero=False), title="Einwohner:innen")
    colour = alt.Color("Reihe:N", scale=alt.Scale(
        domain=[f"Vorausberechnung ({base_year})", "tatsächlich"], range=[BLUE, VERMILLION]),
        legend=alt.Legend(title=None, orient="bottom"))
    layers: list[Any] = [alt.Chart(line).mark_line(strokeDash=[5, 3]).encode(
        x=x, y=y, color=colour, tooltip=["Jahr:O", alt.Tooltip("Einwohner:Q", format=",.0f")])]
    if len(dots):
        layers.append(alt.Chart(dots).mark_point(filled=True, size=70, shape="diamond").encode(
            x=x, y=y, color=colour,
            tooltip=["Jahr:O", alt.Tooltip("Einwohner:Q", format=",.0f")]))
    both = [(r["Jahr"], r["a"], r["p"]) for r in rows
            if r["p"] is not None and r["a"] is not None]
    if both:
        last_year, last_actual, last_projected = both[-1]
        summary = (f"{last_year}: tatsächlich {number(last_actual, 0)}, vorausberechnet "
                   f"{number(last_projected, 0)} (Unterschied "
                   f"{signed(last_actual - last_projected, 0)}).")
    else:
        summary = "Noch keine tatsächlichen Werte nach dem Basisjahr."
    description = (f"Bevölkerung von {commune}: Vorausberechnung „{scenario}“ mit Basisjahr "
                   f"{base_year} als gestrichelte Linie, tatsächliche Werte als Rauten. {summary}")
    table = DataTable(
        ["Jahr", "Vorausberechnung", "tatsächlich", "Unterschied"],
        [[r["Jahr"], r["p"], r["a"],
          None if r["p"] is None or r["a"] is None else r["a"] - r["p"]] for r in rows])
    return build(alt.layer(*layers).properties(width=480, height=220), kind="population-check",
                 title="Tatsächliche Bevölkerung und Vorausberechnung zu Planbeginn",
                 description=description, table=table)


def indicator_over_time(
    measurements: Sequence[Mapping[str, Any]],
    *,
    name: str,
    unit: str = "",
    baseline: Mapping[str, Any] | None = None,
    target: Mapping[str, Any] | None = None,
) -> Chart:
    """Target vs actual of one goal's indicator: measurements (dicts with `date`, `value`) as a
    line with points, the baseline (`date`, `value`) as its start and the target (`date`,
    `value`) as a separate diamond. The table lists all of them in date order."""
    rows: list[_ValueRow] = [{"Datum": _iso(m["date"]), "Wert": float(m["value"]),
                              "Art": "Messung"} for m in measurements]
    if baseline is not None:
        rows.append({"Datum": _iso(baseline["date"]), "Wert": float(baseline["value"]),
                     "Art": "Ausgangswert"})
    if target is not None:
        rows.append({"Datum": _iso(target["date"]), "Wert": float(target["value"]),
                     "Art": "Zielwert"})
    if not rows:
        raise ValueError("Keine Werte.")
    rows.sort(key=lambda r: (r["Datum"], r["Art"] != "Ausgangswert"))
    actual = [r for r in rows if r["Art"] != "Zielwert"]
    kinds = ["Ausgangswert", "Messung", "Zielwert"]
    colour = alt.Color("Art:N", scale=alt.Scale(domain=kinds, range=[BLACK, BLUE, VERMILLION]),
                       legend=alt.Legend(title=None, orient="bottom"))
    shape = alt.Shape("Art:N", scale=alt.Scale(domain=kinds,
                                               range=["square", "circle", "diamond"]),
                      legend=alt.Legend(title=None, orient="bottom"))  # merged with colour
    x = alt.X("Datum:T", scale=alt.Scale(type="utc"),
              axis=alt.Axis(format="%Y", labelAngle=0, title=None, tickCount=5))
    title_unit = f" ({unit})" if unit else ""
    y = alt.Y("Wert:Q", scale=alt.Scale(zero=False), title=f"{name}{title_unit}")
    layers: list[Any] = []
    if len(actual) > 1:
        layers.append(alt.Chart(pd.DataFrame(actual)).mark_line(color=BLUE).encode(x=x, y=y))
    layers.append(alt.Chart(pd.DataFrame(rows)).mark_point(filled=True, size=80).encode(
        x=x, y=y, color=colour, shape=shape,
        tooltip=["Art:N", alt.Tooltip("Datum:T", format="%d.%m.%Y"), "Wert:Q"]))

    def text(r: _ValueRow) -> str:
        return f"{number(r['Wert'], 1 if r['Wert'] % 1 else 0)}{' ' + unit if unit else ''}"

    parts = [f"{r['Art']} {text(r)} am {_german_date(r['Datum'])}" for r in rows]
    description = f"{name}: " + "; ".join(parts) + "."
    table = DataTable(["Datum", "Wert", "Art"],
                      [[_german_date(r["Datum"]), r["Wert"], r["Art"]] for r in rows])
    return build(alt.layer(*layers).properties(width=300, height=150), kind="indicator",
                 title=f"{name}: Ziel und Ist", description=description, table=table)
