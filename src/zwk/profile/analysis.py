"""The analysis half of the Kommunalprofil: indicators with comparisons and trend, charts,
projections, the towns of a Kreis, the typology, the synopsis and the report.

Reads only. Every result is computed from the commune's files (`zwk.profile.data`) with the
engine (`zwk.demography`) and kept in an in-process cache keyed by the content hashes of the
files (and the scenario), so a page view only recomputes what changed; behind it the shared
cache of all app processes (`zwk.profile.cache`), so one process computes for all.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass, field
from threading import Lock

import numpy as np
import pandas as pd

from zwk import charts
from zwk.demography import AssumptionError, DemographyError, indicators_table
from zwk.demography.ages import MUNICIPAL_GROUPS, OPEN, age_label
from zwk.demography.dataset import Dataset, best_partition
from zwk.demography.indicators import LIFE_PHASES, band_sum
from zwk.demography.projection import SCENARIOS, get_scenario, project, scenario_from_dict
from zwk.demography.projection.stochastic import project_stochastic
from zwk.demography.regions import level
from zwk.profile import cache as shared
from zwk.profile import data
from zwk.profile.evidence import swot_evidence
from zwk.profile.services import ProfileError
from zwk.reports.model import german_number

MAX_HORIZON = 2050
TRAJECTORIES = 200
_CACHE: OrderedDict[tuple, object] = OrderedDict()
_CACHE_SIZE = 256
_LOCK = Lock()


def cached(key: tuple, compute):
    """`compute()` once per key: in-process LRU first, then the shared cache of all app
    processes (`zwk.profile.cache`, Redis when configured), else compute and store in both."""
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    value = shared.get_or_compute(key, compute)
    with _LOCK:
        _CACHE[key] = value
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return value


def fmt(value, digits: int = 1) -> str:
    number = data.finite(value)
    return "–" if number is None else german_number(round(number, digits), digits)


# ----------------------------------------------------------------------------- indicators

@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    digits: int
    explanation: str
    formula: str
    share: bool = False      # a percentage: differences are Prozentpunkte


INDICATORS = (
    Indicator("bevoelkerung", "Einwohner:innen", "", 0,
              "Zahl der Einwohnerinnen und Einwohner am 31.12. des Jahres.",
              "Summe der Bevölkerung über alle Altersgruppen und beide Geschlechter"),
    Indicator("veraenderung_prozent", "Bevölkerungsentwicklung seit dem ersten Datenjahr", "%", 1,
              "Wie stark die Bevölkerung seit dem ersten Jahr der geladenen Daten gewachsen "
              "oder geschrumpft ist.",
              "(Bevölkerung im Jahr t ÷ Bevölkerung im ersten Jahr − 1) × 100", share=True),
    Indicator("durchschnittsalter", "Durchschnittsalter", "Jahre", 1,
              "Mittleres Alter aller Einwohner:innen.",
              "Σ (Klassenmitte × Personen) ÷ Σ Personen; Einzelalter zählen mit Alter + 0,5, "
              "die offene Altersgruppe mit dem mittleren Alter der Sterbetafel"),
    Indicator("medianalter", "Medianalter", "Jahre", 1,
              "Die Hälfte der Einwohner:innen ist jünger, die andere Hälfte älter.",
              "a + (N/2 − C) ÷ Nₘ × Breite der Medianklasse (lineare Interpolation)"),
    Indicator("jugendquotient", "Jugendquotient", "", 1,
              "Unter 20-Jährige je 100 Personen im Alter von 20 bis 64 Jahren.",
              "Personen unter 20 ÷ Personen 20 bis 64 × 100"),
    Indicator("altenquotient", "Altenquotient", "", 1,
              "Personen ab 65 Jahren je 100 Personen im Alter von 20 bis 64 Jahren.",
              "Personen 65+ ÷ Personen 20 bis 64 × 100"),
    Indicator("anteil_unter_18", "Anteil unter 18-Jährige", "%", 1,
              "Anteil der Kinder und Jugendlichen an der Bevölkerung.",
              "Personen unter 18 ÷ Bevölkerung × 100", share=True),
    Indicator("anteil_18_64", "Anteil 18- bis 64-Jährige", "%", 1,
              "Anteil der Menschen im erwerbsfähigen Alter.",
              "Personen 18 bis 64 ÷ Bevölkerung × 100", share=True),
    Indicator("anteil_65_plus", "Anteil ab 65-Jährige", "%", 1,
              "Anteil der Menschen ab 65 Jahren.",
              "Personen 65+ ÷ Bevölkerung × 100", share=True),
    Indicator("anteil_80_plus", "Anteil Hochbetagte (ab 80)", "%", 1,
              "Anteil der Menschen ab 80 Jahren; nur mit Daten nach Einzelaltern.",
              "Personen 80+ ÷ Bevölkerung × 100", share=True),
    Indicator("geburten_je_1000", "Geburten je 1.000 Einwohner:innen", "", 1,
              "Lebendgeborene eines Jahres bezogen auf die Bevölkerung.",
              "Lebendgeborene ÷ mittlere Bevölkerung × 1.000"),
    Indicator("sterbefaelle_je_1000", "Sterbefälle je 1.000 Einwohner:innen", "", 1,
              "Gestorbene eines Jahres bezogen auf die Bevölkerung.",
              "Gestorbene ÷ mittlere Bevölkerung × 1.000"),
    Indicator("natuerlicher_saldo_je_1000", "Natürlicher Saldo je 1.000", "", 1,
              "Geburten minus Sterbefälle; negativ heißt: mehr Sterbefälle als Geburten.",
              "(Lebendgeborene − Gestorbene) ÷ mittlere Bevölkerung × 1.000"),
    Indicator("zuzuege_je_1000", "Zuzüge je 1.000", "", 1,
              "Zuzüge über die Gemeindegrenze.", "Zuzüge ÷ mittlere Bevölkerung × 1.000"),
    Indicator("fortzuege_je_1000", "Fortzüge je 1.000", "", 1,
              "Fortzüge über die Gemeindegrenze.", "Fortzüge ÷ mittlere Bevölkerung × 1.000"),
    Indicator("wanderungssaldo_je_1000", "Wanderungssaldo je 1.000", "", 1,
              "Zuzüge minus Fortzüge; positiv heißt: mehr Menschen ziehen zu als fort.",
              "(Zuzüge − Fortzüge) ÷ mittlere Bevölkerung × 1.000"),
)
INDICATOR_BY_KEY = {i.key: i for i in INDICATORS}
RANKING_KEYS = ("bevoelkerung", "veraenderung_prozent", "medianalter", "jugendquotient",
                "altenquotient", "anteil_65_plus", "natuerlicher_saldo_je_1000",
                "wanderungssaldo_je_1000")
PHASE_LABELS = dict(zip(LIFE_PHASES, charts.LIFE_PHASES, strict=True))


@dataclass
class Analysis:
    """What is loaded for a commune and where the commune appears in it."""

    commune: object
    sources: list
    dataset: Dataset
    key: str                 # hash of the files
    region: str | None       # the commune's key in the data, if present

    @property
    def synthetic(self) -> bool:
        return bool(self.dataset.synthetic)


def analysis_for(commune) -> Analysis | None:
    sources = data.commune_sources(commune)
    if not sources:
        return None
    dataset = data.dataset_of(sources)
    if dataset is None:
        return None
    return Analysis(commune, sources, dataset, data.sources_key(sources),
                    data.commune_key(commune, dataset))


def programme_analyses(communes) -> dict[int, Analysis | None]:
    """`analysis_for` of many communes of one programme with one query for all their files."""
    from zwk.profile.models import DataSource

    communes = list(communes)
    ids = {c.pk for c in communes} | {c.parent_id for c in communes if c.parent_id}
    by_commune: dict[int, list] = {}
    for source in DataSource.objects.filter(commune_id__in=ids).order_by("uploaded_at", "id"):
        by_commune.setdefault(source.commune_id, []).append(source)
    out: dict[int, Analysis | None] = {}
    for commune in communes:
        sources = by_commune.get(commune.pk, []) + by_commune.get(commune.parent_id, [])
        dataset = data.dataset_of(sources) if sources else None
        if dataset is None:
            out[commune.pk] = None
            continue
        key = data.sources_key(sources)
        out[commune.pk] = Analysis(commune, sources, dataset, key,
                                   _region_in(commune, dataset, key))
    return out


def _region_in(commune, dataset: Dataset, key: str) -> str | None:
    regions = cached(("regions", key), lambda: frozenset(dataset.regions))
    return commune.ags if commune.ags and commune.ags in regions else None


def indicator_table(a: Analysis) -> pd.DataFrame:
    return cached(("indicators", a.key), lambda: indicators_table(a.dataset))


def _rows_of(table: pd.DataFrame, ags: str) -> pd.DataFrame:
    rows = table[table["ags"] == ags].sort_values("year")
    return rows[rows["bevoelkerung"].notna()]


def latest_year(a: Analysis) -> int | None:
    if a.region is None:
        return None
    rows = _rows_of(indicator_table(a), a.region)
    return int(rows["year"].iloc[-1]) if len(rows) else None


def _trend(indicator: Indicator, series: list[tuple[int, float]]) -> dict:
    """Arrow and German sentence comparing the latest value with the one ~5 years before."""
    points = [(y, v) for y, v in series if data.finite(v) is not None]
    if len(points) < 2:
        return {"arrow": "", "text": "Kein Vergleich mit früheren Jahren möglich.",
                "direction": "none"}
    year, value = points[-1]
    earlier = [p for p in points if p[0] <= year - 5]
    base_year, base = earlier[-1] if earlier else points[0]
    diff = value - base
    if indicator.key == "bevoelkerung":
        small = abs(diff) < 0.005 * abs(base)
    elif indicator.share:
        small = abs(diff) < 0.1
    else:
        small = abs(diff) < max(0.1, 0.01 * abs(base))
    unit = "Prozentpunkte" if indicator.share else indicator.unit
    amount = f"{fmt(abs(diff), indicator.digits)} {unit}".strip()
    if small:
        return {"arrow": "→", "direction": "flat",
                "text": f"Seit {base_year} etwa gleich geblieben ({amount} Unterschied)."}
    if diff > 0:
        return {"arrow": "↑", "direction": "up", "text": f"Seit {base_year} um {amount} gestiegen."}
    return {"arrow": "↓", "direction": "down", "text": f"Seit {base_year} um {amount} gesunken."}


def _region_table(commune, ags: str, own: Analysis) -> tuple[pd.DataFrame | None, str]:
    """Indicator rows of a comparison region: from the commune's data or from the programme
    commune with that key."""
    table = indicator_table(own)
    if ags in set(table["ags"]):
        return table, own.dataset.name(ags)
    from zwk.communes.models import Commune

    other = (Commune.objects.filter(programme_id=commune.programme_id, ags=ags)
             .select_related("parent").first())
    if other is None:
        return None, ags
    other_analysis = analysis_for(other)
    if other_analysis is None:
        return None, other.name
    return indicator_table(other_analysis), other.name


def comparison_columns(a: Analysis) -> list[dict]:
    """The comparison regions with their latest indicator row (None where no data)."""
    columns = []
    year = latest_year(a)
    for region in data.comparison_regions(a.commune, a.dataset):
        table, name = _region_table(a.commune, region["ags"], a)
        row = None
        if table is not None:
            rows = _rows_of(table, region["ags"])
            if len(rows):
                at = rows[rows["year"] == year] if year is not None else rows.iloc[0:0]
                row = (at if len(at) else rows).iloc[-1]
        columns.append({"ags": region["ags"], "name": region["name"] or name,
                        "kind": str(region["kind"]), "row": row,
                        "year": int(row["year"]) if row is not None else None})
    return columns


def key_figures(a: Analysis) -> dict:
    """Every indicator for the latest year with comparison regions, history and trend."""
    if a.region is None:
        return {"year": None, "figures": [], "columns": []}
    rows = _rows_of(indicator_table(a), a.region)
    if not len(rows):
        return {"year": None, "figures": [], "columns": []}
    latest = rows.iloc[-1]
    columns = comparison_columns(a)
    figures = []
    for ind in INDICATORS:
        value = data.finite(latest[ind.key])
        if value is None:
            continue
        series = [(int(y), data.finite(v)) for y, v in zip(rows["year"], rows[ind.key],
                                                           strict=True)]
        figures.append({
            "indicator": ind, "value": value, "display": fmt(value, ind.digits),
            "trend": _trend(ind, series),
            "history": [(y, fmt(v, ind.digits)) for y, v in series if v is not None],
            "comparisons": [{"name": c["name"], "display": fmt(c["row"][ind.key], ind.digits)
                             if c["row"] is not None else "–"} for c in columns],
        })
    return {"year": int(latest["year"]), "figures": figures, "columns": columns}


# --------------------------------------------------------------------------------- series

def _population_by_age(dataset: Dataset, ags: str, year: int):
    """(groups, men, women) of the finest complete age partition of a region and year."""
    pop = dataset.population
    part = best_partition(pop[(pop["ags"] == ags) & (pop["year"] == year)])
    men = part[part["sex"] == "m"].sort_values("age_from")
    women = part[part["sex"] == "f"].sort_values("age_from")
    if not len(men) or len(men) != len(women) or len(men) < 2:
        return None
    groups = list(zip(men["age_from"].astype(int), men["age_to"].astype(float), strict=True))
    return groups, men["count"].to_numpy(float), women["count"].to_numpy(float)


def _regroup(single: np.ndarray, groups) -> np.ndarray:
    """Single-year counts (last index = open age) summed into age classes."""
    out = []
    for lo, hi in groups:
        top = len(single) if hi == OPEN else int(hi)
        out.append(float(single[int(lo):top].sum()))
    return np.asarray(out)


def _label(lo: int, hi: float) -> str:
    if hi == OPEN:
        return f"{lo} und älter"
    if hi - lo == 1:
        return str(lo)
    return age_label(lo, hi).replace(" Jahre", "")


def totals_series(dataset: Dataset, ags: str) -> tuple[list[int], list[float]]:
    tot = dataset.totals()
    tot = tot[(tot["ags"] == ags) & tot["total"].notna()].sort_values("year")
    return [int(y) for y in tot["year"]], [float(v) for v in tot["total"]]


def event_series(dataset: Dataset, ags: str) -> pd.DataFrame:
    """Births, deaths, moves in and out per year (totals over age and sex)."""
    ev = dataset.events[dataset.events["ags"] == ags]
    if ev.empty:
        return pd.DataFrame(columns=["year", "births", "deaths", "moves_in", "moves_out"])
    best = best_partition(ev)
    by_sex = best.groupby(["year", "event", "sex"])["count"].sum(min_count=1).unstack("sex")
    for s in ("m", "f", "t"):
        if s not in by_sex:
            by_sex[s] = np.nan
    total = (by_sex["m"] + by_sex["f"]).where(lambda s: s.notna(), by_sex["t"])
    frame = total.unstack("event")
    for e in ("births", "deaths", "moves_in", "moves_out"):
        if e not in frame:
            frame[e] = np.nan
    return frame.reset_index().sort_values("year")


# ----------------------------------------------------------------------------- projection

@dataclass
class ProjectionRun:
    scenario: object
    horizon: int
    base_year: int
    years: list[int]
    totals: list[float]
    low: list[float]
    high: list[float]
    single_men: np.ndarray     # (T+1, A)
    single_women: np.ndarray
    result: object = None

    def total_at(self, year: int) -> float:
        return self.totals[self.years.index(year)]

    def age_groups(self, bounds) -> dict[str, list[float]]:
        both = self.single_men + self.single_women
        out = {}
        for label, lo, hi in bounds:
            top = both.shape[1] if hi == OPEN else int(hi)
            out[label] = [float(v) for v in both[:, lo:top].sum(axis=1)]
        return out


def scenario_for(preset: str, parameters: dict | None = None):
    """The engine scenario of a preset and the user's adjustments; AssumptionError if invalid."""
    if preset not in SCENARIOS:
        raise AssumptionError(f"Unbekannte Ausgangsvariante „{preset}“.")
    values = {k: v for k, v in (parameters or {}).items() if v not in (None, "")}
    if not values:
        return get_scenario(preset)
    base = get_scenario(preset)
    values.update(key=f"{preset}_angepasst", label=f"{base.label}, angepasst")
    return scenario_from_dict(values, base=preset)


def base_year_of(a: Analysis) -> int | None:
    return latest_year(a)


def run_projection(a: Analysis, scenario, horizon: int) -> ProjectionRun:
    """Deterministic projection plus a 10–90 % band from 200 trajectories; cached."""
    if a.region is None:
        raise ProfileError("Für diese Kommune sind keine Bevölkerungsdaten geladen.")
    base = base_year_of(a)
    if base is None:
        raise ProfileError("Für diese Kommune sind keine Bevölkerungsdaten geladen.")
    if not base < horizon <= MAX_HORIZON:
        raise ProfileError(f"Das Zieljahr muss zwischen {base + 1} und {MAX_HORIZON} liegen.")
    key = ("projection", a.key, a.region, tuple(sorted(scenario.as_dict().items())), horizon)

    def compute() -> ProjectionRun:
        years = horizon - base
        try:
            det = project(a.dataset, scenario, years=years, regions=[a.region], base_year=base)
            sto = project_stochastic(a.dataset, scenario, trajectories=TRAJECTORIES,
                                     years=years, regions=[a.region], seed=1)
        except DemographyError as error:
            raise ProfileError(f"Die Prognose ist mit diesen Daten nicht möglich: {error}") \
                from error
        i, j = det.index(a.region), sto.regions.index(a.region)
        p = list(sto.percentiles)
        return ProjectionRun(
            scenario=scenario, horizon=horizon, base_year=int(det.years[0]),
            years=[int(y) for y in det.years], totals=[float(v) for v in det.totals()[i]],
            low=[float(v) for v in sto.totals[j, :, p.index(10.0)]],
            high=[float(v) for v in sto.totals[j, :, p.index(90.0)]],
            single_men=det.population[i, :, 0, :], single_women=det.population[i, :, 1, :])

    return cached(key, compute)


def towns_projection(a: Analysis, scenario, horizon: int):
    """Deterministic projection of every region in the data (the towns of a Kreis)."""
    base = base_year_of(a)
    key = ("towns-projection", a.key, tuple(sorted(scenario.as_dict().items())), horizon)
    return cached(key, lambda: project(a.dataset, scenario, years=horizon - base,
                                       base_year=base))


def scenario_summary(a: Analysis, run: ProjectionRun) -> dict:
    """A few comparable numbers of one projection."""
    start, end = run.totals[0], run.totals[-1]
    both = run.single_men[-1] + run.single_women[-1]
    groups = [(a_, a_ + 1.0) for a_ in range(len(both) - 1)] + [(len(both) - 1, OPEN)]
    share65 = 100 * band_sum(both, groups, 65, OPEN) / both.sum()
    share_u18 = 100 * band_sum(both, groups, 0, 18) / both.sum()
    return {
        "base_year": run.base_year, "horizon": run.horizon,
        "start": fmt(start, 0), "end": fmt(end, 0),
        "change": fmt((end / start - 1) * 100, 1) if start else "–",
        "low": fmt(run.low[-1], 0), "high": fmt(run.high[-1], 0),
        "share65": fmt(share65, 1), "share_u18": fmt(share_u18, 1),
    }


# --------------------------------------------------------------------------------- charts

def browser_spec(spec: dict) -> dict:
    """The spec for the page: decorative rule marks (zero lines, reference rules) leave the
    accessibility tree (Vega gives them role="graphics-symbol" without a label, which axe
    reports). Their meaning is in the chart description and the data table.
    Work-around in this layer; belongs into zwk.charts."""
    import copy

    spec = copy.deepcopy(spec)

    def visit(node):
        if isinstance(node, dict):
            mark = node.get("mark")
            if mark == "rule":
                node["mark"] = {"type": "rule", "aria": False}
            elif isinstance(mark, dict) and mark.get("type") == "rule":
                mark["aria"] = False
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(spec)
    return spec


def scenarios_chart(runs: list[tuple[str, ProjectionRun]]):
    """Saved scenarios side by side: one small line chart of the total per scenario."""
    if not runs:
        return None
    frame = pd.DataFrame([{"commune": name, "year": y, "value": round(v)}
                          for name, run in runs for y, v in zip(run.years, run.totals,
                                                                strict=True)])
    return charts.projected_totals_small_multiples(frame, base_year=runs[0][1].base_year,
                                                   indexed=False, columns=3)


CHART_KEYS = ("pyramide", "entwicklung", "altersgruppen", "salden", "lebensphasen",
              "vergleich")


def chart_pyramid(a: Analysis, run: ProjectionRun | None = None):
    year = latest_year(a)
    found = _population_by_age(a.dataset, a.region, year) if year else None
    if found is None:
        return None
    groups, men, women = found
    labels = [_label(lo, hi) for lo, hi in groups]
    kwargs = {}
    if run is not None:
        kwargs = {"compare_men": _regroup(run.single_men[-1], groups).round(0),
                  "compare_women": _regroup(run.single_women[-1], groups).round(0),
                  "compare_year": run.horizon}
    return charts.population_pyramid(labels, men.round(0), women.round(0), year=year,
                                     commune=a.commune.name, **kwargs)


def chart_development(a: Analysis, run: ProjectionRun | None = None):
    years, totals = totals_series(a.dataset, a.region)
    if not years:
        return None
    if run is None:
        return charts.population_development(years, np.round(totals), commune=a.commune.name)
    return charts.population_development(
        years, np.round(totals), projection_years=run.years, projection=np.round(run.totals),
        low=np.round(run.low), high=np.round(run.high), base_year=run.base_year,
        commune=a.commune.name)


AGE_BANDS = (("unter 18", 0, 18), ("18 bis 64", 18, 65), ("65 bis 74", 65, 75),
             ("75 und älter", 75, OPEN))


def chart_age_groups(a: Analysis, run: ProjectionRun | None = None):
    pop = a.dataset.population
    best = best_partition(pop[(pop["ags"] == a.region) & pop["sex"].isin(["m", "f", "t"])])
    years, series = [], {label: [] for label, _, _ in AGE_BANDS}
    for year, part in best.groupby("year"):
        by_sex = part[part["sex"].isin(["m", "f"])]
        use = by_sex if len(by_sex) else part
        grouped = use.groupby(["age_from", "age_to"])["count"].sum()
        groups = list(grouped.index)
        values = [band_sum(grouped.to_numpy(), groups, lo, hi) for _, lo, hi in AGE_BANDS]
        if any(math.isnan(v) for v in values):
            continue
        years.append(int(year))
        for (label, _, _), v in zip(AGE_BANDS, values, strict=True):
            series[label].append(v)
    if not years:
        return None
    base = None
    if run is not None:
        projected = run.age_groups(AGE_BANDS)
        for y, i in zip(run.years[1:], range(1, len(run.years)), strict=True):
            if y in years:
                continue
            years.append(y)
            for label in series:
                series[label].append(projected[label][i])
        base = run.base_year
    return charts.age_groups_over_time(years, series, shares=True, stacked=True, base_year=base,
                                       commune=a.commune.name)


def chart_balance(a: Analysis):
    ev = event_series(a.dataset, a.region)
    ev = ev.dropna(subset=["births", "deaths", "moves_in", "moves_out"], how="all")
    if ev.empty:
        return None
    natural = (ev["births"] - ev["deaths"]).round(0)
    migration = (ev["moves_in"] - ev["moves_out"]).round(0)
    keep = natural.notna() & migration.notna()
    if not keep.any():
        return None
    return charts.balance_over_time(ev["year"][keep].astype(int).tolist(),
                                    natural[keep].tolist(), migration[keep].tolist(),
                                    commune=a.commune.name)


def _latest_phases(table: pd.DataFrame, ags: str):
    rows = table[(table["ags"] == ags)].dropna(subset=list(LIFE_PHASES)).sort_values("year")
    return rows.iloc[-1] if len(rows) else None


def chart_life_phases(a: Analysis):
    table = indicator_table(a)
    row = _latest_phases(table, a.region)
    if row is None:
        return None
    reference, label = None, "Kreis"
    kreis = a.region[:5] if len(a.region) == 8 else None
    if kreis:
        ref_rows = table[(table["ags"] == kreis) & (table["year"] == row["year"])]
        ref_rows = ref_rows.dropna(subset=list(LIFE_PHASES))
        if len(ref_rows):
            reference = [round(float(ref_rows.iloc[0][k]), 1) for k in LIFE_PHASES]
            label = a.dataset.name(kreis)
    chart = charts.migration_by_life_phase(
        [PHASE_LABELS[k] for k in LIFE_PHASES], [round(float(row[k]), 1) for k in LIFE_PHASES],
        reference_rates=reference, reference_label=label,
        commune=f"{a.commune.name}, Mittel der Jahre bis {int(row['year'])}")
    return chart


def chart_comparison(a: Analysis, indicator: str = "altenquotient"):
    ind = INDICATOR_BY_KEY[indicator]
    figures = key_figures(a)
    if not figures["figures"]:
        return None
    names, values = [a.commune.name], []
    own = next((f for f in figures["figures"] if f["indicator"].key == indicator), None)
    if own is None:
        return None
    values.append(round(own["value"], ind.digits))
    reference, ref_label = None, "Kreis"
    for column in figures["columns"]:
        if column["row"] is None or data.finite(column["row"][indicator]) is None:
            continue
        value = round(float(column["row"][indicator]), ind.digits)
        if column["kind"] == "kreis":
            reference, ref_label = value, column["name"]
        names.append(column["name"])
        values.append(value)
    if len(names) < 2:
        return None
    return charts.commune_ranking(names, values, indicator=ind.label, unit=ind.unit,
                                  reference_value=reference, reference_label=ref_label,
                                  highlight=a.commune.name, digits=ind.digits)


def build_chart(a: Analysis, key: str, run: ProjectionRun | None = None,
                indicator: str = "altenquotient"):
    """One chart of the profile, cached by files, region, scenario (and comparison set)."""
    if a.region is None:
        return None
    scenario_key = (None if run is None or key not in ("pyramide", "entwicklung", "altersgruppen")
                    else (tuple(sorted(run.scenario.as_dict().items())), run.horizon))
    extra: tuple = ()
    if key == "vergleich":
        from zwk.profile.models import DataSource

        programme_files = tuple(sorted(DataSource.objects.filter(
            commune__programme_id=a.commune.programme_id).values_list("sha256", flat=True)))
        # names too: they are drawn, and a renamed commune must not keep its old name
        regions = tuple((r["ags"], r["name"])
                        for r in data.comparison_regions(a.commune, a.dataset))
        extra = (indicator, regions, data.sources_key_of_hashes(programme_files))
    return cached(("chart", a.key, a.region, a.commune.name, key, scenario_key, extra),
                  lambda: _build_chart(a, key, run, indicator))


def _build_chart(a: Analysis, key: str, run: ProjectionRun | None, indicator: str):
    builders = {
        "pyramide": lambda: chart_pyramid(a, run), "entwicklung": lambda: chart_development(a, run),
        "altersgruppen": lambda: chart_age_groups(a, run), "salden": lambda: chart_balance(a),
        "lebensphasen": lambda: chart_life_phases(a),
        "vergleich": lambda: chart_comparison(a, indicator),
    }
    return builders[key]()


# ------------------------------------------------------------------------------- towns

def towns_overview(a: Analysis, scenario, horizon: int) -> dict:
    """Ranking table, small-multiple pyramids and projections of the towns of a Kreis."""
    table = indicator_table(a)
    towns = [r for r in a.dataset.regions if level(r) == "gemeinde" and r[:5] == a.region]
    rows = []
    for ags in towns:
        own = _rows_of(table, ags)
        if not len(own):
            continue
        last = own.iloc[-1]
        rows.append({"ags": ags, "name": a.dataset.name(ags), "year": int(last["year"]),
                     "values": {k: data.finite(last[k]) for k in RANKING_KEYS}})
    rows.sort(key=lambda r: -(r["values"]["bevoelkerung"] or 0))
    pyramids, projections = [], None
    for r in rows:
        found = _population_by_age(a.dataset, r["ags"], r["year"])
        if found is None:
            continue
        groups, men, women = found
        # towns with different age detail share one axis: the 17 groups of the municipal table
        for lo, hi in MUNICIPAL_GROUPS:
            m, w = band_sum(men, groups, lo, hi), band_sum(women, groups, lo, hi)
            if math.isnan(m) or math.isnan(w):
                break
            pyramids.append({"commune": r["name"], "age": _label(lo, hi), "men": round(m),
                             "women": round(w)})
    pyramid_chart = None
    if pyramids:
        frame = pd.DataFrame(pyramids)
        complete = frame.groupby("commune")["age"].count() == len(MUNICIPAL_GROUPS)
        frame = frame[frame["commune"].isin(complete[complete].index)]
        if len(frame):
            pyramid_chart = charts.pyramid_small_multiples(frame, year=rows[0]["year"])
    if rows:
        try:
            result = towns_projection(a, scenario, horizon)
            frame = result.to_frame("totals")
            frame = frame[frame["ags"].isin([r["ags"] for r in rows])]
            projections = charts.projected_totals_small_multiples(
                pd.DataFrame({"commune": frame["name"], "year": frame["year"],
                              "value": frame["total"].round(0)}),
                base_year=int(result.years[0]))
            end = frame[frame["year"] == frame["year"].max()].set_index("ags")["total"]
            start = frame[frame["year"] == frame["year"].min()].set_index("ags")["total"]
            for r in rows:
                if r["ags"] in end:
                    r["projected"] = fmt((end[r["ags"]] / start[r["ags"]] - 1) * 100, 1)
        except DemographyError:
            projections = None
    return {"rows": rows, "pyramids": pyramid_chart, "projections": projections,
            "columns": [INDICATOR_BY_KEY[k] for k in RANKING_KEYS]}


# ------------------------------------------------------------------------------ typology

def typology(commune) -> dict | None:
    """Fit a typology over all communes of the programme (latest year of each) and say
    which type this commune is, how that type differs, and who else belongs to it."""
    from zwk.communes.models import Commune
    from zwk.demography.typology import DEFAULT_FEATURES, WORDING, fit_typology

    members = list(Commune.objects.filter(programme_id=commune.programme_id, is_active=True)
                   .exclude(ags="").select_related("parent"))
    rows, keys = [], []
    analyses = programme_analyses(members)
    for other in members:
        a = analyses[other.pk]
        if a is None or a.region is None:
            continue
        own = _rows_of(indicator_table(a), a.region)
        if not len(own):
            continue
        row = own.iloc[-1][["ags", *DEFAULT_FEATURES]].to_dict()
        row.update(commune_id=other.pk, name=other.name, kind=other.kind)
        rows.append(row)
        keys.append(a.key)
    frame = pd.DataFrame(rows)
    if frame.empty or commune.pk not in set(frame["commune_id"]):
        return None
    fit_rows = frame[frame["kind"] != "kreis"].dropna(subset=list(DEFAULT_FEATURES))
    cache_key = ("typology", tuple(sorted(set(keys))), tuple(sorted(fit_rows["ags"])))
    try:
        model = cached(cache_key, lambda: fit_typology(fit_rows.reset_index(drop=True)))
        assigned = model.assign(frame.dropna(subset=list(DEFAULT_FEATURES)))
    except DemographyError as error:
        return {"error": str(error)}
    frame = frame.loc[assigned.index].assign(type=assigned["type"].to_numpy(),
                                             type_name=assigned["name"].to_numpy())
    mine = frame[frame["commune_id"] == commune.pk]
    if mine.empty:
        return {"error": "Für die Typisierung fehlen Kennzahlen dieser Kommune."}
    t = int(mine.iloc[0]["type"])
    profile = []
    for feature, z in zip(model.features, model.centroids_z[t], strict=True):
        words = WORDING.get(feature, ("hoch", "niedrig"))
        ind = INDICATOR_BY_KEY.get(feature)
        profile.append({"label": ind.label if ind else feature, "z": fmt(z, 2),
                        "text": words[0] if z > 0.3 else words[1] if z < -0.3 else
                        "durchschnittlich"})
    same = frame[(frame["type"] == t) & (frame["commune_id"] != commune.pk)]
    return {"name": model.names[t], "silhouette": fmt(model.silhouette, 2),
            "types": len(model.names), "fitted_on": len(fit_rows), "profile": profile,
            "members": [{"pk": int(r.commune_id), "name": r.name} for r in same.itertuples()]}


# ------------------------------------------------------------------------------ synopsis

SYNOPSIS_KEYS = ("bevoelkerung", "veraenderung_prozent", "durchschnittsalter", "medianalter",
                 "jugendquotient", "altenquotient", "anteil_65_plus",
                 "natuerlicher_saldo_je_1000", "wanderungssaldo_je_1000")


def synopsis(programme) -> dict:
    """Key indicators of every commune of the programme (latest year each)."""
    from zwk.communes.models import Commune

    communes = list(Commune.objects.filter(programme=programme, is_active=True)
                    .select_related("parent").order_by("name"))
    rows = []
    synthetic = False
    analyses = programme_analyses(communes)
    for commune in communes:
        a = analyses[commune.pk]
        entry = {"commune": commune, "year": None, "values": {}}
        if a is not None and a.region is not None:
            own = _rows_of(indicator_table(a), a.region)
            if len(own):
                last = own.iloc[-1]
                entry["year"] = int(last["year"])
                entry["values"] = {k: data.finite(last[k]) for k in SYNOPSIS_KEYS}
                synthetic = synthetic or a.synthetic
        rows.append(entry)
    return {"rows": rows, "columns": [INDICATOR_BY_KEY[k] for k in SYNOPSIS_KEYS],
            "synthetic": synthetic}


def synopsis_chart(overview: dict, indicator: str):
    ind = INDICATOR_BY_KEY[indicator]
    pairs = [(r["commune"].name, round(r["values"][indicator], ind.digits))
             for r in overview["rows"] if r["values"].get(indicator) is not None]
    if len(pairs) < 2:
        return None
    return charts.commune_ranking([p[0] for p in pairs], [p[1] for p in pairs],
                                  indicator=ind.label, unit=ind.unit, digits=ind.digits)


def synopsis_sheets(overview: dict) -> dict:
    headers = ["Kommune", "Art", "AGS", "Datenjahr"] + [
        f"{c.label} ({c.unit})" if c.unit else c.label for c in overview["columns"]]
    rows = []
    for r in overview["rows"]:
        commune = r["commune"]
        rows.append([commune.name, commune.get_kind_display(), commune.ags, r["year"]]
                    + [None if r["values"].get(c.key) is None
                       else round(r["values"][c.key], c.digits) for c in overview["columns"]])
    sheets = {"Synopse": (headers, rows)}
    if overview["synthetic"]:
        sheets["Hinweis"] = (["Hinweis"], [["SYNTHETISCHE DEMODATEN – keine amtlichen Zahlen"]])
    return sheets


# -------------------------------------------------------------------------------- report

@dataclass
class ReportInput:
    commune: object
    by: object = None
    figures: list = field(default_factory=list)


def demography_sentences(a: Analysis, figures: dict, run: ProjectionRun | None) -> str:
    if not figures["figures"]:
        return "Für diese Kommune sind noch keine Bevölkerungsdaten geladen."
    by_key = {f["indicator"].key: f for f in figures["figures"]}
    year = figures["year"]
    lines = []
    if "bevoelkerung" in by_key:
        lines.append(f"Ende {year} lebten in {a.commune.name} {by_key['bevoelkerung']['display']}"
                     f" Menschen. {by_key['bevoelkerung']['trend']['text']}")
    if "medianalter" in by_key:
        lines.append(f"Das Medianalter lag bei {by_key['medianalter']['display']} Jahren, der "
                     f"Altenquotient bei {by_key.get('altenquotient', {}).get('display', '–')}.")
    if run is not None:
        s = scenario_summary(a, run)
        lines.append(f"Nach der Prognose ({run.scenario.label}) werden {run.horizon} etwa "
                     f"{s['end']} Menschen hier leben ({s['change']} % gegenüber {s['base_year']}; "
                     f"Unsicherheitsbereich {s['low']} bis {s['high']}).")
    return " ".join(lines)


def profile_report(commune, *, by=None, with_png: bool = False):
    """Everything of the Kommunalprofil as a `zwk.reports.ProfileReport`."""
    from zwk.profile.models import InventoryEntry, Profile, SwotItem
    from zwk.reports.model import (
        THEMATIC_CHAPTERS,
        ActionFieldCandidate,
        Chapter,
        Figure,
        InventoryRow,
        KeyFigure,
        ProfileReport,
        Source,
        Swot,
    )
    from zwk.reports.model import SwotItem as ReportSwotItem

    profile = Profile.objects.filter(commune=commune).first()
    texts = dict(profile.chapters) if profile is not None else {}
    a = analysis_for(commune)
    figures_out, key_figs, demo_text, run = [], [], "", None
    if a is not None and a.region is not None:
        figures = key_figures(a)
        try:
            base = base_year_of(a)
            run = run_projection(a, get_scenario("basis"), min(MAX_HORIZON, max(2040, base + 1)))
        except (ProfileError, DemographyError):
            run = None
        for f in figures["figures"]:
            if f["indicator"].key in ("bevoelkerung", "veraenderung_prozent", "medianalter",
                                      "durchschnittsalter", "jugendquotient", "altenquotient",
                                      "anteil_65_plus", "natuerlicher_saldo_je_1000",
                                      "wanderungssaldo_je_1000"):
                key_figs.append(KeyFigure(f["indicator"].label, round(f["value"],
                                                                        f["indicator"].digits),
                                          f["indicator"].unit, f"{figures['year']}"))
        demo_text = demography_sentences(a, figures, run)
        source = "; ".join(dict.fromkeys(s.source_line for s in a.sources))
        for key in CHART_KEYS:
            chart = build_chart(a, key, run)
            if chart is not None:
                figures_out.append(Figure.from_chart(chart, source=source, with_png=with_png))
    from zwk.profile import services as profile_services

    # Chapter keys and titles come from the qualitative half (services.CHAPTERS); fall back to
    # the report's default titles when that list is not there.
    titles = dict(getattr(profile_services, "CHAPTERS", ())) or {
        _slug(t): t for t in THEMATIC_CHAPTERS}
    special = {"lage", "demografiepolitik", "basics", "demography"}
    chapters = [Chapter(title, texts.get(key, "")) for key, title in titles.items()
                if key not in special]
    chapters += [Chapter(k, v) for k, v in texts.items() if k not in titles and
                 k not in special and v]
    inventory = [InventoryRow(
        title=e.title, action_field=", ".join(f.name for f in e.action_fields.all()),
        lead=e.responsible, status=e.get_status_display(), note=e.get_kind_display())
        for e in InventoryEntry.objects.filter(commune=commune).prefetch_related("action_fields")]
    swot = Swot()
    fields_count: dict[str, int] = {}
    items = (SwotItem.objects.filter(commune=commune, status=SwotItem.Status.ACCEPTED)
             .select_related("interview_statement__interview", "inventory_entry")
             .prefetch_related("action_fields"))
    quadrant = {"strength": swot.strengths, "weakness": swot.weaknesses,
                "opportunity": swot.opportunities, "threat": swot.threats}
    for item in items:
        quadrant[item.quadrant].append(ReportSwotItem(item.text, swot_evidence(item)))
        for af in item.action_fields.all():
            fields_count[af.name] = fields_count.get(af.name, 0) + 1
    candidates = [ActionFieldCandidate(name, f"in {n} SWOT-Punkt{'en' if n > 1 else ''} genannt")
                  for name, n in sorted(fields_count.items(), key=lambda kv: -kv[1])]
    sources = [Source(title=s.title, publisher=s.source_line,
                      licence="Datenlizenz Deutschland – Namensnennung – Version 2.0"
                      if s.is_official else "",
                      retrieved=s.uploaded_at.strftime("%d.%m.%Y"))
               for s in (a.sources if a is not None else [])]
    synthetic = bool(a and a.synthetic) or bool(getattr(commune.programme, "is_demo", False))
    return ProfileReport(
        commune=commune.name, commune_type=commune.get_kind_display(), ags=commune.ags,
        state=commune.land_name,
        author=getattr(by, "display_name", "") if by is not None else "",
        key_figures=key_figs,
        basics=texts.get("basics", ""), geography=texts.get("lage", ""),
        demography_text="\n\n".join(t for t in (demo_text, texts.get("demography", "")) if t),
        figures=figures_out, chapters=chapters,
        policy_text=texts.get("demografiepolitik", ""),
        inventory=inventory, swot=swot, action_fields=candidates,
        outlook_text=profile.outlook if profile is not None else "",
        sources=sources, uses_official_data=any(s.is_official for s in sources_of(a)),
        synthetic=synthetic)


def sources_of(a: Analysis | None) -> list:
    return a.sources if a is not None else []


def _slug(title: str) -> str:
    from django.utils.text import slugify

    return slugify(title.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
                   .replace("ß", "ss"))
