"""Indicators: hand-computed values, NaN where the age detail does not allow them."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from zwk.demography import Dataset, indicators_table
from zwk.demography.ages import MUNICIPAL_GROUPS, OPEN
from zwk.demography.indicators import (
    age_share,
    band_sum,
    change_percent,
    life_phase_rate,
    mean_age,
    mean_rate_per_1000,
    median_age,
    old_age_ratio,
    rate_per_1000,
    youth_ratio,
)

BROAD = [(0, 20), (20, 65), (65, 80), (80, OPEN)]
BROAD_COUNTS = [200, 500, 200, 100]                       # 1,000 people


def test_youth_and_old_age_ratio_by_hand():
    assert youth_ratio(BROAD_COUNTS, BROAD) == pytest.approx(40.0)      # 200 / 500 · 100
    assert old_age_ratio(BROAD_COUNTS, BROAD) == pytest.approx(60.0)    # (200 + 100) / 500 · 100


def test_age_shares_by_hand_and_nan_where_groups_straddle():
    assert age_share(BROAD_COUNTS, BROAD, 65, 80) == pytest.approx(20.0)   # 200 / 1000 · 100
    assert age_share(BROAD_COUNTS, BROAD, 80, OPEN) == pytest.approx(10.0)
    assert math.isnan(age_share(BROAD_COUNTS, BROAD, 0, 18))              # 18 lies inside 0–20
    assert math.isnan(band_sum([1] * 17, MUNICIPAL_GROUPS, 80, OPEN))     # 75+ is the top group


def test_median_age_interpolated_in_median_class():
    # N = 1000, half = 500; below 20: 200 → class 20–65 holds 500:
    # 20 + (500 − 200) / 500 · 45 = 20 + 27 = 47
    assert median_age(BROAD_COUNTS, BROAD) == pytest.approx(47.0)
    # single years 0…4 with 10 each: half = 25, 20 below age 2 → 2 + 5/10 = 2.5
    single = [(a, a + 1) for a in range(5)] + [(5, OPEN)]
    assert median_age([10, 10, 10, 10, 10, 0], single) == pytest.approx(2.5)
    assert math.isnan(median_age([1, 9], [(0, 75), (75, OPEN)]))        # median in open group


def test_mean_age_single_years_count_at_midpoint():
    # one person aged 0 and one aged 1: (0.5 + 1.5) / 2 = 1.0
    assert mean_age([1, 1, 0], [(0, 1), (1, 2), (2, OPEN)]) == pytest.approx(1.0)
    # groups at their midpoints: (10·200 + 42.5·500) / 700 = 33.214…
    assert mean_age([200, 500, 0], [(0, 20), (20, 65), (65, OPEN)]) == pytest.approx(
        (10 * 200 + 42.5 * 500) / 700)


def test_mean_age_of_open_group_75_plus_is_plausible():
    value = mean_age([0, 1], [(0, 75), (75, OPEN)])
    assert 81.0 < value < 86.0                              # German 75+ average is about 83


def test_rates_by_hand():
    assert rate_per_1000(8, 1000) == pytest.approx(8.0)
    assert mean_rate_per_1000([10, 12, 8, 10], [1000] * 4) == pytest.approx(10.0)
    # net moves −5, −3, −4, −4 (mean −4) over 100, 98, 96, 94 residents (mean 97):
    # −4 / 97 · 1000 = −41.237…
    assert life_phase_rate([-5, -3, -4, -4], [100, 98, 96, 94]) == pytest.approx(-4 / 97 * 1000)
    assert math.isnan(mean_rate_per_1000([1, np.nan, 2, 3], [10] * 4))


def test_change_against_published_hochsauerlandkreis_totals():
    # Published (DOMAIN.md, IT.NRW): 31.12.2011 265,199; 30.06.2020 259,677 → −2.082 %
    assert change_percent(259_677, 265_199) == pytest.approx(-2.0822, abs=1e-4)


def test_indicators_table_with_published_totals(tmp_path):
    # Official Kreis totals by sex for 2020 (129,983 women, 129,694 men) and the 2011 total.
    path = tmp_path / "hsk.csv"
    path.write_text("ags;year;sex;count\n05958;2011;t;265199\n05958;2020;f;129983\n"
                    "05958;2020;m;129694\n", encoding="utf-8")
    from zwk.demography import read_file

    table = indicators_table(read_file(path)).set_index("year")
    assert table.loc[2020, "bevoelkerung"] == 259_677
    assert table.loc[2020, "veraenderung_prozent"] == pytest.approx(-2.0822, abs=1e-4)
    assert math.isnan(table.loc[2020, "altenquotient"])        # no age detail in the file


def _small_dataset() -> Dataset:
    """One commune 2018–2022, ages 0–99 + 100+, 10 men and 10 women per age, rising by year."""
    rows, events = [], []
    for year in range(2018, 2023):
        for sex in "mf":
            for age in range(101):
                rows.append(("01001001", year, sex, age, OPEN if age == 100 else age + 1.0,
                             10.0 + (year - 2018), ""))
        events += [("01001001", year, "births", "t", 0, OPEN, 20.0, ""),
                   ("01001001", year, "deaths", "t", 0, OPEN, 30.0, "")]
        for event, count in (("moves_in", 100.0), ("moves_out", 90.0)):
            for lo, hi in ((0, 18.0), (18, 25.0), (25, 30.0), (30, 50.0), (50, 65.0), (65, OPEN)):
                events.append(("01001001", year, event, "t", lo, hi,
                               count if lo == 18 else 0.0, ""))
    pop = pd.DataFrame(rows, columns=["ags", "year", "sex", "age_from", "age_to", "count", "flag"])
    ev = pd.DataFrame(events, columns=["ags", "year", "event", "sex", "age_from", "age_to",
                                       "count", "flag"])
    return Dataset(pop, ev, {"01001001": "Testdorf"})


def test_indicators_table_rates_by_hand():
    table = indicators_table(_small_dataset()).set_index("year")
    # 2019: population 2018 = 202 · 10 = 2020, 2019 = 202 · 11 = 2222 → mean 2121
    assert table.loc[2019, "geburten_je_1000"] == pytest.approx(20 / 2121 * 1000)
    assert table.loc[2019, "sterbefaelle_je_1000"] == pytest.approx(30 / 2121 * 1000)
    assert table.loc[2019, "wanderungssaldo_je_1000"] == pytest.approx(10 / 2121 * 1000)
    # 2018: no stock at 31.12.2017 → documented fallback to the year-end stock 202 · 10
    assert table.loc[2018, "geburten_je_1000"] == pytest.approx(20 / 2020 * 1000)
    # 4-year natural balance 2022 over 2019–2022: mean(B − D) = −10;
    # mean population = mean of (2121, 2323, 2525, 2727) = 2424 → −10 / 2424 · 1000
    assert table.loc[2022, "natuerlicher_saldo_je_1000"] == pytest.approx(-10 / 2424 * 1000)
    # 2021 over 2018–2021 (2018 with its fallback population 2020)
    assert table.loc[2021, "natuerlicher_saldo_je_1000"] == pytest.approx(
        -10 / np.mean([2020, 2121, 2323, 2525]) * 1000)
    assert math.isnan(table.loc[2020, "natuerlicher_saldo_je_1000"])  # only 3 years of data
    # Bildungswanderung 2022: net +10 per year aged 18–24; residents 18–24: 7 ages · 2 sexes ·
    # (11, 12, 13, 14) → mean 7 · 2 · 12.5 = 175 → 10 / 175 · 1000
    assert table.loc[2022, "bildungswanderung"] == pytest.approx(10 / 175 * 1000)
    assert table.loc[2022, "alterswanderung"] == pytest.approx(0.0)
    # structure: equal numbers per age: Altenquotient = 36 ages 65+ / 45 ages 20–64 · 100
    assert table.loc[2022, "altenquotient"] == pytest.approx(36 / 45 * 100)
    assert table.loc[2022, "jugendquotient"] == pytest.approx(20 / 45 * 100)
    assert table.loc[2022, "medianalter"] == pytest.approx(50.5)   # 101 equal ages → 50.5
    assert table.loc[2022, "anteil_unter_18"] == pytest.approx(18 / 101 * 100)
    assert not table["synthetisch"].any()


def test_synthetic_kreis_indicators_have_expected_keys(hsk):
    table = indicators_table(hsk)
    for key in ("ags", "year", "jugendquotient", "altenquotient", "anteil_unter_18",
                "anteil_65_plus", "medianalter"):
        assert key in table
    town = table[(table.ags == "05958020") & (table.year == 2020)].iloc[0]
    assert math.isnan(town["anteil_80_plus"])              # 17 groups end at 75+
    assert not math.isnan(town["medianalter"])
    assert table["synthetisch"].all()


def test_unknown_event_values_stay_unknown():
    ds = _small_dataset()
    unknown = (ds.events.event == "births") & (ds.events.year == 2020)
    ds.events.loc[unknown, "count"] = np.nan
    ds.events.loc[unknown, "flag"] = "..."
    table = indicators_table(ds).set_index("year")
    assert math.isnan(table.loc[2020, "geburten_je_1000"])
    assert math.isnan(table.loc[2022, "natuerlicher_saldo_je_1000"])   # window 2019–2022
    assert not math.isnan(table.loc[2019, "geburten_je_1000"])
