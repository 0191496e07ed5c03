"""Projection API: Dataset + Scenario → :class:`ProjectionResult`.

Only *leaf* regions are projected (Gemeinden, or Kreise without their Gemeinden in the data).
A region whose children in the data add up to it at the base year (±0.5 %) is the sum of its
children's projections, so Gemeinden always add up to their Kreis; otherwise it is projected
on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..ages import OPEN
from ..dataset import Dataset
from ..errors import AssumptionError, ProjectionInputError
from ..lifetable import death_multiplier_for_gain
from ..regions import level, parent
from .assumptions import Scenario
from .calibration import Calibration, calibrate
from .engine import EngineOutput, YearFactors, run

DEFAULT_YEARS = 20
COMPONENT_ARRAYS = ("population", "births", "deaths", "moves_in", "moves_out", "internal_in",
                    "internal_out")
GROUPS_PROJECTION = ((0, 6), (6, 18), (18, 25), (25, 45), (45, 65), (65, 80), (80, OPEN))


@dataclass
class ProjectionResult:
    """Population ``[region, year, sex, age]`` and components ``[region, year]`` (+ sex for births)."""

    regions: list[str]
    years: np.ndarray          # base year … base year + T
    population: np.ndarray     # (R, T+1, 2, A)
    births: np.ndarray         # (R, T, 2)
    deaths: np.ndarray         # (R, T)
    moves_in: np.ndarray       # (R, T)
    moves_out: np.ndarray      # (R, T)
    scenario: Scenario
    names: dict[str, str] = field(default_factory=dict)
    synthetic: bool = False
    calibration: pd.DataFrame | None = None
    internal_in: np.ndarray | None = None    # (R, T) of the in-moves: from towns of its Kreis
    internal_out: np.ndarray | None = None   # (R, T) of the out-moves: to towns of its Kreis

    def __post_init__(self) -> None:
        if self.internal_in is None:
            self.internal_in = np.zeros_like(self.moves_in)
        if self.internal_out is None:
            self.internal_out = np.zeros_like(self.moves_out)

    def index(self, ags: str) -> int:
        return self.regions.index(ags)

    def components(self, ags: str) -> pd.DataFrame:
        """Where the change of one region comes from, one row per projected year: ``year``,
        ``population`` (31.12.), ``births``, ``deaths``, ``natural_balance``, ``moves_in``,
        ``moves_out``, ``net_migration``, ``internal_in``, ``internal_out`` (moves within the
        Kreis, included in the moves) and ``change`` (= natural balance + net migration)."""
        i = self.index(ags)
        births = self.births[i].sum(axis=1)
        net = self.moves_in[i] - self.moves_out[i]
        return pd.DataFrame({
            "year": self.years[1:], "population": self.totals()[i, 1:], "births": births,
            "deaths": self.deaths[i], "natural_balance": births - self.deaths[i],
            "moves_in": self.moves_in[i], "moves_out": self.moves_out[i],
            "net_migration": net, "internal_in": self.internal_in[i],
            "internal_out": self.internal_out[i], "change": births - self.deaths[i] + net})

    def subset(self, regions: list[str]) -> ProjectionResult:
        """The same result for some of its regions only."""
        idx = [self.index(r) for r in regions]
        arrays = {k: getattr(self, k)[idx] for k in COMPONENT_ARRAYS}
        return replace(self, regions=list(regions), **arrays)

    def totals(self) -> np.ndarray:
        """(R, T+1) total population."""
        return self.population.sum(axis=(2, 3))

    def accounting_gap(self) -> float:
        return EngineOutput(self.population, self.births, self.deaths, self.moves_in,
                            self.moves_out).accounting_gap()

    def to_frame(self, detail: str = "totals") -> pd.DataFrame:
        """Tidy results. ``detail``: ``"totals"`` (one row per region and year with components),
        ``"groups"`` (by sex and the age groups of :data:`GROUPS_PROJECTION`), ``"ages"``
        (by sex and single year)."""
        if detail == "totals":
            return self._totals_frame()
        if detail == "groups":
            return self._age_frame(GROUPS_PROJECTION)
        if detail == "ages":
            top = self.population.shape[-1] - 1
            return self._age_frame(tuple((a, a + 1) for a in range(top)) + ((top, OPEN),))
        raise ValueError(f"Unbekannte Detailstufe „{detail}“ (totals, groups, ages).")

    def _totals_frame(self) -> pd.DataFrame:
        r, t = len(self.regions), len(self.years)
        comp = np.full((r, t, 6), np.nan)
        comp[:, 1:] = np.stack([self.births.sum(axis=2), self.deaths, self.moves_in,
                                self.moves_out, self.internal_in, self.internal_out], axis=-1)
        by_sex = self.population.sum(axis=3)
        frame = pd.DataFrame({
            "ags": np.repeat(self.regions, t), "name": [self.names.get(a, a) for a in
                                                        np.repeat(self.regions, t)],
            "year": np.tile(self.years, r), "total": self.totals().ravel(),
            "male": by_sex[:, :, 0].ravel(), "female": by_sex[:, :, 1].ravel(),
            "births": comp[..., 0].ravel(), "deaths": comp[..., 1].ravel(),
            "moves_in": comp[..., 2].ravel(), "moves_out": comp[..., 3].ravel(),
            "internal_in": comp[..., 4].ravel(), "internal_out": comp[..., 5].ravel()})
        return self._label(frame)

    def _age_frame(self, groups) -> pd.DataFrame:
        parts = []
        for lo, hi in groups:
            top = self.population.shape[-1] if hi == OPEN else int(hi)
            values = self.population[:, :, :, lo:top].sum(axis=3)      # (R, T+1, 2)
            for s, sex in enumerate("mf"):
                parts.append(pd.DataFrame({
                    "ags": np.repeat(self.regions, len(self.years)),
                    "year": np.tile(self.years, len(self.regions)), "sex": sex,
                    "age_from": lo, "age_to": hi, "count": values[:, :, s].ravel()}))
        frame = pd.concat(parts, ignore_index=True).sort_values(
            ["ags", "year", "sex", "age_from"], kind="stable").reset_index(drop=True)
        frame.insert(1, "name", frame["ags"].map(lambda a: self.names.get(a, a)))
        return self._label(frame)

    def _label(self, frame: pd.DataFrame) -> pd.DataFrame:
        frame["scenario"] = self.scenario.key
        frame["synthetic"] = self.synthetic
        return frame


def check_horizon(years: int) -> None:
    if not 1 <= years <= 100:
        raise AssumptionError(f"Der Vorausberechnungszeitraum muss 1 bis 100 Jahre betragen, "
                              f"nicht {years}.")


def scenario_factors(scenario: Scenario, calibration: Calibration, years: int) -> YearFactors:
    """Yearly multipliers (U, T) that move the calibrated levels along the scenario."""
    units = len(calibration.regions)
    steps = np.arange(1, years + 1, dtype=float)
    ramp = np.minimum(steps / max(scenario.transition_years, 1), 1.0)
    if scenario.tfr is not None:
        target = scenario.tfr / calibration.table["tfr"].to_numpy()[:, None]
        fertility = 1.0 + (target - 1.0) * ramp[None, :]
    else:
        fertility = np.broadcast_to(1.0 + (scenario.fertility_factor - 1.0) * ramp, (units, years))
    mortality = np.stack([death_multiplier_for_gain(calibration.reference[s], gain * steps / 10)
                          for s, gain in (("m", scenario.e0_gain_male),
                                          ("f", scenario.e0_gain_female))], axis=-1)
    return YearFactors(
        fertility=fertility, mortality=np.broadcast_to(mortality, (units, years, 2)),
        in_migration=np.broadcast_to(np.full(years, scenario.in_migration_factor), (units, years)),
        out_migration=np.broadcast_to(np.full(years, scenario.out_migration_factor),
                                      (units, years)))


def leaf_regions(dataset: Dataset, regions: list[str] | None = None) -> tuple[list[str], dict]:
    """(regions to project, {aggregate region: its children}) – see the module docstring."""
    with_population = set(dataset.population["ags"])
    chosen = regions if regions is not None else [
        r for r in dataset.regions if r in with_population]
    chosen_set = set(chosen)
    children: dict[str, list[str]] = {}
    for region in chosen:
        children.setdefault(parent(region), []).append(region)
    totals = dataset.totals()
    latest = totals.sort_values("year").groupby("ags").last()["total"]
    aggregates = {}
    for region in chosen:
        kids = children.get(region, [])
        complete = kids and region in latest and all(k in latest for k in kids)
        if complete and abs(latest[kids].sum() - latest[region]) <= 0.005 * latest[region]:
            aggregates[region] = kids
    leaves = [r for r in chosen if r not in aggregates]
    for region, kids in list(aggregates.items()):  # nested aggregates need all children
        aggregates[region] = [k for k in kids if k in chosen_set]
    return leaves, aggregates


def plan_regions(dataset: Dataset, regions: list[str] | None = None
                 ) -> tuple[list[str], dict, dict]:
    """(leaves ordered pool by pool, {aggregate: children}, {Kreis: towns projected as a pool}).

    A Kreis whose towns add up to it is projected as their sum, and the moves between its
    towns form a pool that nets to zero (decision 0107).
    """
    leaves, aggregates = leaf_regions(dataset, regions)
    leaf_set = set(leaves)
    pools = {k: kids for k, kids in aggregates.items()
             if len(kids) > 1 and all(level(c) == "gemeinde" and c in leaf_set for c in kids)}
    pool_of = {c: k for k, kids in pools.items() for c in kids}
    leaves = sorted(leaves, key=lambda r: (pool_of.get(r, r), r))
    return leaves, aggregates, pools


def with_pool_siblings(dataset: Dataset, regions: list[str] | None) -> list[str] | None:
    """The requested regions plus the Kreis and the other towns of every requested town, so a
    town is projected inside its Kreis' pool of internal moves (None: all regions)."""
    if regions is None:
        return None
    with_population = set(dataset.population["ags"])
    expanded = list(regions)
    for region in regions:
        kreis = parent(region) if level(region) == "gemeinde" else None
        if kreis and kreis in with_population:
            expanded += [kreis] + [r for r in dataset.regions if level(r) == "gemeinde"
                                   and parent(r) == kreis and r in with_population]
    return list(dict.fromkeys(expanded))


def project(dataset: Dataset, scenario: Scenario | None = None, years: int = DEFAULT_YEARS,
            regions: list[str] | None = None, base_year: int | None = None) -> ProjectionResult:
    """Deterministic cohort-component projection of ``dataset`` under ``scenario``.

    A requested town is projected together with the other towns of its Kreis (when they add
    up to it), so its moves to and from them follow the Kreis' pool; only the requested
    regions are returned.
    """
    scenario = (scenario or Scenario()).validate()
    check_horizon(years)
    expanded = with_pool_siblings(dataset, regions)
    try:
        result = _project(dataset, scenario, years, expanded, base_year)
    except ProjectionInputError:
        if expanded == regions:
            raise
        result = _project(dataset, scenario, years, regions, base_year)  # a sibling lacks data
    if regions is not None:
        wanted = [r for r in result.regions if r in set(regions)]
        result = result.subset(wanted)
    return result


def _project(dataset, scenario, years, regions, base_year) -> ProjectionResult:
    leaves, aggregates, pools = plan_regions(dataset, regions)
    calibration = calibrate(dataset, leaves, base_year, pools=pools)
    calibration.inputs.srb = np.full(len(leaves), scenario.srb)
    calibration.inputs.migration_model = scenario.migration_model
    out = run(calibration.inputs, scenario_factors(scenario, calibration, years))
    result = ProjectionResult(
        regions=list(leaves), years=np.arange(calibration.base_year,
                                              calibration.base_year + years + 1),
        population=out.population, births=out.births, deaths=out.deaths,
        moves_in=out.moves_in, moves_out=out.moves_out, scenario=scenario,
        names=dict(dataset.names), synthetic=dataset.synthetic, calibration=calibration.table,
        internal_in=out.internal_in, internal_out=out.internal_out)
    return add_aggregates(result, aggregates)


def add_aggregates(result: ProjectionResult, aggregates: dict[str, list[str]]) -> ProjectionResult:
    """Append regions that are sums of projected regions (e.g. a Kreis of its Gemeinden).

    Moves between the children of an aggregate are no moves of the aggregate: its in- and
    out-moves are the children's moves minus their internal moves (which cancel in the net).
    """
    if not aggregates:
        return result
    regions = list(result.regions)
    arrays = {k: [getattr(result, k)] for k in COMPONENT_ARRAYS}
    for region, kids in sorted(aggregates.items(), key=lambda kv: -len(kv[0])):
        idx = [regions.index(k) for k in kids]
        for name, parts in arrays.items():
            full = np.concatenate(parts) if len(parts) > 1 else parts[0]
            summed = full[idx].sum(axis=0, keepdims=True)
            if name in ("moves_in", "moves_out"):
                internal = np.concatenate(arrays[name.replace("moves", "internal")])
                summed = summed - internal[idx].sum(axis=0, keepdims=True)
            elif name.startswith("internal"):
                summed = np.zeros_like(summed)
            parts.append(summed)
        regions.append(region)
    merged = {k: np.concatenate(v) for k, v in arrays.items()}
    return ProjectionResult(regions, result.years, scenario=result.scenario, names=result.names,
                            synthetic=result.synthetic, calibration=result.calibration, **merged)
