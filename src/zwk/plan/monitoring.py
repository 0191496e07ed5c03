"""Monitoring reads of the Werkstattplan: the timeline with milestones (rendered once per state
of the plan and kept in Django's cache), a measure's progress chart, and the actual population
against the projection frozen at the plan's start. Reads only; the writes live in review.py and
baseline.py."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from zwk import formatting
from zwk.charts.monitoring import (
    indicator_over_time,
    population_vs_projection,
    progress_over_time,
)
from zwk.charts.timeline import measures_timeline
from zwk.plan import selectors
from zwk.plan.models import Milestone, PlanVersion, ProgressEntry

TIMELINE_CACHE_SECONDS = 7 * 24 * 3600
CACHE_VERSION = "1"


def _milestone_title(entry: ProgressEntry) -> str:
    parts = []
    if entry.progress is not None:
        parts.append(f"{entry.progress} %")
    if entry.note:
        note = " ".join(entry.note.split())
        parts.append(note if len(note) <= 60 else note[:59] + "…")
    return " – ".join(parts)


def timeline_rows(commune) -> tuple[list[dict], list[dict]]:
    """What the timeline chart is fed with: measures with a start, all progress entries (reached
    milestones) and the planned milestones of the commune's measures, as plain JSON-able dicts.
    Three queries."""
    measures = list(selectors.measures_table(commune))
    rows = [{"id": m.pk, "title": m.title, "start": m.start.isoformat(),
             "end": m.end.isoformat() if m.end else None, "status": m.status.name,
             "colour": m.status.chart_key,
             "action_field": m.goal.action_field.name}
            for m in measures if m.start]
    titles = {m.pk: m.title for m in measures}
    entries = (ProgressEntry.objects.filter(measure__commune=commune)
               .only("measure_id", "date", "progress", "note").order_by("date", "pk"))
    milestones = [{"title": _milestone_title(e), "date": e.date.isoformat(),
                   "measure_id": e.measure_id, "measure": titles[e.measure_id]}
                  for e in entries if e.measure_id in titles]
    today = timezone.localdate()
    planned = (Milestone.objects.filter(measure__commune=commune, reached__isnull=True)
               .only("measure_id", "title", "due"))
    milestones += [{"title": m.title, "date": m.due.isoformat(), "measure_id": m.measure_id,
                    "measure": titles[m.measure_id], "planned": True, "overdue": m.due < today}
                   for m in planned if m.measure_id in titles]
    return rows, milestones


def fingerprint(*parts: Any) -> str:
    """A stable hash of the data a chart is built from: same data, same key; any change in the
    data (or the day, for the "heute" line) gives another key, so a cached chart is never stale."""
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class RenderedChart:
    title: str
    description: str
    headers: list[str]
    rows: list[list[Any]]
    svg: str

    @property
    def svg_base64(self) -> str:
        return base64.b64encode(self.svg.encode("utf-8")).decode("ascii")

    @classmethod
    def of(cls, chart) -> RenderedChart:
        return cls(chart.title, chart.description, list(chart.table.headers),
                   [[("" if c is None else c) for c in row] for row in chart.table.rows],
                   chart.to_svg())


def rendered(kind: str, parts: tuple, build, *, use_cache: bool = True) -> RenderedChart:
    """`build()` → Chart, rendered to SVG once per distinct input: cached in Django's cache under
    a fingerprint of `parts` (exactly the data the chart is built from)."""
    key = f"plan-chart:{CACHE_VERSION}:{kind}:{fingerprint(*parts)}"
    if use_cache:
        hit = cache.get(key)
        if hit is not None:
            return RenderedChart(**hit)
    result = RenderedChart.of(build())
    if use_cache:
        cache.set(key, result.__dict__, TIMELINE_CACHE_SECONDS)
    return result


def timeline_chart(commune, *, today: date | None = None, use_cache: bool = True):
    """The rendered timeline (SVG and its data table) or None without any measure that has a
    start. Rendering takes most of a second for a large plan; the result is cached under a
    fingerprint of exactly the rows fed to the chart (and the day, for the "heute" line)."""
    today = today or timezone.localdate()
    rows, milestones = timeline_rows(commune)
    if not rows:
        return None
    return rendered("timeline", (rows, milestones, today.isoformat()),
                    lambda: measures_timeline(rows, milestones=milestones, today=today),
                    use_cache=use_cache)


def progress_log(measure) -> dict[str, Any]:
    """The log of a measure (newest first), with at least one percentage its chart, and the
    milestones still planned."""
    entries = list(measure.progress_log.select_related("created_by"))
    chart = None
    if any(e.progress is not None for e in entries):
        points = [{"date": e.date.isoformat(), "progress": e.progress} for e in entries]
        chart = rendered("progress", (points,), lambda: progress_over_time(points))
    return {"entries": entries, "chart": chart, "planned": planned_of(measure)}


@dataclass(frozen=True)
class PlannedMilestone:
    item: Milestone
    overdue: bool


def planned_of(measure, *, today: date | None = None) -> list[PlannedMilestone]:
    """The milestones not yet reached, earliest first, each saying whether it is overdue."""
    today = today or timezone.localdate()
    return [PlannedMilestone(m, m.due < today)
            for m in measure.milestones.filter(reached__isnull=True)]


def indicator_chart(goal, measurements, *, name: str, unit: str):
    """Target vs actual of a goal's indicator over time (cached), or None without measurement.
    The baseline counts as of 31.12. of its year; a target without date is left out."""
    if not measurements:
        return None
    points = [{"date": m.measured_on.isoformat(), "value": str(m.value)} for m in measurements]
    baseline = ({"date": f"{goal.baseline_year}-12-31", "value": str(goal.baseline_value)}
                if goal.baseline_value is not None and goal.baseline_year else None)
    target = ({"date": goal.target_date.isoformat(), "value": str(goal.target_value)}
              if goal.target_value is not None and goal.target_date else None)
    return rendered("indicator", (points, baseline, target, name, unit),
                    lambda: indicator_over_time(points, name=name, unit=unit,
                                                baseline=baseline, target=target))


# --- actual population against the projection at the plan's start --------------------------

def baseline_projection(commune) -> tuple[PlanVersion | None, dict | None]:
    """The first adopted version that froze a population projection, and that projection."""
    for version in PlanVersion.objects.filter(commune=commune).order_by("number"):
        projection = (version.snapshot or {}).get("population_projection")
        if projection and projection.get("totals"):
            return version, projection
    return None, None



def population_sentence(commune_name: str, year: int, actual: float, projected: float) -> str:
    diff = round(actual) - round(projected)
    share = (actual / projected - 1) * 100 if projected else 0.0
    if diff == 0:
        return (f"{year} lebten in {commune_name} genau so viele Menschen, wie zu Planbeginn "
                f"vorausberechnet ({formatting.number(actual, 0)}).")
    more = "mehr" if diff > 0 else "weniger"
    people = "Mensch" if abs(diff) == 1 else "Menschen"
    verb = "lebte" if abs(diff) == 1 else "lebten"
    return (f"{year} {verb} {formatting.number(abs(diff), 0)} {people} {more} in {commune_name} "
            f"als zu Planbeginn vorausberechnet ({formatting.signed(share, 1, unit='%')}).")


def profile_series(commune, key: str):
    """One indicator of the commune from the profile's newest loaded data: {year: value} (years
    with a value) and the analysis it comes from; ({}, None) without data."""
    from zwk.profile import analysis

    a = analysis.analysis_for(commune)
    if a is None or a.region is None:
        return {}, None
    table = analysis.indicator_table(a)
    if key not in table.columns:
        return {}, a
    rows = table[(table["ags"] == a.region) & table[key].notna()]
    return {int(y): float(v) for y, v in zip(rows["year"], rows[key], strict=True)}, a


def actual_population(commune) -> tuple[dict[int, float], str]:
    """Total population per year from the profile's newest loaded data, and its source."""
    series, a = profile_series(commune, "bevoelkerung")
    return (series, sources_text(a)) if series else ({}, "")


def sources_text(a) -> str:
    """The loaded files of an analysis, named for people (with the synthetic-data label)."""
    names = list(dict.fromkeys(s.title or s.original_name for s in a.sources))
    text = "; ".join(names[:2]) + (f" und {len(names) - 2} weitere Dateien" if len(names) > 2
                                   else "")
    return f"{text} (synthetische Demodaten)" if a.synthetic else text


def _data_now(years: list[int]) -> str:
    if not years:
        return _("Im Kommunalprofil sind noch keine Bevölkerungsdaten geladen.")
    return _("Im Kommunalprofil sind Bevölkerungsdaten für %(first)s bis %(last)s geladen.") % {
        "first": min(years), "last": max(years)}


def no_baseline_hint(commune) -> str:
    """Why no projection is frozen yet, told for the case at hand: no version adopted; adopted
    while the profile held no population data; adopted with data whose projection failed.
    Each ends with what the profile holds now and what to do next."""
    from zwk.plan.baseline import DATA_YEARS_KEY

    versions = list(PlanVersion.objects.filter(commune=commune).order_by("number"))
    years_now = sorted(actual_population(commune)[0])
    if not versions:
        return " ".join((
            _("Es ist noch keine Fassung des Werkstattplans beschlossen. Mit dem Beschluss einer "
              "Fassung wird die Bevölkerungsvorausberechnung aus den dann geladenen Daten "
              "eingefroren; die Zwischenbilanz vergleicht die tatsächliche Entwicklung damit."),
            _data_now(years_now),
            "" if years_now else _("Laden Sie diese vor dem Beschluss im Kommunalprofil.")
        )).strip()
    last = versions[-1]
    held = (last.snapshot or {}).get(DATA_YEARS_KEY) or []
    names = {"label": last.label, "date": f"{last.adopted_on:%d.%m.%Y}"}
    if held:
        told = _("Als die Fassung „%(label)s“ am %(date)s beschlossen wurde, lagen "
                 "Bevölkerungsdaten für %(first)s bis %(last)s vor, aber die Vorausberechnung "
                 "ließ sich aus ihnen nicht berechnen (zum Beispiel, weil Geburten, Sterbefälle "
                 "oder Wanderungen fehlten); deshalb wurde keine Bevölkerungsvorausberechnung "
                 "eingefroren.") % {**names, "first": min(held), "last": max(held)}
    else:
        told = _("Als die Fassung „%(label)s“ am %(date)s beschlossen wurde, waren im "
                 "Kommunalprofil keine Bevölkerungsdaten geladen; deshalb wurde keine "
                 "Bevölkerungsvorausberechnung eingefroren.") % names
    then = (_("Beschließen Sie eine neue Fassung (Fortschreibung); deren Vorausberechnung gilt "
              "dann als Ausgangspunkt.") if years_now else
            _("Laden Sie Daten im Kommunalprofil und beschließen Sie danach eine neue Fassung; "
              "deren Vorausberechnung gilt dann als Ausgangspunkt."))
    return " ".join((told, _data_now(years_now), then))


def population_check(commune) -> dict[str, Any]:
    """Everything the Zwischenbilanz shows about population: the frozen projection, actual
    values after its base year, the chart, and either a German sentence or a German hint."""
    version, projection = baseline_projection(commune)
    if projection is None:
        return {"hint": no_baseline_hint(commune), "sentence": "", "chart": None}
    projected = {int(y): float(v) for y, v in zip(projection["years"], projection["totals"],
                                                  strict=True)}
    base_year = int(projection["base_year"])
    actual_all, source = actual_population(commune)
    actual = {y: v for y, v in actual_all.items() if y >= base_year}
    compared = sorted(y for y in actual if y in projected and y > base_year)
    result: dict[str, Any] = {"version": version, "projection": projection,
                              "base_year": base_year, "actual_source": source,
                              "sentence": "", "hint": "", "chart": None, "rows": []}
    if compared:
        year = compared[-1]
        result["sentence"] = population_sentence(commune.name, year, actual[year],
                                                 projected[year])
        result["difference"] = round(actual[year]) - round(projected[year])
        result["year"] = year
    elif not actual_all:
        result["hint"] = ("Im Kommunalprofil sind keine Bevölkerungsdaten geladen. Laden Sie die "
                          "neuesten Daten im Kommunalprofil, um die tatsächliche Entwicklung mit "
                          "der Vorausberechnung zu vergleichen.")
    else:
        result["hint"] = (f"Die neuesten Bevölkerungsdaten im Kommunalprofil reichen bis "
                          f"{max(actual_all)}; die Vorausberechnung beginnt {base_year}. Laden "
                          f"Sie neuere Daten im Kommunalprofil, um die tatsächliche Entwicklung "
                          f"zu vergleichen.")
    shown = {y: v for y, v in projected.items() if y <= max([*compared, base_year]) + 5}
    scenario = projection.get("scenario_label", "")
    chart = rendered("population", (shown, actual, commune.name, scenario, base_year),
                     lambda: population_vs_projection(shown, actual, commune=commune.name,
                                                      scenario=scenario, base_year=base_year))
    result["table"] = {"headers": chart.headers, "rows": chart.rows}
    result["chart"] = chart
    return result
