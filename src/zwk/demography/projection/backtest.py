"""Back-test: project from an earlier base year and compare with the observed years.

Only data up to the base year are used for calibration, and the reference life table is the
Destatis period table that was published by the jump-off year (decision 0109), so the test is
honest. Errors per region and year: ``error = projected − observed``,
``error_pct = error / observed · 100``. Beside our error stand two naive benchmarks that any
projection has to beat (Smith, Tayman & Swanson 2013, *A Practitioner's Guide to State and
Local Population Projections*, ch. 13; Wilson & Rowe 2011 compare with linear extrapolation):
a constant population (the base-year stock) and the linear trend of the last five observed
years up to the base year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..dataset import Dataset
from ..errors import ProjectionInputError
from .api import project
from .assumptions import Scenario

TREND_YEARS = 5
NAIVE = {"constant": "konstante Bevölkerung", "trend": "linearer Trend der letzten fünf Jahre"}


def backtest(dataset: Dataset, base_year: int, scenario: Scenario | None = None,
             regions: list[str] | None = None) -> pd.DataFrame:
    """Columns ``ags, name, year, observed, projected, error, error_pct, abs_error_pct``, the
    naive benchmarks ``naive_constant``, ``naive_trend`` with their ``abs_error_pct_…`` and
    ``reference_period`` (the life table used, e.g. "2013/2015")."""
    observed = dataset.totals()
    later = observed[observed["year"] > base_year]
    if later.empty:
        raise ProjectionInputError(f"Nach {base_year} gibt es keine beobachteten Jahre zum Vergleich.")
    horizon = int(later["year"].max()) - base_year
    known = dataset.subset(years=[y for y in dataset.years if y <= base_year])
    result = project(known, scenario, years=horizon, regions=regions, base_year=base_year)
    projected = result.to_frame("totals")[["ags", "year", "total"]].rename(
        columns={"total": "projected"})
    merged = later.rename(columns={"total": "observed"})[["ags", "year", "observed"]].merge(
        projected, on=["ags", "year"], how="inner")
    merged["error"] = merged["projected"] - merged["observed"]
    merged["error_pct"] = 100.0 * merged["error"] / merged["observed"]
    merged["abs_error_pct"] = np.abs(merged["error_pct"])
    merged = merged.merge(_naive_benchmarks(observed, base_year, merged[["ags", "year"]]),
                          on=["ags", "year"], how="left")
    for kind in NAIVE:
        merged[f"abs_error_pct_{kind}"] = np.abs(
            100.0 * (merged[f"naive_{kind}"] - merged["observed"]) / merged["observed"])
    merged["reference_period"] = _period_label(known, base_year)
    merged.insert(1, "name", merged["ags"].map(lambda a: dataset.name(a)))
    return merged.sort_values(["ags", "year"]).reset_index(drop=True)


def _naive_benchmarks(observed: pd.DataFrame, base_year: int, wanted: pd.DataFrame
                      ) -> pd.DataFrame:
    """Constant population and the least-squares line through the last five years ≤ base."""
    rows = []
    history = observed[(observed["year"] <= base_year)
                       & (observed["year"] > base_year - TREND_YEARS)].dropna(subset=["total"])
    by_region = dict(tuple(history.groupby("ags")))
    for ags, year in wanted.itertuples(index=False):
        past = by_region.get(ags)
        if past is None or base_year not in set(past["year"]):
            rows.append((ags, year, np.nan, np.nan))
            continue
        base = float(past.loc[past["year"] == base_year, "total"].iloc[0])
        if len(past) >= 2:
            slope, intercept = np.polyfit(past["year"].to_numpy(float),
                                          past["total"].to_numpy(float), 1)
            trend = slope * year + intercept
        else:
            trend = base
        rows.append((ags, year, base, trend))
    return pd.DataFrame(rows, columns=["ags", "year", "naive_constant", "naive_trend"])


def _period_label(dataset: Dataset, base_year: int) -> str:
    from ..lifetable import period_for_base_year

    start, end = period_for_base_year(base_year)
    return f"{start}/{end}"


def backtest_summary(errors: pd.DataFrame) -> pd.DataFrame:
    """Per region: mean absolute percentage error (MAPE) of our projection and of the naive
    benchmarks, the error in the last year, ``worse_than_naive`` and a German ``hinweis``
    naming the benchmark that did better."""
    last = errors.sort_values("year").groupby("ags").last()
    grouped = errors.groupby("ags")
    summary = pd.DataFrame({
        "name": last["name"],
        "mape": grouped["abs_error_pct"].mean(),
        "mape_constant": grouped["abs_error_pct_constant"].mean(),
        "mape_trend": grouped["abs_error_pct_trend"].mean(),
        "error_last_year": last["error"],
        "error_pct_last_year": last["error_pct"],
    })
    better = {kind: summary[f"mape_{kind}"] < summary["mape"] for kind in NAIVE}
    summary["worse_than_naive"] = better["constant"] | better["trend"]
    summary["hinweis"] = [
        _note([NAIVE[k] for k in NAIVE if better[k][ags]]) for ags in summary.index]
    return summary.reset_index()


def _note(beaten_by: list[str]) -> str:
    if not beaten_by:
        return ""
    return ("Die Vorausberechnung lag in diesem Zeitraum weiter daneben als eine naive "
            f"Fortschreibung ({' und '.join(beaten_by)}).")
