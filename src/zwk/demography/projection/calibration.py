"""Local calibration of the projection schedules (DOMAIN.md §5, "Local calibration").

* **Fertility**: a reference age schedule (standard German shape; refined by the Kreis'
  births by mother's age where the data have them) scaled so that expected births
  ``Σ_x f_x W_x`` match the observed births of the last ``pool`` years.
* **Mortality**: reference life table × standardised mortality ratio
  ``SMR = observed deaths / expected deaths``.
* **Migration**: in-moves = mean observed count with the Kreis' age-sex profile; out-moves =
  the Kreis' age-sex rate profile scaled to the observed mean out-moves.

Small communes have noisy counts, so their local factor is shrunk towards their Kreis with a
credibility weight ``w = E / (E + K)``, ``E`` the expected count and ``K`` a constant
(:data:`SHRINK`): ``local = w · observed/expected + (1 − w) · kreis``. A commune with 10,000
inhabitants (≈ 80 births a year, 320 in 4 years) keeps 76 % of its own fertility signal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..ages import OPEN
from ..dataset import Dataset, PopulationCube, best_partition
from ..disaggregate import disaggregate, disaggregate_population
from ..errors import ProjectionInputError
from ..lifetable import period_for_base_year, period_life_tables, reference_life_tables
from ..regions import kreis_of, level
from ..schedules import FERTILE_AGES, fertility_schedule, in_migration_shape, out_migration_rates
from .engine import EngineInputs

SHRINK = {"births": 100.0, "deaths": 150.0, "moves_out": 200.0}
DEFAULT_TFR = 1.55


@dataclass
class Calibration:
    regions: list[str]
    base_year: int
    inputs: EngineInputs
    table: pd.DataFrame          # per region: tfr, smr, in_level, out_factor, weights
    reference: dict              # reference life tables by sex
    reference_period: tuple[int, int] | None = None   # Destatis period of the reference


def calibrate(dataset: Dataset, regions: list[str] | None = None, base_year: int | None = None,
              pool: int = 4, open_age: int = 100,
              pools: dict[str, list[str]] | None = None) -> Calibration:
    """Calibrated engine inputs for ``regions`` (default: all with population) at ``base_year``.

    ``pools`` maps a Kreis to its towns among ``regions`` (contiguous in ``regions``): the
    moves between those towns are split off and modelled as a pool that nets to zero in every
    year (decision 0107).
    """
    base_year = base_year or _latest_common_year(dataset, regions)
    dataset = _relevant_part(dataset, regions, base_year, pool)
    single = _Stocks(disaggregate_population(dataset, open_age),
                     list(range(base_year - pool, base_year + 1)))
    cube = single.single_year_cube(regions=regions, years=[base_year])
    if np.isnan(cube.values).any():
        missing = [r for i, r in enumerate(cube.regions) if np.isnan(cube.values[i]).any()]
        raise ProjectionInputError(
            f"Für {', '.join(missing[:5])} fehlt die Bevölkerung nach Alter und Geschlecht "
            f"am 31.12.{base_year}.")
    cube = _extend_open_age(cube, open_age)
    pop = cube.values[:, 0]                     # (R, 2, A)
    exposure = mid_year_exposure(single, list(cube.regions), base_year, pool, open_age, pop)
    events = _pooled_events(dataset, base_year, pool)
    tables = period_life_tables(base_year, open_age)     # known at the jump-off (decision 0109)
    death_ref = np.stack([1.0 - tables[s].survival()[0] for s in "mf"])
    newborn_ref = np.array([1.0 - tables[s].survival()[1] for s in "mf"])
    kreis_profiles = _kreis_profiles(dataset, single, base_year, pool, open_age, events)
    rows, asfr, death, in_prof, in_level, out_rates = [], [], [], [], [], []
    for i, ags in enumerate(cube.regions):
        profile = kreis_profiles.get(kreis_of(ags) or "", kreis_profiles["default"])
        kreis_level = profile["levels"]
        if ags == kreis_of(ags):        # the Kreis itself: its own moves are not grossed up
            kreis_level = kreis_level | {"out_factor": 1.0}
        row = {"ags": ags}
        f, row["tfr"], row["w_fertility"] = _fertility(
            exposure[i], events.get((ags, "births")), pool, profile["fertility"],
            kreis_level["tfr"])
        smr, row["w_mortality"] = _smr(exposure[i], events.get((ags, "deaths")), pool, death_ref,
                                       kreis_level["smr"])
        row["smr"] = smr
        level_in, rates, row["out_factor"], row["w_out"] = _migration(
            exposure[i], events.get((ags, "moves_in")), events.get((ags, "moves_out")), profile,
            kreis_level)
        row["in_level"] = level_in
        rows.append(row)
        asfr.append(f)
        death.append(np.minimum(death_ref * smr, 1.0))
        in_prof.append(profile["in_profile"])
        in_level.append(level_in)
        out_rates.append(rates)
    n = len(cube.regions)
    inputs = EngineInputs(
        population=pop, death_prop=np.array(death),
        newborn_death=newborn_ref[None, :] * np.array([r["smr"] for r in rows])[:, None],
        asfr=np.array(asfr), fert_from=FERTILE_AGES[0], in_profile=np.array(in_prof),
        in_level=np.array(in_level), out_rates=np.array(out_rates), srb=np.full(n, 1.05))
    table = pd.DataFrame(rows)
    if pools:
        split_internal_moves(inputs, table, list(cube.regions), pools, events)
    return Calibration(list(cube.regions), base_year, inputs, table, tables,
                       period_for_base_year(base_year))


def split_internal_moves(inputs: EngineInputs, table: pd.DataFrame, regions: list[str],
                         pools: dict[str, list[str]], events: dict) -> None:
    """Split the towns' moves into moves within their Kreis and moves across its boundary.

    Town statistics count a move to the neighbouring town as an out-move of one town and an
    in-move of the other; the Kreis' own statistics do not. The yearly number of moves within
    the Kreis is therefore ``M = ½ · ((Σ town in-moves − Kreis in-moves) + (Σ town out-moves −
    Kreis out-moves))`` (pooled years). Each town sends the same fraction ``M / Σ out`` of its
    out-movers into the pool and receives the share ``I_i / Σ I`` of the pooled movers; the
    rest of its flows cross the Kreis boundary. Units must be ordered pool by pool.
    """
    index = {r: i for i, r in enumerate(regions)}
    n = len(regions)
    internal = np.zeros_like(inputs.out_rates)
    pool_id = np.arange(n) + n          # every unit its own pool unless it joins a Kreis pool
    share = np.ones(n)
    table["internal_moves"] = 0.0
    for number, (kreis, towns) in enumerate(pools.items()):
        members = [index[t] for t in towns if t in index]
        flows = [events.get((kreis, e)) for e in ("moves_in", "moves_out")]
        town_in = [events.get((t, "moves_in")) for t in towns]
        town_out = [events.get((t, "moves_out")) for t in towns]
        if len(members) < 2 or None in flows or None in town_in or None in town_out:
            continue
        if np.any(np.diff(sorted(members)) != 1):
            raise ProjectionInputError(f"Die Gemeinden von {kreis} müssen zusammenhängen.")
        total_in, total_out = float(sum(town_in)), float(sum(town_out))
        moves = 0.5 * ((total_in - flows[0]) + (total_out - flows[1]))
        moves = float(np.clip(moves, 0.0, 0.95 * min(total_in, total_out)))
        if moves <= 0:
            continue
        in_levels = inputs.in_level[members]
        internal[members] = inputs.out_rates[members] * (moves / total_out)
        inputs.out_rates[members] *= 1.0 - moves / total_out
        inputs.in_level[members] = in_levels * (1.0 - moves / total_in)
        pool_id[members] = number
        share[members] = in_levels / in_levels.sum()
        table.loc[members, "internal_moves"] = moves * share[members]
    if (pool_id < n).any():
        inputs.internal_rates, inputs.pool, inputs.pool_share = internal, pool_id, share


class _Stocks:
    """A dataset whose single-year cube is built once for all regions of the pooling years and
    sliced afterwards (building a cube scans the whole population frame)."""

    def __init__(self, single: Dataset, years: list[int]) -> None:
        self.dataset, self.years = single, years
        self._cube: PopulationCube | None = None

    def __getattr__(self, name):
        return getattr(self.dataset, name)

    def single_year_cube(self, regions=None, years=None) -> PopulationCube:
        if self._cube is None:
            self._cube = self.dataset.single_year_cube(years=self.years)   # raises if none
        cube = self._cube
        regions = list(regions) if regions is not None else list(cube.regions)
        years = list(years) if years is not None else list(cube.years)
        r_idx = {r: i for i, r in enumerate(cube.regions)}
        y_idx = {y: i for i, y in enumerate(cube.years)}
        values = np.full((len(regions), len(years)) + cube.values.shape[2:], np.nan)
        for i, region in enumerate(regions):
            for j, year in enumerate(years):
                if region in r_idx and year in y_idx:
                    values[i, j] = cube.values[r_idx[region], y_idx[year]]
        return PopulationCube(values, regions, years, cube.ages.copy())


def _relevant_part(dataset: Dataset, regions, base_year: int, pool: int) -> Dataset:
    """Only the years and regions (with their Kreise) calibration looks at – keeps it fast."""
    wanted = None
    if regions is not None:
        wanted = set(regions) | {kreis_of(r) for r in regions if kreis_of(r)}
    return dataset.subset(regions=wanted, years=range(base_year - pool, base_year + 1))


def _latest_common_year(dataset: Dataset, regions) -> int:
    pop = dataset.population
    if regions is not None:
        pop = pop[pop["ags"].isin(regions)]
    pop = pop[pop["sex"].isin(["m", "f"])]
    if pop.empty:
        raise ProjectionInputError("Keine Bevölkerung nach Geschlecht für die Projektion vorhanden.")
    per_region = pop.groupby("ags")["year"].max()
    return int(per_region.min())


def _extend_open_age(cube, open_age):
    """Spread a lower open group (e.g. 90+) over single years up to ``open_age`` like ``L_x``."""
    if cube.open_age == open_age:
        return cube
    if cube.open_age > open_age:
        values = cube.values[..., : open_age + 1].copy()
        values[..., -1] += cube.values[..., open_age + 1:].sum(axis=-1)
    else:
        tables = reference_life_tables(open_age)
        values = np.zeros(cube.values.shape[:-1] + (open_age + 1,))
        values[..., : cube.open_age] = cube.values[..., :-1]
        for s, key in enumerate("mf"):
            tail = tables[key].Lx[cube.open_age:]
            values[:, :, s, cube.open_age:] = cube.values[:, :, s, -1:] * (tail / tail.sum())
    cube.values, cube.ages = values, np.arange(open_age + 1)
    return cube


def mid_year_exposure(single: Dataset, regions: list[str], base_year: int, pool: int,
                      open_age: int, fallback: np.ndarray) -> np.ndarray:
    """(R, 2, A) mean mid-year population of the pooling years, the exposure of pooled events.

    Events are averaged over the years ``base_year − pool + 1 … base_year``; rates must divide
    them by the population at risk in *those* years, approximated per year by the mid-year
    population ``(P(31.12. y−1) + P(31.12. y)) / 2`` (Preston, Heuveline & Guillot 2001,
    ch. 1.4: person-years lived ≈ mid-year population × 1 year). A year without the previous
    stock uses its year-end stock; a region without any earlier stock uses ``fallback``
    (the base-year stock).
    """
    years = list(range(base_year - pool, base_year + 1))
    try:
        cube = _extend_open_age(single.single_year_cube(regions=regions, years=years), open_age)
    except ProjectionInputError:
        return fallback
    stocks = cube.values                                           # (R, pool + 1, 2, A)
    mid = np.where(np.isnan(stocks[:, :-1]), stocks[:, 1:], (stocks[:, :-1] + stocks[:, 1:]) / 2)
    known = ~np.isnan(mid).any(axis=(2, 3))                        # (R, pool)
    summed = np.where(known[:, :, None, None], mid, 0.0).sum(axis=1)
    count = known.sum(axis=1)
    mean = summed / np.maximum(count, 1)[:, None, None]
    return np.where((count > 0)[:, None, None], mean, fallback)


def _pooled_events(dataset: Dataset, base_year: int, pool: int) -> dict:
    """Mean yearly events over the ``pool`` years up to the base year, per region and event."""
    ev = dataset.events
    ev = ev[(ev["year"] > base_year - pool) & (ev["year"] <= base_year)]
    best = best_partition(ev)
    best = best[best["count"].notna()]  # an unknown year is left out, not counted as 0
    if best.empty:
        return {}
    keys = ["ags", "year", "event"]
    both = best[best["sex"].isin(["m", "f"])].groupby(keys)["sex"].nunique() == 2
    split = pd.MultiIndex.from_frame(best[keys]).isin(both[both].index)
    use = best[np.where(split, best["sex"].isin(["m", "f"]), best["sex"] == "t")]
    per_year = use.groupby(keys)["count"].sum()
    return per_year.groupby(level=["ags", "event"]).mean().to_dict()


def _shrunk(observed: float | None, expected: float, pool: int, fallback: float,
            k: float) -> tuple[float, float]:
    """Credibility-weighted ratio ``w · O/E + (1 − w) · fallback`` with ``w = E·pool/(E·pool+K)``."""
    if observed is None or expected <= 0:
        return fallback, 0.0
    weight = expected * pool / (expected * pool + k)
    return weight * observed / expected + (1.0 - weight) * fallback, weight


def _fertility(pop, births, pool, shape, kreis_tfr):
    f0, f1 = FERTILE_AGES
    expected_per_tfr = float((shape * pop[1, f0:f1]).sum())
    ratio, weight = _shrunk(births, expected_per_tfr * kreis_tfr, pool, 1.0, SHRINK["births"])
    tfr = kreis_tfr * ratio
    return shape * tfr, tfr, weight


def _smr(pop, deaths, pool, death_ref, kreis_smr):
    expected = float((pop * death_ref).sum()) * kreis_smr
    ratio, weight = _shrunk(deaths, expected, pool, 1.0, SHRINK["deaths"])
    return kreis_smr * ratio, weight


def _migration(pop, moves_in, moves_out, profile, kreis_level):
    total = pop.sum()
    level_in = moves_in if moves_in is not None else kreis_level["in_per_capita"] * total
    rates = profile["out_rates"] * kreis_level["out_factor"]
    expected_out = float((rates * pop).sum())
    ratio, weight = _shrunk(moves_out, expected_out, 4, 1.0, SHRINK["moves_out"])
    return level_in, np.clip(rates * ratio, 0.0, 0.9), kreis_level["out_factor"] * ratio, weight


def _kreis_profiles(dataset, single, base_year, pool, open_age, events) -> dict:
    """Schedules (shapes) and levels per Kreis, calibrated on the Kreis' own data."""
    default_shape = fertility_schedule(1.0)
    profiles = {"default": {
        "fertility": default_shape, "in_profile": in_migration_shape(open_age),
        "out_rates": out_migration_rates(open_age),
        "levels": {"tfr": DEFAULT_TFR, "smr": 1.0, "in_per_capita": 0.04, "out_factor": 1.0}}}
    kreise = {kreis_of(r) for r in single.regions if kreis_of(r)}
    tables = period_life_tables(base_year, open_age)
    death_ref = np.stack([1.0 - tables[s].survival()[0] for s in "mf"])
    with_population = set(single.population["ags"])
    present = sorted(k for k in kreise if k in with_population)
    if not present:
        return profiles
    try:
        cubes = _extend_open_age(single.single_year_cube(present, [base_year]), open_age)
    except ProjectionInputError:  # no Kreis has single years: Gemeinden use the defaults
        return profiles
    ev = dataset.events
    ev = ev[(ev["year"] > base_year - pool) & (ev["year"] <= base_year) & ev["ags"].isin(present)]
    by_kreis = dict(tuple(best_partition(ev).groupby("ags")))
    exposures = mid_year_exposure(single, present, base_year, pool, open_age, cubes.values[:, 0])
    for index, kreis in enumerate(present):
        if np.isnan(cubes.values[index, 0]).any():
            continue
        pop = exposures[index]          # mean mid-year population of the pooled years
        own = by_kreis.get(kreis, ev.iloc[0:0])
        shape = _fertility_shape(own, pop, default_shape)
        in_profile = _moves_profile(own, "moves_in", open_age)
        out_counts = _moves_profile(own, "moves_out", open_age, normalise=False)
        out_rates = (np.clip(out_counts / np.maximum(pop, 1.0), 0, 0.5)
                     if out_counts is not None else out_migration_rates(open_age))
        _, tfr, _ = _fertility(pop, events.get((kreis, "births")), pool, shape, DEFAULT_TFR)
        smr, _ = _smr(pop, events.get((kreis, "deaths")), pool, death_ref, 1.0)
        in_level = events.get((kreis, "moves_in"))
        profiles[kreis] = {
            "fertility": shape,
            "in_profile": in_profile if in_profile is not None else in_migration_shape(open_age),
            "out_rates": out_rates,
            "levels": {"tfr": tfr, "smr": smr,
                       "in_per_capita": (in_level or 0.04 * pop.sum()) / pop.sum(),
                       "out_factor": _town_gross_up(dataset, events, kreis, base_year)}}
    return profiles


def _town_gross_up(dataset: Dataset, events: dict, kreis: str, base_year: int) -> float:
    """Σ town out-moves / Kreis out-moves when the Kreis' towns are all in the data.

    A town's out-moves include moves to the other towns of its Kreis, the Kreis' own
    out-moves do not; small towns are shrunk towards the Kreis' rates, so those rates must be
    grossed up by the moves within the Kreis, or shrinkage would bias the towns' moves down.
    """
    kreis_out = events.get((kreis, "moves_out"))
    totals = dataset.totals()
    at_base = totals[totals["year"] == base_year].set_index("ags")["total"]
    towns = [r for r in at_base.index if level(r) == "gemeinde" and kreis_of(r) == kreis]
    town_out = [events.get((t, "moves_out")) for t in towns]
    if (not kreis_out or not towns or None in town_out or kreis not in at_base
            or abs(at_base[towns].sum() - at_base[kreis]) > 0.005 * at_base[kreis]):
        return 1.0
    return float(sum(town_out)) / kreis_out


def _fertility_shape(ev, pop, default_shape) -> np.ndarray:
    """Standard shape rescaled within each mother's-age group to the Kreis' group rates
    (``ev``: the Kreis' events of the pooling years)."""
    births = ev[(ev["event"] == "births") & (ev["sex"] == "t")
                & ~((ev["age_from"] == 0) & (ev["age_to"] == OPEN))]
    if births.empty:
        return default_shape
    f0, f1 = FERTILE_AGES
    by_group = births.groupby(["age_from", "age_to"])["count"].sum() / births["year"].nunique()
    women = pop[1]
    shape = default_shape.copy()
    for (lo, hi), count in by_group.items():
        ages = np.arange(max(int(lo), f0), min(int(hi), f1) if hi != OPEN else f1)
        if len(ages) == 0:
            continue
        idx = ages - f0
        expected = (default_shape[idx] * women[ages]).sum()
        if expected > 0:
            shape[idx] *= count / expected
    return shape / shape.sum()


def _moves_profile(ev, event, open_age, normalise=True):
    """Single-year age-sex profile of a Kreis' moves (groups disaggregated smoothly)."""
    part = ev[(ev["event"] == event) & ev["sex"].isin(["m", "f"])]
    if part.empty or set(part["sex"]) != {"m", "f"}:
        return None
    years = part["year"].nunique()
    out = np.zeros((2, open_age + 1))
    for s, key in enumerate("mf"):
        grouped = part[part["sex"] == key].groupby(["age_from", "age_to"])["count"].sum() / years
        out[s] = disaggregate(list(grouped.index), grouped.to_numpy(), None, open_age)
    return out / out.sum() if normalise else out
