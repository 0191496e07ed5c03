"""Age groups → single years, preserving every group total exactly.

Method (docs/demography.md, decision 0103):

* **with a pattern** (single years of a larger region, usually the Kreis, same sex and year):
  each group total is spread over its single years in proportion to the pattern inside the
  group – ``x_a = N_g · p_a / Σ_{b∈g} p_b``; a group where the pattern is zero is spread evenly;
* **without a pattern**: monotone cubic (PCHIP) interpolation of the cumulative count at the
  group boundaries, differenced at integer ages. The cumulative is non-decreasing, so every
  single year is ≥ 0, and it passes exactly through the boundaries, so group totals are kept.
  The open group is spread like the stationary population ``L_x`` of the reference life table.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.interpolate import PchipInterpolator

from .ages import OPEN
from .dataset import SEXES, Dataset, best_partition
from .lifetable import reference_life_tables
from .regions import kreis_of


def disaggregate(groups: Sequence[tuple[int, float]], counts: Sequence[float],
                 pattern: np.ndarray | None = None, open_age: int = 100) -> np.ndarray:
    """Single years ``0 … open_age`` (last entry open) from grouped ``counts``."""
    order = np.argsort([g[0] for g in groups])
    groups = [groups[i] for i in order]
    counts = np.asarray(counts, dtype=float)[order]
    if pattern is None:
        pattern = _smooth_pattern(groups, counts, open_age)
    out = np.zeros(open_age + 1)
    for (lo, hi), total in zip(groups, counts, strict=True):
        top = open_age + 1 if hi == OPEN else min(int(hi), open_age + 1)
        lo = min(lo, open_age)
        weights = np.asarray(pattern[lo:top], dtype=float).clip(min=0)
        share = weights / weights.sum() if weights.sum() > 0 else np.full(top - lo, 1 / (top - lo))
        out[lo:top] += total * share
    return out


def _smooth_pattern(groups, counts, open_age) -> np.ndarray:
    closed = [(lo, hi) for lo, hi in groups if hi != OPEN]
    edges = np.array([0.0] + [float(hi) for _, hi in closed])
    cumulative = np.concatenate(([0.0], np.cumsum(counts[: len(closed)])))
    single = np.zeros(open_age + 1)
    if len(edges) > 1:
        top = int(min(edges[-1], open_age))
        curve = PchipInterpolator(edges, cumulative)(np.arange(top + 1))
        single[:top] = np.diff(curve).clip(min=0)
    open_from = int(edges[-1]) if len(edges) > 1 else 0
    if open_from <= open_age:
        lx = reference_life_tables(open_age)
        tail = (lx["m"].Lx + lx["f"].Lx)[open_from:]
        single[open_from:] = tail
    return single


def disaggregate_population(dataset: Dataset, open_age: int = 100) -> Dataset:
    """Replace grouped population rows by single years, using the Kreis as pattern if present.

    Regions that already have single years are left alone. The result keeps every group total.
    """
    best = best_partition(dataset.population[dataset.population["sex"].isin(SEXES)])
    if best.empty:
        return dataset
    width = best["age_to"] - best["age_from"]
    keys = ["ags", "year", "sex"]
    grouped_keys = best.loc[(width > 1) & (best["age_to"] != OPEN), keys].drop_duplicates()
    if grouped_keys.empty:
        return dataset
    patterns = _single_year_patterns(best, open_age)
    grouped = best.merge(grouped_keys, on=keys)
    found_keys, blocks = [], []
    for (ags, year, sex), part in grouped.groupby(keys, sort=False):
        pattern = _pattern_for(patterns, kreis_of(ags), year, sex)
        blocks.append(disaggregate(list(zip(part["age_from"], part["age_to"], strict=True)),
                                  part["count"].to_numpy(), pattern, open_age))
        found_keys.append((ags, year, sex))
    new = _single_year_rows(found_keys, np.array(blocks), open_age)
    marked = dataset.population.merge(grouped_keys.assign(_g=1), how="left", on=keys)
    kept = dataset.population[marked["_g"].isna().to_numpy()]
    return Dataset(pd.concat([kept, new], ignore_index=True), dataset.events, dataset.names,
                   dataset.source, dataset.synthetic, dataset.files, dataset.official)


def _single_year_rows(keys: list[tuple], values: np.ndarray, open_age: int) -> pd.DataFrame:
    n_ages = open_age + 1
    ages = np.tile(np.arange(n_ages), len(keys))
    return pd.DataFrame({
        "ags": np.repeat([k[0] for k in keys], n_ages),
        "year": np.repeat([k[1] for k in keys], n_ages),
        "sex": np.repeat([k[2] for k in keys], n_ages),
        "age_from": ages, "age_to": np.where(ages == open_age, OPEN, ages + 1.0),
        "count": values.ravel(), "flag": ""})


def _single_year_patterns(best: pd.DataFrame, open_age: int) -> dict:
    """{(Kreis, sex): {year: single-year counts}} for regions with single-year data."""
    patterns: dict = {}
    single = best[(best["age_to"] - best["age_from"] == 1) | (best["age_to"] == OPEN)]
    for (ags, year, sex), part in single.groupby(["ags", "year", "sex"]):
        if len(part) < 50:
            continue
        values = np.zeros(open_age + 1)
        ages = np.minimum(part["age_from"].to_numpy(), open_age)
        np.add.at(values, ages, part["count"].to_numpy())
        patterns.setdefault((ags, sex), {})[year] = values
    return patterns


def _pattern_for(patterns: dict, kreis: str | None, year: int, sex: str):
    """The Kreis' single years of the same sex in the nearest year, or None."""
    by_year = patterns.get((kreis, sex))
    if not by_year:
        return None
    return by_year[min(by_year, key=lambda y: (abs(y - year), y))]
