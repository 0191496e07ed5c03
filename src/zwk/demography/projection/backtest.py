"""Back-test: project from an earlier base year and compare with the observed years.

Only data up to the base year are used for calibration, so the test is honest. Errors per
region and year: ``error = projected − observed``, ``error_pct = error / observed · 100``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..dataset import Dataset
from ..errors import ProjectionInputError
from .api import project
from .assumptions import Scenario


def backtest(dataset: Dataset, base_year: int, scenario: Scenario | None = None,
             regions: list[str] | None = None) -> pd.DataFrame:
    """Columns ``ags, name, year, observed, projected, error, error_pct, abs_error_pct``."""
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
    merged.insert(1, "name", merged["ags"].map(lambda a: dataset.name(a)))
    return merged.sort_values(["ags", "year"]).reset_index(drop=True)


def backtest_summary(errors: pd.DataFrame) -> pd.DataFrame:
    """Per region: mean absolute percentage error and the error in the last year."""
    last = errors.sort_values("year").groupby("ags").last()
    return pd.DataFrame({
        "name": last["name"],
        "mape": errors.groupby("ags")["abs_error_pct"].mean(),
        "error_last_year": last["error"],
        "error_pct_last_year": last["error_pct"],
    }).reset_index()
