"""The data model: population stocks and demographic events in tidy frames, plus cubes.

Population rows: ``ags, year, sex, age_from, age_to, count, flag``.
Event rows: ``ags, year, event, sex, age_from, age_to, count, flag``.

* ``sex`` is ``"m"``, ``"f"`` or ``"t"`` (both sexes, where the source has no split);
* an age class is ``[age_from, age_to)`` with ``age_to = inf`` for an open group and
  ``(0, inf)`` for "all ages"; grouped data (the 17 municipal groups) stays grouped;
* ``year`` of a stock is the reference date 31.12. of that year; events count the whole year;
* ``count`` is float (NaN where the source has a special value), ``flag`` keeps the
  GENESIS special value or quality flag (``p``, ``r``, ``s``, ``.``, ``/``, ``x``, ``...``).

A :class:`PopulationCube` holds single-year data as a dense array with the region axis
first, ``(region, year, sex, age)``, so work can be split by regions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from zwk.formatting import number

from .ages import OPEN, TOTAL
from .errors import DemographyImportError, ProjectionInputError
from .regions import level, parent

POP_COLUMNS = ["ags", "year", "sex", "age_from", "age_to", "count", "flag"]
EVENT_COLUMNS = ["ags", "year", "event", "sex", "age_from", "age_to", "count", "flag"]
EVENTS = ("births", "deaths", "moves_in", "moves_out")
SEXES = ("m", "f")
#: The source line of a register extract: the commune's own statistics, not official data.
REGISTER_SOURCE = "Eigene Daten der Kommune (Melderegister-Auszug, Datei „{file}“)"
OFFICIAL_SOURCE = (
    "Statistische Ämter des Bundes und der Länder, Regionaldatenbank Deutschland; "
    "Datenlizenz Deutschland – Namensnennung – Version 2.0"
)
SYNTHETIC_NOTE = "SYNTHETISCHE DEMODATEN – keine amtlichen Zahlen"


def empty_population() -> pd.DataFrame:
    return _typed(pd.DataFrame({c: [] for c in POP_COLUMNS}), POP_COLUMNS)


def empty_events() -> pd.DataFrame:
    return _typed(pd.DataFrame({c: [] for c in EVENT_COLUMNS}), EVENT_COLUMNS)


def _typed(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = frame[columns].copy()
    out["ags"] = out["ags"].astype(str)
    out["year"] = out["year"].astype(np.int64)
    out["sex"] = out["sex"].astype(str)
    out["age_from"] = out["age_from"].astype(np.int64)
    out["age_to"] = out["age_to"].astype(np.float64)
    out["count"] = out["count"].astype(np.float64)
    out["flag"] = out["flag"].fillna("").astype(str)
    if "event" in out:
        out["event"] = out["event"].astype(str)
    return out.reset_index(drop=True)


@dataclass
class Dataset:
    """Population and events of some regions, with names, source line and synthetic flag."""

    population: pd.DataFrame = field(default_factory=empty_population)
    events: pd.DataFrame = field(default_factory=empty_events)
    names: dict[str, str] = field(default_factory=dict)
    source: str = OFFICIAL_SOURCE
    synthetic: bool = False
    files: tuple[str, ...] = ()
    #: False for a commune's own figures (a register extract): they must not be labelled
    #: official statistics nor credited under the official data licence.
    official: bool = True

    def __post_init__(self) -> None:
        self.population = _typed(self.population, POP_COLUMNS)
        self.events = _typed(self.events, EVENT_COLUMNS)

    @property
    def regions(self) -> list[str]:
        keys = set(self.population["ags"]) | set(self.events["ags"])
        return sorted(keys, key=lambda k: (len(k), k))

    @property
    def years(self) -> list[int]:
        return sorted(set(self.population["year"]) | set(self.events["year"]))

    def name(self, ags: str) -> str:
        return self.names.get(ags, ags)

    def children(self, ags: str) -> list[str]:
        """Regions of the dataset directly below ``ags`` (Gemeinden of a Kreis)."""
        return [r for r in self.regions if parent(r) == ags]

    def subset(self, regions: Iterable[str] | None = None,
               years: Iterable[int] | None = None) -> Dataset:
        pop, ev = self.population, self.events
        if regions is not None:
            keep = set(regions)
            pop, ev = pop[pop["ags"].isin(keep)], ev[ev["ags"].isin(keep)]
        if years is not None:
            keep_y = set(years)
            pop, ev = pop[pop["year"].isin(keep_y)], ev[ev["year"].isin(keep_y)]
        present = set(pop["ags"]) | set(ev["ags"])
        names = {k: v for k, v in self.names.items() if k in present}
        return Dataset(pop, ev, names, self.source, self.synthetic, self.files, self.official)

    def best_population(self) -> pd.DataFrame:
        """Finest complete age partition per region, year and sex (see :func:`best_partition`)."""
        return best_partition(self.population)

    def totals(self) -> pd.DataFrame:
        """Population total, male and female per region and year (NaN where unknown)."""
        return population_totals(self.population)

    def single_year_cube(self, regions: Sequence[str] | None = None,
                         years: Sequence[int] | None = None) -> PopulationCube:
        return PopulationCube.from_frame(self.population, regions, years)


def combine(datasets: Sequence[Dataset]) -> Dataset:
    """Merge datasets; identical rows from several files are kept once."""
    if not datasets:
        return Dataset()
    pop = _finest_source([d.population for d in datasets], ["ags", "year", "sex"])
    ev = _finest_source([d.events for d in datasets], ["ags", "year", "sex", "event"])
    names: dict[str, str] = {}
    for d in datasets:
        names.update(d.names)
    sources = list(dict.fromkeys(d.source for d in datasets))
    files = tuple(f for d in datasets for f in d.files)
    return Dataset(pop, ev, names, " | ".join(sources), any(d.synthetic for d in datasets), files,
                   all(d.official for d in datasets))


def _finest_source(frames: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    """Concatenate; where several files hold the same region, year and sex, keep the file with
    the most age classes (e.g. single years beat the 17 groups) – mixing the two would mix
    overlapping age classes. Totals of the coarser file are checked elsewhere."""
    tagged = [f.assign(_source=i) for i, f in enumerate(frames)]
    rows = pd.concat(tagged, ignore_index=True)
    if rows.empty:
        return rows.drop(columns="_source")
    detail = rows.groupby(keys + ["_source"]).size().rename("_n").reset_index()
    detail = detail.sort_values(keys + ["_n", "_source"]).drop_duplicates(keys, keep="last")
    chosen = rows.merge(detail[keys + ["_source"]], on=keys + ["_source"], how="inner")
    return chosen.drop(columns="_source")


def best_partition(frame: pd.DataFrame) -> pd.DataFrame:
    """Keep, per ``ags, year, sex`` (and ``event``), the rows of the finest age partition.

    A partition is a set of classes covering 0…open without gaps; the "all ages" row is the
    coarsest partition. Rows with missing counts disqualify their partition.
    """
    keys = ["ags", "year", "sex"] + (["event"] if "event" in frame else [])
    if frame.empty:
        return frame.copy()
    is_total = ((frame["age_from"] == 0) & (frame["age_to"] == OPEN)).to_numpy()
    detail = frame[~is_total].sort_values(keys + ["age_from"], kind="stable")
    good = _covering_groups(detail, keys)
    detail_ok = detail[good.reindex(pd.MultiIndex.from_frame(detail[keys])).to_numpy()]
    totals = frame[is_total]
    covered = pd.MultiIndex.from_frame(detail_ok[keys]).unique()
    totals = totals[~pd.MultiIndex.from_frame(totals[keys]).isin(covered)]
    out = pd.concat([totals, detail_ok], ignore_index=True)
    return out.sort_values(keys + ["age_from"], kind="stable").reset_index(drop=True)


def _covering_groups(detail: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Per key: True if its rows (sorted by age) cover 0…open without gaps and have counts."""
    if detail.empty:
        return pd.Series(dtype=bool, index=pd.MultiIndex.from_tuples([], names=keys))
    grouped = detail.groupby(keys, sort=False)
    previous_end = grouped["age_to"].shift(1)
    joins = (previous_end.isna() | (previous_end == detail["age_from"]))
    checks = pd.DataFrame({
        "joins": joins, "has_count": detail["count"].notna(),
        "age_from": detail["age_from"], "age_to": detail["age_to"]})
    for k in keys:
        checks[k] = detail[k]
    agg = checks.groupby(keys, sort=False).agg(
        joins=("joins", "all"), has_count=("has_count", "all"), first=("age_from", "min"),
        last=("age_to", "max"))
    return agg["joins"] & agg["has_count"] & (agg["first"] == 0) & (agg["last"] == OPEN)


def population_totals(population: pd.DataFrame) -> pd.DataFrame:
    """Columns ``ags, year, total, male, female`` from the finest data available."""
    best = best_partition(population)
    by_sex = best.groupby(["ags", "year", "sex"])["count"].sum(min_count=1).unstack("sex")
    for s in ("m", "f", "t"):
        if s not in by_sex:
            by_sex[s] = np.nan
    total = by_sex["m"] + by_sex["f"]
    total = total.where(total.notna(), by_sex["t"])
    out = pd.DataFrame({"total": total, "male": by_sex["m"], "female": by_sex["f"]})
    return out.reset_index()


@dataclass
class PopulationCube:
    """Single-year population ``values[region, year, sex, age]``; sex 0 = male, 1 = female.

    The last age is an open group starting at ``ages[-1]``.
    """

    values: np.ndarray
    regions: list[str]
    years: list[int]
    ages: np.ndarray

    @property
    def open_age(self) -> int:
        return int(self.ages[-1])

    @classmethod
    def from_frame(cls, population: pd.DataFrame, regions: Sequence[str] | None = None,
                   years: Sequence[int] | None = None) -> PopulationCube:
        best = best_partition(population[population["sex"].isin(SEXES)])
        row_single = (best["age_to"] - best["age_from"] == 1) | (best["age_to"] == OPEN)
        single = row_single.groupby([best["ags"], best["year"], best["sex"]]).transform("all")
        best = best[single.to_numpy(dtype=bool) & (best["age_to"] - best["age_from"] > 0)]
        best = best[~((best["age_from"] == 0) & (best["age_to"] == OPEN))]
        if best.empty:
            raise ProjectionInputError(
                "Keine Bevölkerung nach Einzeljahren und Geschlecht vorhanden; "
                "bitte zuerst Altersgruppen auf Einzeljahre aufteilen.")
        regions = list(regions) if regions is not None else sorted(set(best["ags"]))
        years = list(years) if years is not None else sorted(set(best["year"]))
        open_age = int(best.loc[best["age_to"] == OPEN, "age_from"].min())
        values = np.full((len(regions), len(years), 2, open_age + 1), np.nan)
        r_idx = {r: i for i, r in enumerate(regions)}
        y_idx = {y: i for i, y in enumerate(years)}
        sub = best[best["ags"].isin(r_idx) & best["year"].isin(y_idx)]
        ages = np.minimum(sub["age_from"].to_numpy(), open_age)
        values_flat = np.zeros_like(values)
        np.add.at(values_flat, (sub["ags"].map(r_idx).to_numpy(), sub["year"].map(y_idx).to_numpy(),
                                (sub["sex"] == "f").to_numpy().astype(int), ages),
                  sub["count"].to_numpy())
        # A region-year counts only if both sexes have single years; otherwise it stays NaN
        # (a missing sex must never turn into zero people).
        sexes = sub.groupby(["ags", "year"])["sex"].nunique()
        complete = sexes[sexes == 2].index
        present = np.zeros(values.shape[:2], dtype=bool)
        present[[r_idx[a] for a, _ in complete], [y_idx[y] for _, y in complete]] = True
        values[present] = values_flat[present]
        return cls(values, regions, years, np.arange(open_age + 1))

    def to_frame(self) -> pd.DataFrame:
        r, y, s, a = np.meshgrid(np.arange(len(self.regions)), np.arange(len(self.years)),
                                 np.arange(2), np.arange(len(self.ages)), indexing="ij")
        age_from = self.ages[a.ravel()]
        age_to = np.where(age_from == self.open_age, OPEN, age_from + 1.0)
        return pd.DataFrame({
            "ags": np.asarray(self.regions, dtype=object)[r.ravel()],
            "year": np.asarray(self.years)[y.ravel()],
            "sex": np.where(s.ravel() == 1, "f", "m"),
            "age_from": age_from, "age_to": age_to,
            "count": self.values.ravel(), "flag": "",
        })


def check_hierarchy(population: pd.DataFrame, file: str | None = None,
                    lines: dict | None = None) -> None:
    """Raise if the Gemeinden of a Kreis add up to more than the Kreis (inconsistent totals).

    A file may hold only some Gemeinden of a Kreis, so a smaller sum is fine; a larger one is
    impossible. Checked per year on total population.
    """
    totals = population_totals(population)
    totals = totals[totals["total"].notna()]
    kreise = totals[totals["ags"].map(level) == "kreis"].set_index(["ags", "year"])["total"]
    gem = totals[totals["ags"].map(level) == "gemeinde"].copy()
    if gem.empty or kreise.empty:
        return
    gem["kreis"] = gem["ags"].str[:5]
    sums = gem.groupby(["kreis", "year"])["total"].sum()
    for (k, y), s in sums.items():
        if (k, y) in kreise.index and s > kreise[(k, y)] + 0.5:
            raise DemographyImportError(
                f"Die Gemeinden des Kreises {k} ergeben {y} zusammen {number(s, 0)} Einwohner:innen, "
                f"der Kreis selbst aber nur {number(kreise[(k, y)], 0)}; die Summen passen nicht zusammen.",
                file=file, line=(lines or {}).get((k, y)), field="Bevölkerung")




def total_of(frame: pd.DataFrame) -> float:
    return float(frame["count"].sum())


__all__ = ["Dataset", "PopulationCube", "combine", "best_partition", "population_totals",
           "check_hierarchy", "EVENTS", "SEXES", "TOTAL", "OFFICIAL_SOURCE", "SYNTHETIC_NOTE"]
