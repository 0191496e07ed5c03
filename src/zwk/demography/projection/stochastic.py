"""Stochastic projection: Monte-Carlo trajectories of the levels around a scenario.

Each trajectory draws, for every projection year, multipliers on the scenario's levels
(decision 0108). Shared by all regions of a trajectory (a Kreis' towns move together):

* fertility: ``log F_t = φ_f log F_{t−1} + ε_t``, ``ε ~ N(0, σ_f²)`` (persistent swings);
* life expectancy: a gain per decade ``g ~ N(g_scenario, σ_e²)`` per trajectory (both sexes
  share the same standard-normal draw), turned into death-proportion factors *relative to*
  the scenario's own gain (the scenario factors already hold that gain);
* in-moves: ``log I_t = φ_m log I_{t−1} + ε_t`` (migration waves), out-move rates with a
  smaller independent AR(1).

Specific to each region of a trajectory (small areas are more uncertain, Tayman, Schafer &
Carter 1998; Wilson 2016):

* its own AR(1) swing of fertility beside the shared one;
* persistent shifts of its migration level: a random walk of the in-move level (a new
  housing estate, a closed employer – the main uncertainty of small areas), with yearly
  steps ``σ_m · (25,000 / P)^β`` that grow as the population ``P`` gets smaller;
* random (Poisson) variation of its births, deaths, in- and out-moves: each year's rate is
  multiplied by ``Gamma(μ, 1/μ)`` (mean 1, variance ``1/μ``, the relative variance of a
  Poisson count with mean ``μ``), ``μ`` the region's expected count of that year.

Draws come from ``numpy.random.default_rng(seed)``: same seed → same result. Trajectories are
run in batches through the same engine and reduced to totals and age groups per region, then
to percentiles.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

import numpy as np
import pandas as pd

from ..ages import OPEN
from ..dataset import Dataset
from ..errors import AssumptionError, ProjectionInputError
from ..lifetable import death_multiplier_for_gain
from .api import (
    DEFAULT_YEARS,
    GROUPS_PROJECTION,
    check_horizon,
    plan_regions,
    scenario_factors,
    with_pool_siblings,
)
from .assumptions import Scenario
from .calibration import calibrate
from .engine import EngineInputs, YearFactors, run

REFERENCE_SIZE = 25_000.0    # population at which the migration-level step is local_migration_sd
MAX_UNITS_PER_BATCH = 1_536  # small batches reuse one ~80 MB buffer instead of touching 600 MB


@dataclass(frozen=True)
class Uncertainty:
    """Standard deviations (log scale) and autocorrelations of the random factors."""

    fertility_sd: float = 0.04       # yearly innovation of log fertility (shared)
    fertility_ar: float = 0.9
    e0_gain_sd: float = 0.4          # years per decade (shared)
    in_migration_sd: float = 0.12    # shared migration waves
    in_migration_ar: float = 0.6
    out_migration_sd: float = 0.05
    out_migration_ar: float = 0.6
    local_fertility_sd: float = 0.03     # region-specific swing of fertility
    local_fertility_ar: float = 0.9
    local_migration_sd: float = 0.035    # yearly step of the migration level at 25,000 people
    size_elasticity: float = 0.25        # step ∝ (25,000 / population) ** size_elasticity
    poisson: bool = True                 # random variation of the events themselves

    @classmethod
    def none(cls) -> Uncertainty:
        """Every source switched off: each trajectory equals the deterministic projection."""
        return cls(**{f.name: (False if f.type in ("bool", bool) else 0.0)
                      for f in fields(cls) if f.name.endswith("_sd") or f.type in ("bool", bool)})


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

    def band(self, ags: str, low: float = 10, high: float = 90) -> np.ndarray:
        """Relative width ``(p_high − p_low) / p50`` of the total per year."""
        p = list(self.percentiles)
        row = self.totals[self.regions.index(ags)]
        return (row[:, p.index(high)] - row[:, p.index(low)]) / row[:, p.index(50.0)]

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


def draw_factors(rng: np.random.Generator, scenario: Scenario, reference, trajectories: int,
                 years: int, unc: Uncertainty) -> dict[str, np.ndarray]:
    """Shared per-trajectory factors (N, T), mortality (N, T, 2), relative to the scenario."""
    steps = np.arange(1, years + 1) / 10.0
    z = rng.standard_normal(trajectories)
    mortality = np.empty((trajectories, years, 2))
    for s, (key, gain) in enumerate((("m", scenario.e0_gain_male),
                                     ("f", scenario.e0_gain_female))):
        gains = (gain + unc.e0_gain_sd * z)[:, None] * steps[None, :]
        drawn = death_multiplier_for_gain(reference[key], gains.ravel()).reshape(
            trajectories, years)
        # The scenario factors already hold the scenario's gain; the draw is relative to it,
        # otherwise the gain would be applied twice.
        mortality[:, :, s] = drawn / death_multiplier_for_gain(reference[key], gain * steps)
    return {
        "fertility": _ar1(rng, (trajectories,), years, unc.fertility_sd, unc.fertility_ar),
        "mortality": mortality,
        "in_migration": _ar1(rng, (trajectories,), years, unc.in_migration_sd,
                             unc.in_migration_ar),
        "out_migration": _ar1(rng, (trajectories,), years, unc.out_migration_sd,
                              unc.out_migration_ar),
    }


def draw_local_factors(rng: np.random.Generator, expected: dict[str, np.ndarray],
                       sizes: np.ndarray, trajectories: int,
                       unc: Uncertainty) -> dict[str, np.ndarray]:
    """Region-specific factors (N, R, T): own fertility swing and migration level shifts
    (larger for smaller ``sizes``, the base populations), times the Poisson variation of each
    event given its expected yearly count (R, T)."""
    regions, years = expected["births"].shape
    shape = (trajectories, regions)
    step = unc.local_migration_sd * (REFERENCE_SIZE / np.maximum(sizes, 100.0)) \
        ** unc.size_elasticity
    # A random walk of the level itself (not of its log): shifts up and down are equally
    # likely, so the median trajectory stays on the deterministic projection.
    walk = np.cumsum(rng.standard_normal(shape + (years,)), axis=2) * step[None, :, None]
    local = {
        "fertility": _ar1(rng, shape, years, unc.local_fertility_sd, unc.local_fertility_ar),
        "in_migration": np.maximum(1.0 + walk, 0.0),
        "mortality": np.ones(shape + (years,)), "out_migration": np.ones(shape + (years,)),
    }
    if unc.poisson:
        for name, event in (("fertility", "births"), ("mortality", "deaths"),
                            ("in_migration", "moves_in"), ("out_migration", "moves_out")):
            local[name] = local[name] * _poisson_factor(rng, expected[event], trajectories)
    return local


def _poisson_factor(rng, mean: np.ndarray, trajectories: int) -> np.ndarray:
    """Gamma(μ, 1/μ) factors (N, R, T): mean 1, relative variance 1/μ like a Poisson count."""
    mu = np.broadcast_to(np.maximum(mean, 1e-9), (trajectories,) + mean.shape)
    return np.where(mu > 1e-6, rng.gamma(mu, 1.0 / mu), 1.0)


def _ar1(rng, shape: tuple, years: int, sd: float, phi: float) -> np.ndarray:
    shocks = rng.normal(0.0, sd, shape + (years,))
    log = np.empty(shape + (years,))
    log[..., 0] = shocks[..., 0]
    for t in range(1, years):
        log[..., t] = phi * log[..., t - 1] + shocks[..., t]
    return np.exp(log)


def project_stochastic(dataset: Dataset, scenario: Scenario | None = None,
                       trajectories: int = 1000, years: int = DEFAULT_YEARS, seed: int = 1,
                       percentiles=(10, 50, 90), regions: list[str] | None = None,
                       uncertainty: Uncertainty | None = None,
                       base_year: int | None = None) -> StochasticResult:
    """Percentile bands of totals and age groups from ``trajectories`` Monte-Carlo runs.

    Like :func:`project`, a requested town is run inside its Kreis' pool of internal moves;
    only the requested regions are returned.
    """
    scenario = (scenario or Scenario()).validate()
    check_horizon(years)
    if not 1 <= trajectories <= 100_000:
        raise AssumptionError("Die Zahl der Pfade muss zwischen 1 und 100.000 liegen.")
    unc = uncertainty or Uncertainty()
    expanded = with_pool_siblings(dataset, regions)
    try:
        leaves, aggregates, pools = plan_regions(dataset, expanded)
        calibration = calibrate(dataset, leaves, base_year, pools=pools)
    except ProjectionInputError:
        if expanded == regions:
            raise
        leaves, aggregates, pools = plan_regions(dataset, regions)
        calibration = calibrate(dataset, leaves, base_year, pools=pools)
    calibration.inputs.srb = np.full(len(leaves), scenario.srb)
    calibration.inputs.migration_model = scenario.migration_model
    base = scenario_factors(scenario, calibration, years)
    rng = np.random.default_rng(seed)
    draws = draw_factors(rng, scenario, calibration.reference, trajectories, years, unc)
    local = draw_local_factors(rng, _expected_events(calibration.inputs, base),
                               calibration.inputs.population.sum(axis=(1, 2)), trajectories, unc)
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
        factors = _batch_factors(base, draws, local, lo, hi)
        run(inputs, factors, out=buffer[:, :n_units])
        by_group = _group_sums(buffer[:, :n_units])                    # (T+1, U, G)
        by_group = np.moveaxis(by_group, 0, 1).reshape(hi - lo, len(leaves), years + 1, -1)
        groups[lo:hi] = np.einsum("ol,nltg->notg", member, by_group)
        totals[lo:hi] = groups[lo:hi].sum(axis=3)
    keep = [out_regions.index(r) for r in (regions or out_regions) if r in out_regions]
    q = np.asarray(percentiles, dtype=float)
    return StochasticResult(
        regions=[out_regions[i] for i in keep],
        years=np.arange(calibration.base_year, calibration.base_year + years + 1),
        percentiles=tuple(float(p) for p in q),
        totals=np.moveaxis(np.percentile(totals[:, keep], q, axis=0), 0, -1),
        groups=np.moveaxis(np.percentile(groups[:, keep], q, axis=0), 0, -1),
        group_bounds=GROUPS_PROJECTION, trajectories=trajectories, seed=seed,
        scenario=scenario, names=dict(dataset.names), synthetic=dataset.synthetic)


def _expected_events(inputs: EngineInputs, base: YearFactors) -> dict[str, np.ndarray]:
    """Expected yearly births, deaths and moves (R, T) of the deterministic run: the means of
    the Poisson variation. Moves within a Kreis pool are left out (they cancel)."""
    det = run(inputs, base)
    return {"births": det.births.sum(axis=2), "deaths": det.deaths,
            "moves_in": det.moves_in - det.internal_in,
            "moves_out": det.moves_out - det.internal_out}


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
    """Inputs of ``n`` trajectories × regions stacked into units (trajectory-major); every
    trajectory gets its own copy of each pool of internal moves."""
    def tile(a):
        if a is None:
            return None
        return np.ascontiguousarray(np.broadcast_to(a[None], (n,) + a.shape).reshape(
            (n * a.shape[0],) + a.shape[1:]))

    values = {f.name: tile(getattr(inp, f.name)) if f.name in _PER_UNIT else getattr(inp, f.name)
              for f in fields(EngineInputs)}
    if inp.pool is not None:
        offsets = np.repeat(np.arange(n) * (int(inp.pool.max()) + 1), inp.units)
        values["pool"] = values["pool"] + offsets
    return EngineInputs(**values)


_PER_UNIT = ("population", "death_prop", "newborn_death", "asfr", "in_profile", "in_level",
             "out_rates", "srb", "internal_rates", "pool", "pool_share")


def _slice_units(inp: EngineInputs, units: int) -> EngineInputs:
    return replace(inp, **{name: getattr(inp, name)[:units] for name in _PER_UNIT
                           if getattr(inp, name) is not None})


def _batch_factors(base: YearFactors, shared, local, lo: int, hi: int) -> YearFactors:
    """Scenario factors × shared × regional draws for trajectories lo…hi−1, as units."""
    def combine(name):
        base_arr = np.asarray(getattr(base, name))                       # (R, T[, 2])
        per_traj = shared[name][lo:hi][:, None] * base_arr[None]        # (n, R, T[, 2])
        own = local[name][lo:hi]                                         # (n, R, T)
        per_traj = per_traj * (own[..., None] if per_traj.ndim == 4 else own)
        return per_traj.reshape((-1,) + per_traj.shape[2:])

    return YearFactors(fertility=combine("fertility"), mortality=combine("mortality"),
                       in_migration=combine("in_migration"),
                       out_migration=combine("out_migration"))


def _group_sums(population: np.ndarray) -> np.ndarray:
    """(T+1, U, G) population in :data:`GROUPS_PROJECTION`, both sexes, from the engine's
    time-major buffer (contiguous, so the reduction streams through memory once)."""
    edges = [lo for lo, _ in GROUPS_PROJECTION]
    by_sex = np.add.reduceat(population, edges, axis=-1)              # (T+1, U, 2, G)
    return by_sex[:, :, 0] + by_sex[:, :, 1]
