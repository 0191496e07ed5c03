"""Calibration: pooled events divided by the exposure of the same years."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zwk.demography import Dataset
from zwk.demography.projection import calibrate
from zwk.demography.schedules import FERTILE_AGES, fertility_schedule

KREIS = "09999"
YEARS = range(2016, 2021)
SHRINK_PER_YEAR = 0.96        # a Kreis losing 4 % a year: base-year stock ≠ exposure
TFR, SMR = 1.40, 1.20


def _stocks() -> dict[int, np.ndarray]:
    ages = np.arange(101)
    one_sex = 12_000.0 * np.exp(-((ages - 55.0) / 30.0) ** 2) + 2_000.0
    base = np.stack([one_sex * 1.02, one_sex])                   # (2, 101), about 1.5 million
    return {y: base * SHRINK_PER_YEAR ** (y - YEARS[0]) for y in YEARS}


def _dataset(death_ref: np.ndarray) -> Dataset:
    """Events computed exactly from known rates × mid-year population of each year."""
    stocks = _stocks()
    pop_rows, event_rows = [], []
    for year, stock in stocks.items():
        for s, sex in enumerate("mf"):
            for age in range(101):
                pop_rows.append((KREIS, year, sex, age, 101.0 if age == 100 else age + 1.0,
                                 stock[s, age], ""))
        if year == YEARS[0]:
            continue
        mid = (stocks[year - 1] + stock) / 2.0
        f0, f1 = FERTILE_AGES
        births = float((fertility_schedule(1.0) * TFR * mid[1, f0:f1]).sum())
        deaths = float((death_ref * SMR * mid).sum())
        event_rows += [(KREIS, year, "births", "t", 0, np.inf, births, ""),
                       (KREIS, year, "deaths", "t", 0, np.inf, deaths, "")]
    population = pd.DataFrame(pop_rows, columns=["ags", "year", "sex", "age_from", "age_to",
                                                 "count", "flag"])
    population.loc[population["age_from"] == 100, "age_to"] = np.inf
    events = pd.DataFrame(event_rows, columns=["ags", "year", "event", "sex", "age_from",
                                               "age_to", "count", "flag"])
    return Dataset(population, events, {KREIS: "Testkreis"})


def test_pooled_events_are_divided_by_the_mid_year_population_of_the_same_years():
    """Defect 3 of issue 14: the base-year stock of a shrinking Kreis understated the exposure,
    which raised fertility and lowered mortality by several per cent."""
    reference = calibrate(_dataset(np.zeros((2, 101))), [KREIS], base_year=2020).reference
    death_ref = np.stack([1.0 - reference[s].survival()[0] for s in "mf"])
    table = calibrate(_dataset(death_ref), [KREIS], base_year=2020).table.set_index("ags")
    # Shrinkage towards the default levels moves a Kreis of this size by < 0.05 %.
    assert table.loc[KREIS, "tfr"] == pytest.approx(TFR, rel=1e-3)
    assert table.loc[KREIS, "smr"] == pytest.approx(SMR, rel=1e-3)
