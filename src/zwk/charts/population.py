"""Charts of the population itself: pyramid, development with projection, fan chart, age groups."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
from zwk.charts.theme import BAND_BLUES, BLACK, BLUE, CATEGORY_PALETTE, SEX_COLOURS
from zwk.formatting import number

SEXES = ["Männer", "Frauen"]
POPULATION = "Einwohner:innen"


def _where(commune: str | None) -> str:
    return f" – {commune}" if commune else ""


def _share(values: list[float], total: float) -> list[float]:
    return [round(100 * v / total, 2) if total else 0.0 for v in values]


def _pyramid_rows(ages: list[str], men: list[float], women: list[float],
                  year: int) -> list[dict[str, Any]]:
    rows = []
    for age, m, w in zip(ages, men, women, strict=True):
        rows.append({"Alter": age, "Geschlecht": "Männer", "Wert": m, "Achse": -m, "Jahr": year})
        rows.append({"Alter": age, "Geschlecht": "Frauen", "Wert": w, "Achse": w, "Jahr": year})
    return rows


def _age_axis(ages: list[str]) -> alt.Axis:
    # With single years, labelling every bar is unreadable: show every tenth year only.
    if len(ages) > 30:
        return alt.Axis(title="Alter in Jahren", values=ages[::10])
    return alt.Axis(title="Altersgruppe")


def population_pyramid(
    ages: Sequence[Any],
    men: Numbers,
    women: Numbers,
    *,
    year: int,
    compare_men: Numbers | None = None,
    compare_women: Numbers | None = None,
    compare_year: int | None = None,
    commune: str | None = None,
    shares: bool = False,
) -> Chart:
    """Population pyramid, men left and women right, youngest at the bottom.

    `ages` are single years (0, 1, ...) or age-group labels ("unter 3", "3 bis unter 6", ...),
    youngest first. With `compare_*` a second year (e.g. the projection year) is drawn as an
    outline over the bars. With `shares=True` values are percent of each year's total.
    """
    check_same_length(
        ages=ages, men=men, women=women, compare_men=compare_men, compare_women=compare_women
    )
    labels = [str(a) for a in as_list(ages)]
    men_v, women_v = as_list(men), as_list(women)
    if shares:
        total = sum(men_v) + sum(women_v)
        men_v, women_v = _share(men_v, total), _share(women_v, total)
    comparing = compare_men is not None and compare_women is not None and compare_year is not None
    cmp_men: list[float] = []
    cmp_women: list[float] = []
    if comparing:
        cmp_men, cmp_women = (
            as_list(compare_men if compare_men is not None else []),
            as_list(compare_women if compare_women is not None else []),
        )
        if shares:
            total = sum(cmp_men) + sum(cmp_women)
            cmp_men, cmp_women = _share(cmp_men, total), _share(cmp_women, total)

    unit = "Anteil in %" if shares else POPULATION
    number_format = ".1f" if shares else ",.0f"
    x = alt.X(
        "Achse:Q",
        title=f"{unit} · links Männer, rechts Frauen",
        axis=alt.Axis(labelExpr=f"format(abs(datum.value), '{number_format}')"),
    )
    y = alt.Y("Alter:O", sort=list(reversed(labels)), axis=_age_axis(labels))
    tooltip = [
        alt.Tooltip("Alter:O"),
        alt.Tooltip("Geschlecht:N"),
        alt.Tooltip("Jahr:O"),
        alt.Tooltip("Wert:Q", title=unit, format=number_format),
    ]
    bars = (
        alt.Chart(pd.DataFrame(_pyramid_rows(labels, men_v, women_v, year)))
        .mark_bar()
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "Geschlecht:N",
                scale=alt.Scale(domain=SEXES, range=[SEX_COLOURS[s] for s in SEXES]),
                legend=alt.Legend(title=f"Bevölkerung {year}"),
            ),
            tooltip=tooltip,
        )
    )
    layers: list[alt.Chart] = [bars]
    headers = ["Alter", f"Männer {year}", f"Frauen {year}"]
    rows = [[a, m, w] for a, m, w in zip(labels, men_v, women_v, strict=True)]
    subtitle = None
    if comparing and compare_year is not None:  # comparing implies it; said for mypy
        outline = (
            alt.Chart(pd.DataFrame(_pyramid_rows(labels, cmp_men, cmp_women, compare_year)))
            .mark_bar(filled=False, stroke=BLACK, strokeWidth=1)
            .encode(x=x, y=y, tooltip=tooltip)
        )
        layers.append(outline)
        headers += [f"Männer {compare_year}", f"Frauen {compare_year}"]
        rows = [r + [m, w] for r, m, w in zip(rows, cmp_men, cmp_women, strict=True)]
        subtitle = f"Flächen: {year} · schwarzer Umriss: {compare_year}"

    total_now = sum(men_v) + sum(women_v)
    description = (
        f"Bevölkerungspyramide{_where(commune)} {year}, {len(labels)} Altersstufen. "
        f"Links Männer, rechts Frauen, jüngste unten. "
        + ("" if shares else f"Insgesamt {number(total_now, 0)} Personen. ")
        + (f"Der Umriss zeigt {compare_year} zum Vergleich." if comparing else "")
    )
    chart = alt.layer(*layers).properties(width=420, height=min(520, max(240, 4 * len(labels))))
    return build(
        chart,
        kind="pyramid",
        title=f"Bevölkerung nach Alter und Geschlecht{_where(commune)}",
        subtitle=subtitle,
        description=description.strip(),
        table=DataTable(headers, rows),
    )


def _base_year_rule(base_year: int, label: str = "Basisjahr") -> alt.LayerChart | alt.FacetChart:
    frame = pd.DataFrame({"Jahr": [base_year], "Text": [f"{label} {base_year}"]})
    rule = alt.Chart(frame).mark_rule(color=BLACK, strokeDash=[2, 2]).encode(x="Jahr:Q")
    text = (
        alt.Chart(frame)
        .mark_text(align="left", dx=4, dy=-6, baseline="bottom", color=BLACK, fontSize=11)
        .encode(x="Jahr:Q", y=alt.value(0), text="Text:N")
    )
    return alt.layer(rule, text)


def population_development(
    observed_years: Sequence[int],
    observed: Numbers,
    *,
    projection_years: Sequence[int] | None = None,
    projection: Numbers | None = None,
    low: Numbers | None = None,
    high: Numbers | None = None,
    base_year: int | None = None,
    commune: str | None = None,
    band_label: str = "Unsicherheitsbereich (10.–90. Perzentil)",
) -> Chart:
    """Population over time: observed line, projection (dashed) and an uncertainty band.

    `low`/`high` are the 10th/90th percentiles of a stochastic projection, aligned with
    `projection_years`. The base year is marked by a labelled dashed rule.
    """
    check_same_length(observed_years=observed_years, observed=observed)
    check_same_length(projection_years=projection_years, projection=projection, low=low, high=high)
    lines = [
        {"Jahr": y, "Wert": v, "Reihe": "Beobachtet"}
        for y, v in zip(as_list(observed_years), as_list(observed), strict=True)
    ]
    proj_years = as_list(projection_years if projection_years is not None else [])
    proj = as_list(projection if projection is not None else [])
    lines += [
        {"Jahr": y, "Wert": v, "Reihe": "Vorausberechnung"}
        for y, v in zip(proj_years, proj, strict=True)
    ]
    series = ["Beobachtet", "Vorausberechnung"] if proj else ["Beobachtet"]
    x = alt.X("Jahr:Q", title="Jahr", axis=alt.Axis(format="d"), scale=alt.Scale(nice=False))
    y_title = POPULATION
    layers: list[Any] = []
    band_low, band_high = (
        as_list(low if low is not None else []),
        as_list(high if high is not None else []),
    )
    if band_low and band_high:
        band = pd.DataFrame(
            {"Jahr": proj_years, "Unten": band_low, "Oben": band_high, "Bereich": band_label}
        )
        layers.append(
            alt.Chart(band)
            .mark_area(opacity=0.6)
            .encode(
                x=x,
                y=alt.Y("Unten:Q", title=y_title),
                y2="Oben:Q",
                fill=alt.Fill(
                    "Bereich:N",
                    scale=alt.Scale(range=[BAND_BLUES[1]]),
                    legend=alt.Legend(title=None),
                ),
                tooltip=[
                    "Jahr:Q",
                    alt.Tooltip("Unten:Q", format=",.0f", title="10. Perzentil"),
                    alt.Tooltip("Oben:Q", format=",.0f", title="90. Perzentil"),
                ],
            )
        )
    layers.append(
        alt.Chart(pd.DataFrame(lines))
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y(
                "Wert:Q", title=y_title, scale=alt.Scale(zero=False), axis=alt.Axis(format=",.0f")
            ),
            color=alt.Color(
                "Reihe:N",
                scale=alt.Scale(domain=series, range=[BLACK, BLUE]),
                legend=alt.Legend(title=None),
            ),
            # Dashes and shapes tell observed and projected apart without relying on colour;
            # they share the colour's legend (one legend shows all three; legend=None on a
            # channel of the same field made Vega warn of a conflicting "disable")
            strokeDash=alt.StrokeDash(
                "Reihe:N",
                scale=alt.Scale(domain=series, range=[[1, 0], [6, 3]]),
                legend=alt.Legend(title=None),
            ),
            shape=alt.Shape(
                "Reihe:N",
                scale=alt.Scale(domain=series, range=["circle", "triangle-up"]),
                legend=alt.Legend(title=None),
            ),
            tooltip=["Jahr:Q", "Reihe:N", alt.Tooltip("Wert:Q", format=",.0f", title=y_title)],
        )
    )
    if base_year is not None:
        layers.append(_base_year_rule(base_year))

    by_year: dict[int, list[Any]] = {}
    for row in lines:
        slot = by_year.setdefault(row["Jahr"], [row["Jahr"], None, None, None, None])
        slot[1 if row["Reihe"] == "Beobachtet" else 2] = row["Wert"]
    for y, lo, hi in zip(proj_years, band_low, band_high, strict=False):
        by_year[y][3:5] = [lo, hi]
    headers = ["Jahr", "Beobachtet", "Vorausberechnung (Median)", "10. Perzentil", "90. Perzentil"]
    table = DataTable(headers, [by_year[y] for y in sorted(by_year)])

    description = _development_description(lines, proj, proj_years, base_year, commune)
    return build(
        alt.layer(*layers).properties(width=520, height=300),
        kind="development",
        title=f"Bevölkerungsentwicklung{_where(commune)}",
        description=description,
        table=table,
    )


def _development_description(lines: list[dict[str, Any]], proj: list[float],
                             proj_years: list[int], base_year: int | None,
                             commune: str | None) -> str:
    observed = [r for r in lines if r["Reihe"] == "Beobachtet"]
    text = (
        f"Liniendiagramm der Einwohnerzahl{_where(commune)}. Beobachtet von "
        f"{observed[0]['Jahr']} ({number(observed[0]['Wert'], 0)}) bis "
        f"{observed[-1]['Jahr']} ({number(observed[-1]['Wert'], 0)})."
    )
    if proj:
        text += f" Vorausberechnung (gestrichelt) bis {proj_years[-1]}: {number(proj[-1], 0)}."
    if base_year is not None:
        text += f" Basisjahr der Vorausberechnung: {base_year}."
    return text


def _percentile_label(p: float) -> str:
    return f"{p:g}."


def fan_chart(
    years: Sequence[int],
    percentiles: Mapping[float, Numbers],
    *,
    observed_years: Sequence[int] | None = None,
    observed: Numbers | None = None,
    base_year: int | None = None,
    commune: str | None = None,
    value_title: str = POPULATION,
    title: str | None = None,
) -> Chart:
    """Fan chart of a stochastic projection: nested percentile bands and the median.

    `percentiles` maps a percentile (e.g. 5, 10, 25, 50, 75, 90, 95) to values per year.
    Bands pair p with 100 − p; outer bands are lighter. Band names are in the legend and in
    the tooltips, and the bands are nested, so their order is readable without colour.
    """
    keys = sorted(percentiles)
    check_same_length(years=years, **{f"p{k:g}": percentiles[k] for k in keys})
    year_list = as_list(years)
    values = {k: as_list(percentiles[k]) for k in keys}
    pairs = [(lo, 100 - lo) for lo in keys if lo < 50 and (100 - lo) in values]
    band_names = [f"{_percentile_label(lo)}–{_percentile_label(hi)} Perzentil" for lo, hi in pairs]
    rows = []
    for (lo, hi), name in zip(pairs, band_names, strict=True):
        rows += [
            {"Jahr": y, "Unten": a, "Oben": b, "Bereich": name}
            for y, a, b in zip(year_list, values[lo], values[hi], strict=True)
        ]
    x = alt.X("Jahr:Q", title="Jahr", axis=alt.Axis(format="d"), scale=alt.Scale(nice=False))
    shades = BAND_BLUES[: len(pairs)] if len(pairs) <= len(BAND_BLUES) else None
    layers: list[Any] = [
        alt.Chart(pd.DataFrame(rows))
        .mark_area()
        .encode(
            x=x,
            y=alt.Y(
                "Unten:Q",
                title=value_title,
                scale=alt.Scale(zero=False),
                axis=alt.Axis(format=",.0f"),
            ),
            y2="Oben:Q",
            fill=alt.Fill(
                "Bereich:N",
                sort=band_names,
                # more bands than shades: Vega's default scheme (range=None is invalid)
                scale=alt.Scale(domain=band_names, range=shades) if shades
                else alt.Scale(domain=band_names),
                legend=alt.Legend(title="Bandbreite"),
            ),
            order=alt.Order("Bereich:N"),
            tooltip=[
                "Jahr:Q",
                "Bereich:N",
                alt.Tooltip("Unten:Q", format=",.0f"),
                alt.Tooltip("Oben:Q", format=",.0f"),
            ],
        )
    ]
    line_rows = []
    if 50 in values:
        line_rows += [
            {"Jahr": y, "Wert": v, "Reihe": "Median"}
            for y, v in zip(year_list, values[50], strict=True)
        ]
    if observed_years is not None and observed is not None:
        line_rows += [
            {"Jahr": y, "Wert": v, "Reihe": "Beobachtet"}
            for y, v in zip(as_list(observed_years), as_list(observed), strict=True)
        ]
    if line_rows:
        series = [s for s in ("Beobachtet", "Median") if any(r["Reihe"] == s for r in line_rows)]
        layers.append(
            alt.Chart(pd.DataFrame(line_rows))
            .mark_line(strokeWidth=2)
            .encode(
                x=x,
                y="Wert:Q",
                color=alt.Color(
                    "Reihe:N",
                    scale=alt.Scale(domain=series, range=[BLACK, "#08306b"][: len(series)]),
                    legend=alt.Legend(title=None),
                ),
                strokeDash=alt.StrokeDash(
                    "Reihe:N",
                    scale=alt.Scale(domain=series, range=[[1, 0], [6, 3]][: len(series)]),
                    legend=alt.Legend(title=None),  # merged with the colour legend
                ),
                tooltip=["Jahr:Q", "Reihe:N", alt.Tooltip("Wert:Q", format=",.0f")],
            )
        )
    if base_year is not None:
        layers.append(_base_year_rule(base_year))

    headers = ["Jahr"] + [f"{_percentile_label(k)} Perzentil" for k in keys]
    table_rows = [[y] + [values[k][i] for k in keys] for i, y in enumerate(year_list)]
    widest = band_names[0] if band_names else ""
    description = (
        f"Fächerdiagramm der Vorausberechnung{_where(commune)} von {year_list[0]} bis "
        f"{year_list[-1]}. Bänder: {', '.join(band_names)}."
        + (
            f" Im Jahr {year_list[-1]} liegt die Spanne {widest} zwischen "
            f"{number(values[pairs[0][0]][-1], 0)} und {number(values[pairs[0][1]][-1], 0)}."
            if pairs
            else ""
        )
        + (f" Median: {number(values[50][-1], 0)}." if 50 in values else "")
    )
    return build(
        alt.layer(*layers).properties(width=520, height=300),
        kind="fan",
        title=title or f"Vorausberechnung mit Unsicherheit{_where(commune)}",
        description=description,
        table=DataTable(headers, table_rows),
    )


def age_groups_over_time(
    years: Sequence[int],
    groups: Mapping[str, Numbers],
    *,
    shares: bool = True,
    stacked: bool = True,
    base_year: int | None = None,
    commune: str | None = None,
) -> Chart:
    """Age groups over time as stacked areas or as lines, in percent or in persons.

    `groups` maps a group label (youngest first, e.g. "unter 18", "18 bis 64", "65 bis 79",
    "80 und älter") to values per year. Each group is labelled directly at the right end,
    so groups are identified by text, not by colour alone.
    """
    check_same_length(years=years, **{f"group_{i}": v for i, v in enumerate(groups.values())})
    year_list = as_list(years)
    names = list(groups)
    raw = {name: as_list(groups[name]) for name in names}
    if shares:
        totals = [sum(raw[n][i] for n in names) for i in range(len(year_list))]
        raw = {
            n: [round(100 * v / t, 2) if t else 0.0 for v, t in zip(raw[n], totals, strict=True)]
            for n in names
        }
    rows = [
        {"Jahr": y, "Altersgruppe": n, "Wert": raw[n][i], "Reihenfolge": names.index(n)}
        for n in names
        for i, y in enumerate(year_list)
    ]
    unit = "Anteil in %" if shares else POPULATION
    value_format = ".1f" if shares else ",.0f"
    colours = CATEGORY_PALETTE[: len(names)]
    x = alt.X("Jahr:Q", title="Jahr", axis=alt.Axis(format="d"), scale=alt.Scale(nice=False))
    colour = alt.Color(
        "Altersgruppe:N",
        sort=names,
        scale=alt.Scale(domain=names, range=colours),
        legend=alt.Legend(title="Altersgruppe"),
    )
    tooltip = ["Jahr:Q", "Altersgruppe:N", alt.Tooltip("Wert:Q", title=unit, format=value_format)]
    frame = pd.DataFrame(rows)
    if stacked:
        # Oldest group on top: stack order follows the label order from young to old.
        marks = (
            alt.Chart(frame)
            .mark_area(line={"color": "white", "strokeWidth": 1})
            .encode(
                x=x,
                y=alt.Y(
                    "Wert:Q",
                    title=unit,
                    stack="zero",
                    scale=alt.Scale(domain=[0, 100]) if shares else alt.Undefined,
                ),
                color=colour,
                order=alt.Order("Reihenfolge:Q", sort="ascending"),
                tooltip=tooltip,
            )
        )
    else:
        marks = (
            alt.Chart(frame)
            .mark_line(point=True)
            .encode(
                x=x,
                y=alt.Y("Wert:Q", title=unit),
                color=colour,
                strokeDash=alt.StrokeDash("Altersgruppe:N", sort=names,
                                          legend=alt.Legend(title="Altersgruppe")),
                tooltip=tooltip,
            )
        )
    labels = _end_labels(names, raw, year_list[-1], stacked)
    text = (
        alt.Chart(pd.DataFrame(labels))
        .mark_text(align="left", dx=6, fontSize=11, color=BLACK)
        .encode(x="Jahr:Q", y="Position:Q", text="Altersgruppe:N")
    )
    layers: list[Any] = [marks, text]
    if base_year is not None:
        layers.append(_base_year_rule(base_year))

    headers = ["Jahr"] + names
    table_rows = [[y] + [raw[n][i] for n in names] for i, y in enumerate(year_list)]
    last = ", ".join(f"{n}: {number(raw[n][-1], 1 if shares else 0)}" for n in names)
    description = (
        f"{'Gestapelte Flächen' if stacked else 'Linien'} der Altersgruppen"
        f"{_where(commune)} von {year_list[0]} bis {year_list[-1]} ({unit}). "
        f"Im Jahr {year_list[-1]}: {last}."
    )
    return build(
        alt.layer(*layers).properties(width=480, height=300),
        kind="age_groups",
        title=f"Altersgruppen im Zeitverlauf{_where(commune)}",
        description=description,
        table=DataTable(headers, table_rows),
    )


def _end_labels(
    names: list[str], values: dict[str, list[float]], last_year: int, stacked: bool
) -> list[dict[str, Any]]:
    """Label positions at the last year: the middle of each stacked band, or the line end."""
    labels, floor = [], 0.0
    for name in names:
        value = values[name][-1]
        position = floor + value / 2 if stacked else value
        floor += value if stacked else 0.0
        labels.append({"Jahr": last_year, "Position": position, "Altersgruppe": name})
    return labels
