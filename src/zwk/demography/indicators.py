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
# The table is computed column-wise with pandas group operations (no loop over regions), so
# it stays fast for all German municipalities; the formulas are those of the functions above.

STRUCTURE_BANDS = {
    "anteil_unter_18": (0, 18), "anteil_18_64": (18, 65), "anteil_65_79": (65, 80),
    "anteil_80_plus": (80, OPEN), "anteil_65_plus": (65, OPEN),
}


def indicators_table(dataset: Dataset, window: int = 4) -> pd.DataFrame:
    """All indicators, one row per region and year; NaN where the data do not allow them.

    Rates use the mean of the population at the end of the previous and of the current year
    when both exist, else the end-of-year population. 4-year means cover years t−3 … t.
    """
    totals = population_totals(dataset.population).set_index(["ags", "year"])
    if totals.empty:
        return pd.DataFrame(columns=COLUMNS)
    table = pd.DataFrame(index=totals.index.sort_values())
    table["bevoelkerung"] = totals["total"]
    table["maennlich"], table["weiblich"] = totals["male"], totals["female"]
    _add_change(table)
    structure = _structure_frame(dataset.population)
    _add_structure(table, structure)
    _add_event_rates(table, dataset, structure, window)
    table["synthetisch"] = bool(dataset.synthetic)
    table = table.reset_index()
    table["name"] = table["ags"].map(dataset.name)
    table["year"] = table["year"].astype(int)
    return table[COLUMNS]


def _finest_sex_split(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per key: the rows by sex if both sexes exist, else the rows for both sexes together."""
    both = frame[frame["sex"].isin(["m", "f"])].groupby(keys)["sex"].nunique() == 2
    has_split = pd.MultiIndex.from_frame(frame[keys]).isin(both[both].index)
    use = np.where(has_split, frame["sex"].isin(["m", "f"]), frame["sex"] == "t")
    return frame[use]


def _structure_frame(population: pd.DataFrame) -> pd.DataFrame:
    """Age classes × counts (both sexes summed) per region and year, complete partitions only."""
    best = _finest_sex_split(best_partition(population), ["ags", "year"])
    summed = best.groupby(["ags", "year", "age_from", "age_to"], as_index=False)["count"].sum()
    summed = summed.sort_values(["ags", "year", "age_from"], kind="stable")
    good = _covering(summed)
    classes = summed.groupby(["ags", "year"])["count"].transform("size")
    keep = pd.MultiIndex.from_frame(summed[["ags", "year"]]).isin(good[good].index)
    return summed[keep & (classes >= 2).to_numpy()].reset_index(drop=True)


def _covering(frame: pd.DataFrame) -> pd.Series:
    grouped = frame.groupby(["ags", "year"], sort=False)
    joins = grouped["age_to"].shift(1).isna() | (grouped["age_to"].shift(1) == frame["age_from"])
    checks = frame.assign(joins=joins)
    agg = checks.groupby(["ags", "year"]).agg(joins=("joins", "all"), first=("age_from", "min"),
                                              last=("age_to", "max"))
    return agg["joins"] & (agg["first"] == 0) & (agg["last"] == OPEN)


def _bands(frame: pd.DataFrame, lo: float, hi: float, keys=("ags", "year"),
           value: str = "count") -> pd.Series:
    """Sum of ``value`` over classes inside ``[lo, hi)``; NaN where a class straddles a limit."""
    inside = (frame["age_from"] >= lo) & (frame["age_to"] <= hi)
    straddle = (frame["age_from"] < hi) & (frame["age_to"] > lo) & ~inside
    keys = list(keys)
    sums = frame[value].where(inside, 0.0).groupby([frame[k] for k in keys]).sum()
    bad = straddle.groupby([frame[k] for k in keys]).any()
    return sums.where(~bad)


def _add_structure(table: pd.DataFrame, st: pd.DataFrame) -> None:
    if st.empty:
        for col in ["durchschnittsalter", "medianalter", "jugendquotient", "altenquotient",
                    *STRUCTURE_BANDS]:
            table[col] = np.nan
        return
    total = st.groupby(["ags", "year"])["count"].sum()
    working = _bands(st, 20, 65)
    table["jugendquotient"] = 100.0 * _bands(st, 0, 20) / working
    table["altenquotient"] = 100.0 * _bands(st, 65, OPEN) / working
    for col, (lo, hi) in STRUCTURE_BANDS.items():
        table[col] = 100.0 * _bands(st, lo, hi) / total
    open_means = {a: _open_group_mean_age(int(a)) for a in st.loc[st["age_to"] == OPEN, "age_from"].unique()}
    mids = np.where(st["age_to"] == OPEN, st["age_from"].map(open_means),
                    (st["age_from"] + st["age_to"]) / 2.0)
    weighted = (st["count"] * mids).groupby([st["ags"], st["year"]]).sum()
    table["durchschnittsalter"] = weighted / total
    table["medianalter"] = _median_frame(st, total)


def _median_frame(st: pd.DataFrame, total: pd.Series) -> pd.Series:
    """Vectorised :func:`median_age`: first class whose cumulative count reaches N/2."""
    cumulative = st.groupby(["ags", "year"])["count"].cumsum()
    half = st.groupby(["ags", "year"])["count"].transform("sum").to_numpy() / 2.0
    reached = (cumulative.to_numpy() >= half) & (st["count"].to_numpy() > 0)
    candidates = st[reached].assign(cum=cumulative[reached], half=half[reached])
    first = candidates.groupby(["ags", "year"]).head(1).set_index(["ags", "year"])
    below = first["cum"] - first["count"]
    value = first["age_from"] + (first["half"] - below) / first["count"] * (
        first["age_to"] - first["age_from"])
    return value.where(first["age_to"] != OPEN)


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
    if best.empty:
        return pd.DataFrame()
    chosen = _finest_sex_split(best, ["ags", "year", "event"])
    # min_count=1: an unknown value ("...", ".") stays unknown instead of becoming 0
    return chosen.groupby(["ags", "year", "event"])["count"].sum(min_count=1).unstack("event")


def _add_event_rates(table: pd.DataFrame, dataset: Dataset, st: pd.DataFrame, window: int):
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
    _add_life_phases(table, dataset, st, window)


def _rolling_rate(numerator: pd.Series, denominator: pd.Series, window: int) -> pd.Series:
    """``mean(num over t−w+1…t) / mean(den over the same years) · 1000``; NaN if a year is
    missing. Years are laid out on a full calendar grid so gaps break the window."""
    if numerator.dropna().empty:
        return pd.Series(np.nan, index=numerator.index)
    years = numerator.index.get_level_values("year")
    grid = range(int(years.min()), int(years.max()) + 1)

    def rolled(series: pd.Series) -> pd.DataFrame:
        wide = series.unstack("ags").reindex(grid)
        return wide.rolling(window, min_periods=window).mean()

    num = rolled(numerator.reindex(denominator.index))
    den = rolled(denominator.where(numerator.notna())).reindex(columns=num.columns)
    values = 1000.0 * num.to_numpy() / den.to_numpy()          # (years, regions)
    index = pd.MultiIndex.from_product([num.columns, num.index], names=["ags", "year"])
    return pd.Series(values.T.ravel(), index=index).reindex(numerator.index)


def _add_life_phases(table, dataset, st, window) -> None:
    moves = dataset.events[dataset.events["event"].isin(["moves_in", "moves_out"])]
    moves = _finest_sex_split(best_partition(moves), ["ags", "year", "event"])
    signed = moves.assign(net=np.where(moves["event"] == "moves_in", 1.0, -1.0) * moves["count"])
    both = signed.groupby(["ags", "year"])["event"].nunique() == 2
    for phase, bands in LIFE_PHASES.items():
        if signed.empty or st.empty:
            table[phase] = np.nan
            continue
        net = sum(_bands(signed, lo, hi, value="net") for lo, hi in bands)
        net = net.where(both.reindex(net.index, fill_value=False))
        pop = sum(_bands(st, lo, hi) for lo, hi in bands)
        table[phase] = _rolling_rate(net.reindex(table.index), pop.reindex(table.index), window)
