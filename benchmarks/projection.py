"""Benchmark of the projection engine of zwk.demography. Prints its figures; asserts nothing.

Run: .venv/bin/python benchmarks/projection.py  [--regions 11000] [--years 30]

1. Deterministic projection of R regions × 2 sexes × 101 ages × T years, all years kept,
   with the Basisvariante's yearly factors (mortality improving every year): wall time
   (cold, warm into a preallocated output, warm with a fresh output) and cohort-steps/s,
   next to a minimal vectorised NumPy loop of the same shape (the floor to approach).
2. The same model in a straightforward pandas implementation, run on a subset, checked to
   give the same numbers, and the speed ratio per region-year.
3. 1,000 stochastic trajectories for one commune and for one Kreis with its 12 towns.
4. Peak memory of the largest run (tracemalloc peak of the run; process peak RSS).

Inputs are the calibrated schedules of the synthetic Hochsauerlandkreis (SYNTHETIC data),
repeated with random variation to the wanted number of regions.
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc

import numpy as np
import pandas as pd

from zwk.demography.projection import (
    EngineInputs,
    YearFactors,
    calibrate,
    get_scenario,
    project_stochastic,
    run,
)
from zwk.demography.projection.api import scenario_factors
from zwk.demography.synthetic import hochsauerlandkreis


def make_inputs(regions: int, years: int, seed: int = 0):
    dataset = hochsauerlandkreis()
    calib = calibrate(dataset, [r for r in dataset.regions if len(r) == 8])
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(calib.regions), regions)
    scale = rng.lognormal(0.0, 1.0, regions)          # communes from a few hundred to 100k+
    src = calib.inputs
    inputs = EngineInputs(
        population=src.population[pick] * scale[:, None, None],
        death_prop=src.death_prop[pick], newborn_death=src.newborn_death[pick],
        asfr=src.asfr[pick], fert_from=src.fert_from, in_profile=src.in_profile[pick],
        in_level=src.in_level[pick] * scale, out_rates=src.out_rates[pick], srb=src.srb[pick])
    base = scenario_factors(get_scenario("basis"), calib, years)
    factors = YearFactors(*(np.broadcast_to(np.asarray(a)[:1], (regions,) + a.shape[1:])
                            for a in (base.fertility, base.mortality, base.in_migration,
                                      base.out_migration)))
    return dataset, inputs, factors


def best_of(fn, repeats=3):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def minimal_numpy_loop(inputs: EngineInputs, years: int, out: np.ndarray) -> None:
    """Survive, shift, add births and migration – the least any engine must do."""
    surv = 1.0 - inputs.death_prop
    mig = inputs.in_profile * inputs.in_level[:, None, None] - inputs.out_rates * 10.0
    out[0] = inputs.population
    for t in range(years):
        now, nxt = out[t], out[t + 1]
        np.multiply(now[:, :, :-1], surv[:, :, :-1], out=nxt[:, :, 1:])
        nxt[:, :, -1] += now[:, :, -1] * surv[:, :, -1]
        nxt[:, :, 0] = (now[:, 1, 15:50] * inputs.asfr).sum(axis=1)[:, None] * 0.5
        nxt += mig


def pandas_reference(inputs: EngineInputs, factors: YearFactors, years: int) -> np.ndarray:
    """The engine's model written plainly with pandas (long table, groupby-shift)."""
    units, ages = inputs.units, inputs.ages
    index = pd.MultiIndex.from_product([range(units), [0, 1], range(ages)],
                                       names=["region", "sex", "age"])
    pop = pd.Series(inputs.population.ravel(), index=index)
    death = pd.Series(inputs.death_prop.ravel(), index=index)
    out_half = pd.Series(0.5 * inputs.out_rates.ravel(), index=index)
    in_half = pd.Series((inputs.in_profile * 0.5 * inputs.in_level[:, None, None]).ravel(),
                        index=index)
    fert = pd.DataFrame(inputs.asfr, columns=range(inputs.fert_from,
                                                   inputs.fert_from + inputs.asfr.shape[1]))
    fert = fert.stack()
    fert.index.names = ["region", "age"]
    newborn = pd.DataFrame(inputs.newborn_death, columns=[0, 1]).stack()
    newborn.index.names = ["region", "sex"]
    girls_share = pd.Series(1.0 / (1.0 + inputs.srb))
    results = [pop.to_numpy().reshape(units, 2, ages)]
    for t in range(years):
        mort = pd.DataFrame(factors.mortality[:, t, :]).stack()
        mort.index.names = ["region", "sex"]
        start = pop - pop * out_half * factors.out_migration[0, t] + in_half * \
            factors.in_migration[0, t]
        died = (start * death).mul(mort, fill_value=None).reindex(index)
        died = np.minimum(died, start)
        survivors = start - died
        aged = survivors.groupby(level=["region", "sex"]).shift(1)
        top = survivors.xs(ages - 1, level="age", drop_level=False)
        aged.loc[top.index] += top
        aged = aged.fillna(0.0)
        women_start = start.xs(1, level="sex")
        women_end = aged.xs(1, level="sex")
        women = (women_start + women_end).loc[fert.index]
        births = (women * fert).groupby(level="region").sum() * 0.5 * factors.fertility[0, t]
        girls = births * girls_share
        survive = 1.0 - np.minimum(newborn * mort, 1.0)
        aged.loc[(slice(None), 0, 0)] = ((births - girls) * survive.xs(0, level="sex")).to_numpy()
        aged.loc[(slice(None), 1, 0)] = (girls * survive.xs(1, level="sex")).to_numpy()
        pop = aged - aged * out_half * factors.out_migration[0, t] + in_half * \
            factors.in_migration[0, t]
        results.append(pop.to_numpy().reshape(units, 2, ages))
    return np.stack(results, axis=1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--regions", type=int, default=11_000)
    parser.add_argument("--years", type=int, default=30)
    parser.add_argument("--pandas-regions", type=int, default=200)
    args = parser.parse_args()
    regions, years = args.regions, args.years
    dataset, inputs, factors = make_inputs(regions, years)
    cohort_steps = regions * 2 * inputs.ages * years
    print(f"zwk.demography projection benchmark (SYNTHETIC inputs) – {regions:,} regions × 2 "
          f"sexes × {inputs.ages} ages × {years} years, all years kept")

    t0 = time.perf_counter()
    run(inputs, factors)
    cold = time.perf_counter() - t0
    out = np.empty((years + 1, regions, 2, inputs.ages))
    warm = best_of(lambda: run(inputs, factors, out=out))
    fresh = best_of(lambda: run(inputs, factors))
    floor = best_of(lambda: minimal_numpy_loop(inputs, years, out))
    print(f"1. deterministic: cold {cold:.3f} s | warm, preallocated output {warm:.3f} s | "
          f"warm, fresh output {fresh:.3f} s")
    print(f"   {cohort_steps / warm / 1e6:,.0f} million cohort-steps/s (warm, preallocated); "
          f"minimal NumPy loop of the same shape: {floor:.3f} s "
          f"(engine = {warm / floor:.2f} × floor)")

    n = args.pandas_regions
    sub_inputs = EngineInputs(*(getattr(inputs, f)[:n] if f != "fert_from" else inputs.fert_from
                                for f in ("population", "death_prop", "newborn_death", "asfr",
                                          "fert_from", "in_profile", "in_level", "out_rates",
                                          "srb")))
    sub_factors = YearFactors(*(a[:n] for a in (factors.fertility, factors.mortality,
                                                factors.in_migration, factors.out_migration)))
    t0 = time.perf_counter()
    reference = pandas_reference(sub_inputs, sub_factors, years)
    pandas_time = time.perf_counter() - t0
    engine_sub = run(sub_inputs, sub_factors).population
    same = np.allclose(reference, engine_sub, rtol=1e-9, atol=1e-6)
    per_region_year_pandas = pandas_time / (n * years)
    per_region_year_engine = warm / (regions * years)
    print(f"2. pandas reference on {n} regions × {years} years: {pandas_time:.2f} s "
          f"(same numbers as the engine: {same}); per region-year {per_region_year_pandas * 1e6:,.0f} µs "
          f"vs engine {per_region_year_engine * 1e6:.2f} µs → engine "
          f"{per_region_year_pandas / per_region_year_engine:,.0f}× faster")

    project_stochastic(dataset, trajectories=20, years=years, regions=["05958020"])  # warm-up
    one = best_of(lambda: project_stochastic(dataset, trajectories=1000, years=years,
                                             regions=["05958020"]), repeats=2)
    kreis = best_of(lambda: project_stochastic(dataset, trajectories=1000, years=years),
                    repeats=2)
    print(f"3. stochastic, 1,000 trajectories × {years} years (incl. calibration and "
          f"percentiles): one commune {one:.3f} s | Kreis with its 12 towns {kreis:.3f} s")

    out = None  # free the warm buffer before measuring the largest run on its own
    tracemalloc.start()
    run(inputs, factors)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result_mb = (years + 1) * regions * 2 * inputs.ages * 8 / 2**20
    print(f"4. peak memory of the largest run: {peak / 2**20:,.0f} MiB traced "
          f"(of which the kept result {result_mb:,.0f} MiB); process peak RSS {rss:,.0f} MiB")


if __name__ == "__main__":
    main()
