"""Timeline (Gantt chart) of the measures of a Werkstattplan."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import altair as alt
import pandas as pd

from zwk.charts.chart import Chart, DataTable, build, plain
from zwk.charts.theme import BLACK, BLUE, GREEN, GREY, ORANGE, PURPLE, VERMILLION

# Known statuses keep one colour across all plans; the status is also printed as text.
STATUS_COLOURS = {
    "geplant": GREY,
    "laufend": BLUE,
    "abgeschlossen": GREEN,
    "verzögert": ORANGE,
    "gestoppt": VERMILLION,
    "neu": PURPLE,
}


def _iso(value: Any) -> str | None:
    value = plain(value)
    if value is None or value == "":
        return None
    return date.fromisoformat(str(value)[:10]).isoformat()


def _german_date(iso: str | None) -> str:
    return date.fromisoformat(iso).strftime("%d.%m.%Y") if iso else ""


def _row_labels(measures: Sequence[Mapping[str, Any]]) -> list[str]:
    """One row label per measure: its title, numbered when several measures share it (a chart
    row is keyed by its label, so equal titles would otherwise draw on one row)."""
    totals = Counter(str(m["title"]) for m in measures)
    seen: Counter[str] = Counter()
    labels = []
    for m in measures:
        title = str(m["title"])
        seen[title] += 1
        labels.append(title if totals[title] == 1 else f"{title} ({seen[title]})")
    return labels


def measures_timeline(
    measures: Sequence[Mapping[str, Any]],
    *,
    milestones: Sequence[Mapping[str, Any]] = (),
    today: date | None = None,
    title: str = "Zeitplan der Maßnahmen",
) -> Chart:
    """Gantt chart: one bar per measure from start to end, coloured and labelled by status.

    `measures`: dicts with `title`, `start`, `end` (dates or ISO strings), `status` and optional
    `id`, `action_field` and `colour` (a key of STATUS_COLOURS; default: the status itself).
    `milestones`: dicts with `title`, `date` and optional `measure_id` (the `id` of the measure
    it belongs to) or `measure` (its title; without either it gets its own row), and `planned`
    (not reached yet: a hollow diamond) with `overdue`. `today` draws a rule. Measures with the same title get their own rows, numbered "Titel (2)".
    """
    labels = _row_labels(measures)
    bars: list[dict[str, Any]] = [
        {
            "Maßnahme": labels[i],
            "Handlungsfeld": str(m.get("action_field") or ""),
            "Beginn": _iso(m["start"]),
            "Ende": _iso(m.get("end")) or _iso(m["start"]),
            "Status": str(m.get("status") or "geplant"),
            "_colour": STATUS_COLOURS.get(
                str(m.get("colour") or m.get("status") or "geplant").lower(), BLACK),
        }
        for i, m in enumerate(measures)
    ]
    # Measures of one action field stay together; within it, the earliest start comes first.
    bars.sort(key=lambda b: (b["Handlungsfeld"], b["Beginn"] or ""))
    by_id = {m["id"]: labels[i] for i, m in enumerate(measures) if m.get("id") is not None}
    points = [
        {
            "Maßnahme": by_id.get(p.get("measure_id"), str(p.get("measure") or p["title"])),
            "Meilenstein": str(p["title"]),
            "Datum": _iso(p["date"]),
            "Art": _milestone_kind(p),
        }
        for p in milestones
    ]
    order = list(dict.fromkeys([b["Maßnahme"] for b in bars] + [p["Maßnahme"] for p in points]))
    colour_of: dict[str, str] = {}
    for b in bars:
        colour_of.setdefault(b["Status"], b.pop("_colour"))
        b.pop("_colour", None)
    statuses = list(colour_of)
    colours = [colour_of[s] for s in statuses]
    y = alt.Y("Maßnahme:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    time_scale = alt.Scale(type="utc")
    axis = alt.Axis(format="%b %Y", labelAngle=0, title=None)
    layers: list[Any] = [
        alt.Chart(pd.DataFrame(bars))
        .mark_bar(cornerRadius=2, height=14)
        .encode(
            x=alt.X("Beginn:T", scale=time_scale, axis=axis),
            x2="Ende:T",
            y=y,
            color=alt.Color(
                "Status:N",
                scale=alt.Scale(domain=statuses, range=colours),
                legend=alt.Legend(title="Status"),
            ),
            tooltip=[
                "Maßnahme:N",
                "Handlungsfeld:N",
                alt.Tooltip("Beginn:T", format="%d.%m.%Y"),
                alt.Tooltip("Ende:T", format="%d.%m.%Y"),
                "Status:N",
            ],
        ),
        # The status as text after each bar: colour is never the only carrier.
        alt.Chart(pd.DataFrame(bars))
        .mark_text(align="left", dx=4, fontSize=10, color=BLACK)
        .encode(x=alt.X("Ende:T", scale=time_scale), y=y, text="Status:N"),
    ]
    tooltip = ["Meilenstein:N", "Maßnahme:N", alt.Tooltip("Datum:T", format="%d.%m.%Y"), "Art:N"]
    reached = [p for p in points if p["Art"] == REACHED]
    planned = [p for p in points if p["Art"] != REACHED]
    if reached:
        layers.append(
            alt.Chart(pd.DataFrame(reached))
            .mark_point(
                shape="diamond", filled=True, size=110, color=BLACK, stroke="white", strokeWidth=1
            )
            .encode(x=alt.X("Datum:T", scale=time_scale), y=y, tooltip=tooltip)
        )
    if planned:  # hollow: not reached yet (the table says "geplant" / "überfällig" in words)
        layers.append(
            alt.Chart(pd.DataFrame(planned))
            .mark_point(shape="diamond", filled=False, size=110, strokeWidth=2)
            .encode(
                x=alt.X("Datum:T", scale=time_scale),
                y=y,
                color=alt.condition(
                    alt.datum.Art == OVERDUE, alt.value(VERMILLION), alt.value(BLACK)
                ),
                tooltip=tooltip,
            )
        )
    if today is not None:
        frame = pd.DataFrame({"Datum": [today.isoformat()], "Text": ["heute"]})
        layers += [
            alt.Chart(frame)
            .mark_rule(color=VERMILLION, strokeDash=[4, 2])
            .encode(x=alt.X("Datum:T", scale=time_scale)),
            alt.Chart(frame)
            .mark_text(dy=-6, baseline="bottom", color=BLACK)
            .encode(x=alt.X("Datum:T", scale=time_scale), y=alt.value(0), text="Text:N"),
        ]
    return build(
        alt.layer(*layers).properties(width=560, height=max(80, 26 * len(order))),
        kind="timeline",
        title=title,
        subtitle=_subtitle(points),
        description=_timeline_description(bars, points),
        table=_timeline_table(bars, points),
    )


REACHED, PLANNED, OVERDUE = "erreicht", "geplant", "überfällig"


def _milestone_kind(point: Mapping[str, Any]) -> str:
    if not point.get("planned"):
        return REACHED
    return OVERDUE if point.get("overdue") else PLANNED


def _subtitle(points: list[dict[str, Any]]) -> str | None:
    if not points:
        return None
    if all(p["Art"] == REACHED for p in points):
        return "Rauten: Meilensteine"
    return "Rauten: Meilensteine (gefüllt: erreicht, leer: geplant, rot umrandet: überfällig)"


def _point_text(point: dict[str, Any]) -> str:
    when = _german_date(point["Datum"])
    if point["Art"] == REACHED:
        return f"{point['Meilenstein']} ({when})"
    overdue = ", überfällig" if point["Art"] == OVERDUE else ""
    return f"{point['Meilenstein']} (geplant bis {when}{overdue})"


def _timeline_table(bars: list[dict[str, Any]], points: list[dict[str, Any]]) -> DataTable:
    by_measure: dict[str, list[str]] = {}
    for p in points:
        by_measure.setdefault(p["Maßnahme"], []).append(_point_text(p))
    rows = [
        [
            b["Maßnahme"],
            b["Handlungsfeld"],
            _german_date(b["Beginn"]),
            _german_date(b["Ende"]),
            b["Status"],
            "; ".join(by_measure.pop(b["Maßnahme"], [])),
        ]
        for b in bars
    ]
    rows += [[name, "", "", "", "", "; ".join(items)] for name, items in by_measure.items()]
    return DataTable(
        ["Maßnahme", "Handlungsfeld", "Beginn", "Ende", "Status", "Meilensteine"], rows
    )


def _timeline_description(bars: list[dict[str, Any]], points: list[dict[str, Any]]) -> str:
    counts: dict[str, int] = {}
    for b in bars:
        counts[b["Status"]] = counts.get(b["Status"], 0) + 1
    starts = sorted(b["Beginn"] for b in bars if b["Beginn"])
    ends = sorted(b["Ende"] for b in bars if b["Ende"])
    span = f" von {_german_date(starts[0])} bis {_german_date(ends[-1])}" if starts and ends else ""
    status_text = ", ".join(f"{n} {s}" for s, n in counts.items())
    return (
        f"Zeitplan mit {len(bars)} Maßnahmen{span}. Status: {status_text or 'keine'}. "
        f"{len(points)} Meilensteine{_planned_text(points)}."
    )


def _planned_text(points: list[dict[str, Any]]) -> str:
    planned = [p for p in points if p["Art"] != REACHED]
    if not planned:
        return ""
    overdue = sum(p["Art"] == OVERDUE for p in planned)
    return f", davon {len(planned)} geplant" + (f" ({overdue} überfällig)" if overdue else "")
