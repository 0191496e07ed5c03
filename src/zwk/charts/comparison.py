"""Comparing communes: a ranked bar chart for one indicator and small multiples."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from zwk.charts.chart import (
    Chart,
    DataTable,
    Numbers,
    as_list,
    build,
    check_same_length,
)
from zwk.charts.population import SEXES
from zwk.charts.theme import BLACK, BLUE, GREY, SEX_COLOURS, VERMILLION
from zwk.formatting import number


def commune_ranking(
    communes: Sequence[str],
    values: Numbers,
    *,
    indicator: str,
    unit: str = "",
    reference_value: float | None = None,
    reference_label: str = "Kreis",
    highlight: str | None = None,
    digits: int = 1,
) -> Chart:
    """Communes ranked by one indicator (highest on top), value printed beside each bar.

    A reference value (e.g. Kreis or Land) is a labelled dashed rule. The `highlight` commune
    is drawn in another colour *and* its name is bold and marked with "»", so it is found
    without colour.
    """
    check_same_length(communes=communes, values=values)
    names, vals = [str(c) for c in as_list(communes)], as_list(values)
    ranked = sorted(zip(names, vals, strict=True), key=lambda p: (p[1] is None, -(p[1] or 0)))
    order = [n for n, _ in ranked]
    label = {n: (f"» {n}" if n == highlight else n) for n in order}
    frame = pd.DataFrame(
        [
            {
                "Kommune": label[n],
                "Wert": v,
                "Rang": i + 1,
                "Hervorgehoben": "ja" if n == highlight else "nein",
            }
            for i, (n, v) in enumerate(ranked)
        ]
    )
    value_format = f",.{digits}f"
    axis_title = f"{indicator} ({unit})" if unit else indicator
    # json.dumps quotes the name safely inside the Vega expression.
    highlight_test = f"datum.value === {json.dumps(label.get(highlight or '', ''))}"
    y = alt.Y(
        "Kommune:N",
        sort=[label[n] for n in order],
        title=None,
        axis=alt.Axis(
            labelFontWeight=alt.condition(highlight_test, alt.value("bold"), alt.value("normal")),
            labelLimit=240,
        ),
    )
    layers: list[Any] = [
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("Wert:Q", title=axis_title, axis=alt.Axis(format=value_format)),
            y=y,
            color=alt.Color(
                "Hervorgehoben:N",
                scale=alt.Scale(domain=["nein", "ja"], range=[BLUE, VERMILLION]),
                legend=None,
            ),
            tooltip=[
                "Rang:Q",
                "Kommune:N",
                alt.Tooltip("Wert:Q", title=indicator, format=value_format),
            ],
        ),
        alt.Chart(frame)
        .mark_text(align="left", dx=4, color=BLACK)
        .encode(x="Wert:Q", y=y, text=alt.Text("Wert:Q", format=value_format)),
    ]
    subtitle = None
    if reference_value is not None:
        ref = pd.DataFrame(
            {
                "Wert": [reference_value],
                "Text": [f"{reference_label}: {number(reference_value, digits)}"],
            }
        )
        layers += [
            alt.Chart(ref)
            .mark_rule(color=BLACK, strokeDash=[4, 3], strokeWidth=1.5)
            .encode(x="Wert:Q"),
            alt.Chart(ref)
            .mark_text(align="left", dx=4, dy=-4, baseline="bottom", color=BLACK)
            .encode(x="Wert:Q", y=alt.value(0), text="Text:N"),
        ]
        subtitle = f"Gestrichelte Linie: {reference_label}"
    rows = [[i + 1, n, v] for i, (n, v) in enumerate(ranked)]
    top, bottom = ranked[0], ranked[-1]
    description = (
        f"Rangfolge von {len(names)} Kommunen nach {indicator}. Höchster Wert: {top[0]} "
        f"({number(top[1] or 0, digits)}), niedrigster: {bottom[0]} "
        f"({number(bottom[1] or 0, digits)})."
        + (
            f" Vergleichswert {reference_label}: {number(reference_value, digits)}."
            if reference_value is not None
            else ""
        )
        + (f" Hervorgehoben: {highlight}." if highlight else "")
    )
    return build(
        alt.layer(*layers).properties(width=420, height=max(120, 22 * len(names))),
        kind="ranking",
        title=f"{indicator} im Vergleich",
        subtitle=subtitle,
        description=description,
        table=DataTable(["Rang", "Kommune", axis_title], rows),
    )


def projected_totals_small_multiples(
    frame: pd.DataFrame,
    *,
    base_year: int | None = None,
    columns: int = 4,
    indexed: bool = True,
) -> Chart:
    """One small line chart per commune of the (projected) population over time.

    `frame` has the columns `commune`, `year`, `value`. With `indexed=True` every commune is
    shown as an index (base year = 100), so large and small communes share one y scale.
    """
    data = frame[["commune", "year", "value"]].copy()
    data.columns = ["Kommune", "Jahr", "Wert"]
    if indexed:
        start = base_year if base_year is not None else int(data["Jahr"].min())
        base = data[data["Jahr"] == start].set_index("Kommune")["Wert"]
        data["Wert"] = (100 * data["Wert"] / data["Kommune"].map(base)).round(1)
    y_title = (
        f"Index ({base_year or int(data['Jahr'].min())} = 100)" if indexed else "Einwohner:innen"
    )
    line = (
        alt.Chart()
        .mark_line(color=BLUE, strokeWidth=2)
        .encode(
            x=alt.X("Jahr:Q", title=None, axis=alt.Axis(format="d", tickCount=3)),
            # no axis title in the cells: repeated in every small chart the titles run into
            # each other; the chart's subtitle says once what the y axis shows
            y=alt.Y("Wert:Q", title=None, scale=alt.Scale(zero=False)),
            tooltip=["Kommune:N", "Jahr:Q", alt.Tooltip("Wert:Q", title=y_title, format=",.1f")],
        )
    )
    layers: list[Any] = [line]
    if indexed:
        layers.append(alt.Chart().mark_rule(color=GREY, strokeDash=[2, 2]).encode(y=alt.datum(100)))
    chart = (
        alt.layer(*layers, data=data)
        .properties(width=150, height=90)
        .facet(
            facet=alt.Facet("Kommune:N", title=None, header=alt.Header(labelFontSize=12)),
            columns=columns,
        )
    )
    wide = data.pivot_table(index="Jahr", columns="Kommune", values="Wert").sort_index()
    headers = ["Jahr"] + [str(c) for c in wide.columns]
    rows = [[int(y)] + [None if pd.isna(v) else float(v) for v in wide.loc[y]] for y in wide.index]
    last_year = int(data["Jahr"].max())
    last = data[data["Jahr"] == last_year].sort_values("Wert")
    description = (
        f"Kleine Liniendiagramme für {data['Kommune'].nunique()} Kommunen, "
        f"{int(data['Jahr'].min())} bis {last_year}, {y_title}. Im Jahr {last_year} "
        f"niedrigster Wert: {last.iloc[0]['Kommune']} "
        f"({number(last.iloc[0]['Wert'], 1)}), höchster: "
        f"{last.iloc[-1]['Kommune']} ({number(last.iloc[-1]['Wert'], 1)})."
    )
    return build(
        chart,
        kind="small_multiples",
        title="Bevölkerungsentwicklung der Kommunen",
        subtitle=y_title,
        description=description,
        table=DataTable(headers, rows),
    )


def pyramid_small_multiples(
    frame: pd.DataFrame, *, columns: int = 4, year: int | None = None
) -> Chart:
    """One small population pyramid per commune, in percent of each commune's total.

    `frame` has the columns `commune`, `age` (labels, youngest first in order of appearance),
    `men`, `women`. Shares make communes of different size comparable.
    """
    data = frame[["commune", "age", "men", "women"]].copy()
    ages = [str(a) for a in dict.fromkeys(data["age"])]
    totals = data.groupby("commune")[["men", "women"]].sum().sum(axis=1)
    rows: list[dict[str, Any]] = []
    table_rows: list[list[Any]] = []
    for rec in data.itertuples(index=False):
        total = totals[rec.commune]
        men, women = round(100 * rec.men / total, 2), round(100 * rec.women / total, 2)
        rows += [
            {
                "Kommune": rec.commune,
                "Alter": str(rec.age),
                "Geschlecht": "Männer",
                "Achse": -men,
                "Wert": men,
            },
            {
                "Kommune": rec.commune,
                "Alter": str(rec.age),
                "Geschlecht": "Frauen",
                "Achse": women,
                "Wert": women,
            },
        ]
        table_rows.append([rec.commune, str(rec.age), men, women])
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            x=alt.X(
                "Achse:Q",
                title=None,  # said once in the subtitle, not under every small pyramid
                axis=alt.Axis(labelExpr="format(abs(datum.value), '.0f')", tickCount=3),
            ),
            y=alt.Y(
                "Alter:O",
                sort=list(reversed(ages)),
                title=None,
                axis=alt.Axis(values=ages[:: max(1, len(ages) // 4)]),
            ),
            color=alt.Color(
                "Geschlecht:N",
                scale=alt.Scale(domain=SEXES, range=[SEX_COLOURS[s] for s in SEXES]),
                legend=alt.Legend(title=None),
            ),
            tooltip=["Kommune:N", "Alter:O", "Geschlecht:N", alt.Tooltip("Wert:Q", format=".1f")],
        )
    )
    chart = (
        alt.layer(bars, data=pd.DataFrame(rows))
        .properties(width=150, height=150)
        .facet(facet=alt.Facet("Kommune:N", title=None), columns=columns)
    )
    title = "Altersaufbau der Kommunen" + (f" {year}" if year else "")
    description = (
        f"Kleine Bevölkerungspyramiden für {len(totals)} Kommunen in Prozent der "
        f"jeweiligen Einwohnerzahl, links Männer, rechts Frauen, jüngste unten."
    )
    return build(
        chart,
        kind="pyramid_multiples",
        title=title,
        subtitle="Anteil in % · links Männer, rechts Frauen",
        description=description,
        table=DataTable(["Kommune", "Alter", "Männer in %", "Frauen in %"], table_rows),
    )
