"""Components of change: natural balance, migration balance and migration by life phase."""

from __future__ import annotations

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
from zwk.charts.theme import BLACK, BLUE, GREY, VERMILLION
from zwk.formatting import number

NATURAL = "Natürlicher Saldo (Geburten − Sterbefälle)"
MIGRATION = "Wanderungssaldo (Zuzüge − Fortzüge)"
SIGNS = ["Zunahme", "Abnahme"]


def _sign(value: float | None) -> str:
    return "Abnahme" if value is not None and value < 0 else "Zunahme"


def balance_over_time(
    years: Sequence[int],
    natural: Numbers,
    migration: Numbers,
    *,
    commune: str | None = None,
    per_thousand: bool = False,
) -> Chart:
    """Natural balance and migration balance per year as bars above/below zero.

    Each component gets its own labelled panel (so the component is never told by colour);
    within a panel the bar's direction from the zero line shows gain or loss, colour repeats it.
    """
    check_same_length(years=years, natural=natural, migration=migration)
    year_list, nat, mig = as_list(years), as_list(natural), as_list(migration)
    rows = [
        {"Jahr": y, "Komponente": name, "Wert": v, "Richtung": _sign(v)}
        for name, values in ((NATURAL, nat), (MIGRATION, mig))
        for y, v in zip(year_list, values, strict=True)
    ]
    unit = "je 1.000 Einwohner:innen" if per_thousand else "Personen"
    value_format = ".1f" if per_thousand else ",.0f"
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            x=alt.X("Jahr:O", title="Jahr", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("Wert:Q", title=unit, axis=alt.Axis(format=value_format)),
            color=alt.Color(
                "Richtung:N",
                scale=alt.Scale(domain=SIGNS, range=[BLUE, VERMILLION]),
                legend=alt.Legend(title=None),
            ),
            tooltip=[
                "Jahr:O",
                "Komponente:N",
                alt.Tooltip("Wert:Q", title=unit, format=value_format),
            ],
        )
    )
    zero = alt.Chart().mark_rule(color=BLACK).encode(y=alt.datum(0))
    chart = (
        alt.layer(bars, zero, data=pd.DataFrame(rows))
        .properties(width=480, height=150)
        .facet(
            row=alt.Row(
                "Komponente:N",
                sort=[NATURAL, MIGRATION],
                header=alt.Header(
                    title=None,
                    labelAngle=0,
                    labelAnchor="start",
                    labelOrient="top",
                    labelFontWeight="bold",
                ),
            )
        )
        .resolve_scale(y="independent")
    )
    total = [(a or 0) + (b or 0) for a, b in zip(nat, mig, strict=True)]
    table = DataTable(
        ["Jahr", NATURAL, MIGRATION, "Gesamtsaldo"],
        [[y, a, b, t] for y, a, b, t in zip(year_list, nat, mig, total, strict=True)],
    )
    description = (
        f"Zwei Säulendiagramme{' für ' + commune if commune else ''}, {year_list[0]} bis "
        f"{year_list[-1]} ({unit}). Natürlicher Saldo im Mittel "
        f"{number(sum(v or 0 for v in nat) / len(nat), 1)}, Wanderungssaldo im Mittel "
        f"{number(sum(v or 0 for v in mig) / len(mig), 1)} pro Jahr. "
        "Säulen unter der Nulllinie bedeuten Abnahme."
    )
    return build(
        chart,
        kind="balance",
        title="Natürliche Bevölkerungsbewegung und Wanderungen"
        + (f" – {commune}" if commune else ""),
        description=description,
        table=table,
    )


LIFE_PHASES = [
    "Familienwanderung (unter 18 und 30 bis 49 Jahre)",
    "Bildungswanderung (18 bis 24 Jahre)",
    "Berufseinstiegswanderung (25 bis 29 Jahre)",
    "Wanderung zu Beginn der 2. Lebenshälfte (50 bis 64 Jahre)",
    "Alterswanderung (65 Jahre und älter)",
]


def migration_by_life_phase(
    phases: Sequence[str],
    rates: Numbers,
    *,
    reference_rates: Numbers | None = None,
    reference_label: str = "Kreis",
    commune: str | None = None,
) -> Chart:
    """Net migration rate per 1,000 residents of the same age, one horizontal bar per life phase.

    The value is printed beside each bar. An optional reference (e.g. the Kreis) is drawn as a
    black tick per phase and named in the subtitle, so it is found without colour.
    """
    check_same_length(phases=phases, rates=rates, reference_rates=reference_rates)
    names, values = [str(p) for p in as_list(phases)], as_list(rates)
    rows = [
        {"Lebensphase": n, "Wert": v, "Richtung": _sign(v)}
        for n, v in zip(names, values, strict=True)
    ]
    frame = pd.DataFrame(rows)
    y = alt.Y("Lebensphase:N", sort=names, title=None, axis=alt.Axis(labelLimit=360))
    x = alt.X("Wert:Q", title="Wanderungssaldo je 1.000 Einwohner:innen der Altersgruppe")
    layers: list[Any] = [
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "Richtung:N",
                scale=alt.Scale(domain=SIGNS, range=[BLUE, VERMILLION]),
                legend=alt.Legend(title=None),
            ),
            tooltip=["Lebensphase:N", alt.Tooltip("Wert:Q", format=".1f", title="je 1.000")],
        ),
        # Values printed at the bar end, outside the bar, so they never sit on a colour.
        alt.Chart(frame)
        .transform_filter("datum.Wert >= 0")
        .mark_text(align="left", dx=4, color=BLACK)
        .encode(x="Wert:Q", y=y, text=alt.Text("Wert:Q", format="+.1f")),
        alt.Chart(frame)
        .transform_filter("datum.Wert < 0")
        .mark_text(align="right", dx=-4, color=BLACK)
        .encode(x="Wert:Q", y=y, text=alt.Text("Wert:Q", format="+.1f")),
        alt.Chart().mark_rule(color=GREY).encode(x=alt.datum(0)),
    ]
    headers, table_rows = (
        ["Lebensphase", "je 1.000 Einwohner:innen"],
        [[n, v] for n, v in zip(names, values, strict=True)],
    )
    subtitle = None
    if reference_rates is not None:
        refs = as_list(reference_rates)
        ref_frame = pd.DataFrame({"Lebensphase": names, "Referenz": refs})
        layers.append(
            alt.Chart(ref_frame)
            .mark_tick(color=BLACK, thickness=3, size=18)
            .encode(
                x="Referenz:Q",
                y=y,
                tooltip=[
                    "Lebensphase:N",
                    alt.Tooltip("Referenz:Q", format=".1f", title=reference_label),
                ],
            )
        )
        headers.append(f"{reference_label} je 1.000")
        table_rows = [r + [v] for r, v in zip(table_rows, refs, strict=True)]
        subtitle = f"Schwarzer Strich: {reference_label}"
    parts = "; ".join(f"{n}: {number(v, 1)}" for n, v in zip(names, values, strict=True))
    description = (
        f"Balkendiagramm der Wanderungssalden nach Lebensphasen"
        f"{' für ' + commune if commune else ''}, je 1.000 Einwohner:innen der "
        f"Altersgruppe. {parts}."
    )
    return build(
        alt.layer(*layers).properties(width=360, height=40 * len(names)),
        kind="life_phase",
        title="Wanderungen nach Lebensphasen" + (f" – {commune}" if commune else ""),
        subtitle=subtitle,
        description=description,
        table=DataTable(headers, table_rows),
    )
