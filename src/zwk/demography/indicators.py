"""Indicators of municipal demography work (Wegweiser-Kommune style).

Array functions take ``counts`` over age classes ``groups = [(age_from, age_to), …]``
(``age_to`` exclusive, ``inf`` for the open group) and return plain floats; they return NaN
where the age detail does not allow the indicator (e.g. 80+ from a table ending at 75+).
:func:`indicators_table` computes all of them for a :class:`Dataset`, one row per region and
year, with the snake_case keys listed in :data:`COLUMNS`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .ages import OPEN
from .dataset import Dataset, best_partition, population_totals
from .lifetable import reference_life_tables

Groups = Sequence[tuple[int, float]]

#: Life phases of migration (Wegweiser Kommune): name → age bands.
LIFE_PHASES = {
    "familienwanderung": ((0, 18), (30, 50)),
    "bildungswanderung": ((18, 25),),
    "berufseinstiegswanderung": ((25, 30),),
    "wanderung_2_lebenshaelfte": ((50, 65),),
    "alterswanderung": ((65, OPEN),),
}
COLUMNS = [
    "ags", "name", "year", "bevoelkerung", "maennlich", "weiblich", "veraenderung_prozent",
    "durchschnittsalter", "medianalter", "jugendquotient", "altenquotient", "anteil_unter_18",
    "anteil_18_64", "anteil_65_79", "anteil_80_plus", "anteil_65_plus", "geburten_je_1000",
    "sterbefaelle_je_1000", "natuerlicher_saldo_je_1000", "zuzuege_je_1000",
    "fortzuege_je_1000", "wanderungssaldo_je_1000", *LIFE_PHASES, "synthetisch",
]


def change_percent(current: float, base: float) -> float:
    """Change since a base year in %: ``(P_t / P_base − 1) · 100``."""
    return (current / base - 1.0) * 100.0 if base else float("nan")


def band_sum(counts, groups: Groups, lo: float, hi: float) -> float:
    """People aged ``[lo, hi)``; NaN if a class straddles ``lo`` or ``hi``."""
    total = 0.0
    for (a, b), n in zip(groups, counts, strict=True):
        if a >= lo and b <= hi:
            total += n
        elif a < hi and b > lo:
            return float("nan")
    return total


def youth_ratio(counts, groups: Groups) -> float:
    """Jugendquotient: ``N(0–19) / N(20–64) · 100`` (Destatis convention, 20 and 65 limits)."""
    return 100.0 * band_sum(counts, groups, 0, 20) / band_sum(counts, groups, 20, 65)


def old_age_ratio(counts, groups: Groups) -> float:
    """Altenquotient: ``N(65+) / N(20–64) · 100``."""
    return 100.0 * band_sum(counts, groups, 65, OPEN) / band_sum(counts, groups, 20, 65)


def age_share(counts, groups: Groups, lo: float, hi: float) -> float:
    """Share of ages ``[lo, hi)`` in %: ``N(lo–hi) / N · 100``."""
    return 100.0 * band_sum(counts, groups, lo, hi) / float(np.sum(counts))


def _open_group_mean_age(age: int) -> float:
    tables = reference_life_tables()
    weights = [tables[s].Lx[age:].sum() for s in "mf"]
    means = [tables[s].mean_age_above(age) for s in "mf"]
    return float(np.average(means, weights=weights))


def mean_age(counts, groups: Groups) -> float:
    """Average age ``Σ m_g N_g / Σ N_g``.

    Single years count at ``a + 0.5`` (everyone aged 37 is 37.5 on average); a wider group at
    its midpoint; the open group at the mean age of the stationary population of the
    reference life table above its start (e.g. ≈ 83 for 75+). With single years up to 100+
    this matches the official Durchschnittsalter convention.
    """
    mids = [(a + b) / 2.0 if b != OPEN else _open_group_mean_age(int(a)) for a, b in groups]
    counts = np.asarray(counts, dtype=float)
    return float((np.asarray(mids) * counts).sum() / counts.sum())


def median_age(counts, groups: Groups) -> float:
    """Median age, linearly interpolated within the median class.

    ``Med = a_m + (N/2 − C_{m−1}) / N_m · (b_m − a_m)`` with ``C_{m−1}`` the number of people
    below the median class ``[a_m, b_m)``; NaN if the median falls into the open group.
    """
    order = np.argsort([g[0] for g in groups])
    counts = np.asarray(counts, dtype=float)[order]
    groups = [groups[i] for i in order]
    half = counts.sum() / 2.0
    below = 0.0
    for (a, b), n in zip(groups, counts, strict=True):
        if below + n >= half and n > 0:
            return float("nan") if b == OPEN else a + (half - below) / n * (b - a)
        below += n
    return float("nan")


def rate_per_1000(events: float, population: float) -> float:
    """Events per 1,000 residents: ``E / P · 1000`` (P = mean population of the year)."""
    return 1000.0 * events / population if population else float("nan")


def mean_rate_per_1000(events: Sequence[float], population: Sequence[float]) -> float:
    """Rate of 4-year means: ``mean(E) / mean(P) · 1000`` (NaN if a year is missing)."""
    e, p = np.asarray(events, dtype=float), np.asarray(population, dtype=float)
    if np.isnan(e).any() or np.isnan(p).any() or len(e) == 0:
        return float("nan")
    return 1000.0 * e.mean() / p.mean()


def life_phase_rate(net_moves: Sequence[float], population: Sequence[float]) -> float:
    """Migration by life phase: ``mean₄(Zuzüge − Fortzüge of the phase) / mean₄(N of the phase)
    · 1000`` – numerator and denominator each averaged over the last 4 years."""
    return mean_rate_per_1000(net_moves, population)


# ----------------------------------------------------------------------------- the table

def indicators_table(dataset: Dataset, window: int = 4) -> pd.DataFrame:
    """All indicators, one row per region and year; NaN where the data do not allow them.

    Rates use the mean of the population at the end of the previous and of the current year
    when both exist, else the end-of-year population. 4-year means cover years t−3 … t.
    """
    structure = _age_structure(dataset)
    totals = population_totals(dataset.population).set_index(["ags", "year"])
    rows = []
    for (ags, year), (groups, counts) in sorted(structure.items()):
        row = {"ags": ags, "name": dataset.name(ags), "year": int(year)}
        row.update(_structure_indicators(groups, counts))
        rows.append(row)
    for (ags, year) in totals.index.difference(list(structure)):
        rows.append({"ags": ags, "name": dataset.name(ags), "year": int(year)})
    table = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "synthetisch"])
    if table.empty:
        return pd.DataFrame(columns=COLUMNS)
    table = table.set_index(["ags", "year"]).sort_index()
    table["bevoelkerung"] = totals["total"]
    table["maennlich"], table["weiblich"] = totals["male"], totals["female"]
    _add_change(table)
    _add_event_rates(table, dataset, structure, window)
    table["synthetisch"] = bool(dataset.synthetic)
    return table.reset_index()[COLUMNS]


def _age_structure(dataset: Dataset) -> dict:
    best = best_partition(dataset.population)
    structure = {}
    for (ags, year), part in best.groupby(["ags", "year"]):
        by_sex = part[part["sex"].isin(["m", "f"])]
        use = by_sex if set(by_sex["sex"]) == {"m", "f"} else part[part["sex"] == "t"]
        if use.empty:
            continue
        grouped = use.groupby(["age_from", "age_to"])["count"].sum()
        groups = list(grouped.index)
        if not _is_partition(groups) or len(groups) < 2:
            continue
        structure[(ags, year)] = (groups, grouped.to_numpy())
    return structure


def _is_partition(groups) -> bool:
    return groups[0][0] == 0 and groups[-1][1] == OPEN and all(
        a[1] == b[0] for a, b in zip(groups, groups[1:], strict=False))


def _structure_indicators(groups, counts) -> dict:
    return {
        "durchschnittsalter": mean_age(counts, groups),
        "medianalter": median_age(counts, groups),
        "jugendquotient": youth_ratio(counts, groups),
        "altenquotient": old_age_ratio(counts, groups),
        "anteil_unter_18": age_share(counts, groups, 0, 18),
        "anteil_18_64": age_share(counts, groups, 18, 65),
        "anteil_65_79": age_share(counts, groups, 65, 80),
        "anteil_80_plus": age_share(counts, groups, 80, OPEN),
        "anteil_65_plus": age_share(counts, groups, 65, OPEN),
    }


def _add_change(table: pd.DataFrame) -> None:
    first = table.groupby(level="ags")["bevoelkerung"].transform(
        lambda s: s.dropna().iloc[0] if s.notna().any() else np.nan)
    table["veraenderung_prozent"] = (table["bevoelkerung"] / first - 1.0) * 100.0


def _mean_population(table: pd.DataFrame) -> pd.Series:
    pop = table["bevoelkerung"]
    previous = pop.groupby(level="ags").shift(1)
    years = pd.Series(table.index.get_level_values("year"), index=table.index)
    consecutive = years.groupby(level="ags").diff() == 1
    return ((pop + previous) / 2.0).where(consecutive & previous.notna(), pop)


def _event_totals(dataset: Dataset) -> pd.DataFrame:
    best = best_partition(dataset.events)
    detail = best[best["sex"].isin(["m", "f"])]
    per_sex = detail.groupby(["ags", "year", "event"])["sex"].nunique()
    sums_sex = detail.groupby(["ags", "year", "event"])["count"].sum()[per_sex == 2]
    sums_t = best[best["sex"] == "t"].groupby(["ags", "year", "event"])["count"].sum()
    combined = sums_t.combine_first(sums_sex) if len(sums_sex) else sums_t
    combined = sums_sex.combine_first(combined) if len(sums_sex) else combined
    if combined.empty:
        return pd.DataFrame()
    return combined.unstack("event")


def _add_event_rates(table: pd.DataFrame, dataset: Dataset, structure: dict, window: int):
    mean_pop = _mean_population(table)
    events = _event_totals(dataset).reindex(table.index)
    for col in ("births", "deaths", "moves_in", "moves_out"):
        if col not in events:
            events[col] = np.nan
    table["geburten_je_1000"] = 1000.0 * events["births"] / mean_pop
    table["sterbefaelle_je_1000"] = 1000.0 * events["deaths"] / mean_pop
    table["zuzuege_je_1000"] = 1000.0 * events["moves_in"] / mean_pop
    table["fortzuege_je_1000"] = 1000.0 * events["moves_out"] / mean_pop
    table["wanderungssaldo_je_1000"] = table["zuzuege_je_1000"] - table["fortzuege_je_1000"]
    natural = events["births"] - events["deaths"]
    table["natuerlicher_saldo_je_1000"] = _rolling_rate(natural, mean_pop, window)
    _add_life_phases(table, dataset, structure, window)


def _rolling_rate(numerator: pd.Series, denominator: pd.Series, window: int) -> pd.Series:
    out = pd.Series(np.nan, index=numerator.index)
    for ags, num in numerator.groupby(level="ags"):
        den = denominator.loc[num.index]
        years = num.index.get_level_values("year")
        for i, y in enumerate(years):
            wanted = [(ags, yy) for yy in range(y - window + 1, y + 1)]
            if all(w in num.index for w in wanted):
                out.loc[(ags, y)] = mean_rate_per_1000(num.loc[wanted], den.loc[wanted])
    return out


def _add_life_phases(table, dataset, structure, window) -> None:
    moves = best_partition(dataset.events[dataset.events["event"].isin(["moves_in", "moves_out"])])
    moves = _finest_sex_split(moves)
    signed = moves.assign(net=np.where(moves["event"] == "moves_in", 1.0, -1.0) * moves["count"])
    for phase, bands in LIFE_PHASES.items():
        net = pd.Series(np.nan, index=table.index)
        pop = pd.Series(np.nan, index=table.index)
        for (ags, year), part in signed.groupby(["ags", "year"]):
            if (ags, year) not in table.index or set(part["event"]) != {"moves_in", "moves_out"}:
                continue
            groups = list(zip(part["age_from"], part["age_to"], strict=True))
            net[(ags, year)] = sum(_signed_band(part, groups, lo, hi) for lo, hi in bands)
        for key, (groups, counts) in structure.items():
            if key in pop.index:
                pop[key] = sum(band_sum(counts, groups, lo, hi) for lo, hi in bands)
        table[phase] = _rolling_rate(net, pop, window)


def _finest_sex_split(frame: pd.DataFrame) -> pd.DataFrame:
    """Per region, year and event: the rows by sex if both sexes exist, else the total rows."""
    keys = ["ags", "year", "event"]
    both = frame[frame["sex"].isin(["m", "f"])].groupby(keys)["sex"].nunique() == 2
    has_split = frame.set_index(keys).index.isin(both[both].index)
    use = np.where(has_split, frame["sex"].isin(["m", "f"]), frame["sex"] == "t")
    return frame[use]


def _signed_band(part: pd.DataFrame, groups, lo, hi) -> float:
    inside = (part["age_from"] >= lo) & (part["age_to"] <= hi)
    straddle = (part["age_from"] < hi) & (part["age_to"] > lo) & ~inside
    return float("nan") if straddle.any() else float(part.loc[inside, "net"].sum())
