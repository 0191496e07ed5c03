"""Stochastic projection: Monte-Carlo trajectories of the levels around a scenario.

Each trajectory draws, for every projection year, multipliers on the scenario's levels:

* fertility: ``log F_t = φ_f log F_{t−1} + ε_t``, ``ε ~ N(0, σ_f²)`` (persistent swings);
* life expectancy: a gain per decade ``g ~ N(g_scenario, σ_e²)`` per trajectory (both sexes
  share the same standard-normal draw), turned into death-proportion factors;
* in-moves: ``log I_t = φ_m log I_{t−1} + ε_t`` (migration waves), out-move rates with a
  smaller independent AR(1).

All regions of one trajectory share the draws (a Kreis' towns move together, as they do in
reality). Draws come from ``numpy.random.default_rng(seed)``: same seed → same result.
Trajectories are run in batches through the same engine and reduced to totals and age
groups per region, then to percentiles.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..ages import OPEN
from ..dataset import Dataset
from ..errors import AssumptionError
from ..lifetable import death_multiplier_for_gain
from .api import (
    DEFAULT_YEARS,
    GROUPS_PROJECTION,
    check_horizon,
    leaf_regions,
    scenario_factors,
)
from .assumptions import Scenario
from .calibration import calibrate
from .engine import EngineInputs, YearFactors, run

MAX_UNITS_PER_BATCH = 1_536  # small batches reuse one ~80 MB buffer instead of touching 600 MB


@dataclass(frozen=True)
class Uncertainty:
    fertility_sd: float = 0.04       # yearly innovation of log fertility
    fertility_ar: float = 0.9
    e0_gain_sd: float = 0.4          # years per decade
    in_migration_sd: float = 0.12
    in_migration_ar: float = 0.6
    out_migration_sd: float = 0.05
    out_migration_ar: float = 0.6


@dataclass
class StochasticResult:
    regions: list[str]
    years: np.ndarray
    percentiles: tuple[float, ...]
    totals: np.ndarray        # (R, T+1, P)
    groups: np.ndarray        # (R, T+1, G, P)
    group_bounds: tuple
    trajectories: int
    seed: int
    scenario: Scenario
    names: dict[str, str] = field(default_factory=dict)
    synthetic: bool = False

    def to_frame(self) -> pd.DataFrame:
        """One row per region, year and age group ("insgesamt" for the total), one column per
        percentile (``p10``, ``p50``, ``p90``)."""
        rows = []
        labels = ["insgesamt"] + [f"{lo}-{'' if hi == OPEN else int(hi)}"
                                  for lo, hi in self.group_bounds]
        for r, ags in enumerate(self.regions):
            for t, year in enumerate(self.years):
                values = [self.totals[r, t]] + [self.groups[r, t, g]
                                                for g in range(len(self.group_bounds))]
                for label, v in zip(labels, values, strict=True):
                    row = {"ags": ags, "name": self.names.get(ags, ags), "year": int(year),
                           "age_group": label}
                    row.update({f"p{p:g}": float(x) for p, x in zip(self.percentiles, v,
                                                                    strict=True)})
                    rows.append(row)
        frame = pd.DataFrame(rows)
        frame["scenario"], frame["synthetic"] = self.scenario.key, self.synthetic
        return frame


def draw_factors(rng: np.random.Generator, base: YearFactors, scenario: Scenario, reference,
                 trajectories: int, unc: Uncertainty) -> dict[str, np.ndarray]:
    """Per-trajectory yearly factors (N, T), mortality (N, T, 2), relative to the scenario."""
    years = base.years
    steps = np.arange(1, years + 1) / 10.0
    z = rng.standard_normal(trajectories)
    mortality = np.empty((trajectories, years, 2))
    for s, (key, gain) in enumerate((("m", scenario.e0_gain_male),
                                     ("f", scenario.e0_gain_female))):
        gains = (gain + unc.e0_gain_sd * z)[:, None] * steps[None, :]
        drawn = death_multiplier_for_gain(reference[key], gains.ravel()).reshape(
            trajectories, years)
        # ``base.mortality`` already holds the scenario's gain; the draw is relative to it,
        # otherwise the gain would be applied twice.
        mortality[:, :, s] = drawn / death_multiplier_for_gain(reference[key], gain * steps)
    return {
        "fertility": _ar1(rng, trajectories, years, unc.fertility_sd, unc.fertility_ar),
        "mortality": mortality,
        "in_migration": _ar1(rng, trajectories, years, unc.in_migration_sd, unc.in_migration_ar),
        "out_migration": _ar1(rng, trajectories, years, unc.out_migration_sd,
                              unc.out_migration_ar),
    }


def _ar1(rng, n, years, sd, phi) -> np.ndarray:
    shocks = rng.normal(0.0, sd, (n, years))
    log = np.empty((n, years))
    log[:, 0] = shocks[:, 0]
    for t in range(1, years):
        log[:, t] = phi * log[:, t - 1] + shocks[:, t]
    return np.exp(log)


def project_stochastic(dataset: Dataset, scenario: Scenario | None = None,
                       trajectories: int = 1000, years: int = DEFAULT_YEARS, seed: int = 1,
                       percentiles=(10, 50, 90), regions: list[str] | None = None,
                       uncertainty: Uncertainty | None = None) -> StochasticResult:
    """Percentile bands of totals and age groups from ``trajectories`` Monte-Carlo runs."""
    scenario = (scenario or Scenario()).validate()
    check_horizon(years)
    if not 1 <= trajectories <= 100_000:
        raise AssumptionError("Die Zahl der Pfade muss zwischen 1 und 100.000 liegen.")
    unc = uncertainty or Uncertainty()
    leaves, aggregates = leaf_regions(dataset, regions)
    calibration = calibrate(dataset, leaves)
    base = scenario_factors(scenario, calibration, years)
    rng = np.random.default_rng(seed)
    draws = draw_factors(rng, base, scenario, calibration.reference, trajectories, unc)
    out_regions = leaves + list(aggregates)
    member = _membership(leaves, out_regions, aggregates)               # (R_out, R_leaf)
    totals = np.empty((trajectories, len(out_regions), years + 1))
    groups = np.empty((trajectories, len(out_regions), years + 1, len(GROUPS_PROJECTION)))
    batch = max(1, MAX_UNITS_PER_BATCH // len(leaves))
    buffer = np.empty((years + 1, batch * len(leaves), 2, calibration.inputs.ages))
    batch = min(batch, trajectories)
    tiled = _tile_inputs(calibration.inputs, batch)     # the same for every batch: build once
    for lo in range(0, trajectories, batch):
        hi = min(trajectories, lo + batch)
        n_units = (hi - lo) * len(leaves)
        inputs = _slice_units(tiled, n_units)
        factors = _batch_factors(base, draws, lo, hi, len(leaves))
        run(inputs, factors, out=buffer[:, :n_units])
        by_group = _group_sums(buffer[:, :n_units])                    # (T+1, U, G)
        by_group = np.moveaxis(by_group, 0, 1).reshape(hi - lo, len(leaves), years + 1, -1)
        groups[lo:hi] = np.einsum("ol,nltg->notg", member, by_group)
        totals[lo:hi] = groups[lo:hi].sum(axis=3)
    q = np.asarray(percentiles, dtype=float)
    return StochasticResult(
        regions=out_regions, years=np.arange(calibration.base_year,
                                             calibration.base_year + years + 1),
        percentiles=tuple(float(p) for p in q),
        totals=np.moveaxis(np.percentile(totals, q, axis=0), 0, -1),
        groups=np.moveaxis(np.percentile(groups, q, axis=0), 0, -1),
        group_bounds=GROUPS_PROJECTION, trajectories=trajectories, seed=seed,
        scenario=scenario, names=dict(dataset.names), synthetic=dataset.synthetic)


def _membership(leaves, out_regions, aggregates) -> np.ndarray:
    m = np.zeros((len(out_regions), len(leaves)))
    for i, region in enumerate(out_regions):
        for leaf in _leaves_of(region, aggregates):
            m[i, leaves.index(leaf)] = 1.0
    return m


def _leaves_of(region, aggregates):
    if region not in aggregates:
        return [region]
    return [leaf for kid in aggregates[region] for leaf in _leaves_of(kid, aggregates)]


def _tile_inputs(inp: EngineInputs, n: int) -> EngineInputs:
    """Inputs of ``n`` trajectories × regions stacked into units (trajectory-major)."""
    def tile(a):
        return np.ascontiguousarray(np.broadcast_to(a[None], (n,) + a.shape).reshape(
            (n * a.shape[0],) + a.shape[1:]))

    return EngineInputs(
        population=tile(inp.population), death_prop=tile(inp.death_prop),
        newborn_death=tile(inp.newborn_death), asfr=tile(inp.asfr), fert_from=inp.fert_from,
        in_profile=tile(inp.in_profile), in_level=tile(inp.in_level),
        out_rates=tile(inp.out_rates), srb=tile(inp.srb))


def _slice_units(inp: EngineInputs, units: int) -> EngineInputs:
    return EngineInputs(
        population=inp.population[:units], death_prop=inp.death_prop[:units],
        newborn_death=inp.newborn_death[:units], asfr=inp.asfr[:units],
        fert_from=inp.fert_from, in_profile=inp.in_profile[:units],
        in_level=inp.in_level[:units], out_rates=inp.out_rates[:units], srb=inp.srb[:units])


def _batch_factors(base: YearFactors, draws, lo: int, hi: int, regions: int) -> YearFactors:
    """Scenario factors × trajectory draws for trajectories lo…hi−1, as units."""
    n = hi - lo

    def combine(base_arr, draw):
        per_traj = draw[lo:hi][:, None] * np.asarray(base_arr)[None]    # (n, r, T[, 2])
        return per_traj.reshape((n * regions,) + per_traj.shape[2:])

    return YearFactors(
        fertility=combine(base.fertility, draws["fertility"]),
        mortality=combine(base.mortality, draws["mortality"]),
        in_migration=combine(base.in_migration, draws["in_migration"]),
        out_migration=combine(base.out_migration, draws["out_migration"]))


def _group_sums(population: np.ndarray) -> np.ndarray:
    """(T+1, U, G) population in :data:`GROUPS_PROJECTION`, both sexes, from the engine's
    time-major buffer (contiguous, so the reduction streams through memory once)."""
    edges = [lo for lo, _ in GROUPS_PROJECTION]
    by_sex = np.add.reduceat(population, edges, axis=-1)              # (T+1, U, 2, G)
    return by_sex[:, :, 0] + by_sex[:, :, 1]
