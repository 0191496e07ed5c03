"""Reference life table (Destatis period tables) and an honest back-test."""

from __future__ import annotations

import numpy as np
import pytest

from zwk.demography.cli import main
from zwk.demography.projection import backtest, backtest_summary, calibrate

#: Destatis, Sterbetafel 2018/2020 (press release of 27.07.2021: e0 78.6 / 83.4 years,
#: e65 17.9 / 21.1 years; e80 from GENESIS table 12621-0002).
DESTATIS_2018_2020 = {"m": {0: 78.6, 65: 17.9, 80: 8.0}, "f": {0: 83.4, 65: 21.1, 80: 9.4}}


def test_reference_life_table_matches_destatis_at_birth_65_and_80(hsk):
    """Defect 6 of issue 14: the parametric shape put e65 and e80 above the published table
    (e80 of men 8.8 instead of 8.0), which overprojected the 80+ group."""
    reference = calibrate(hsk, ["05958"], base_year=2021).reference
    for sex, published in DESTATIS_2018_2020.items():
        for age, value in published.items():
            assert reference[sex].ex[age] == pytest.approx(value, abs=0.2), (sex, age)


def test_back_test_uses_the_life_table_known_at_the_jump_off(hsk):
    """Defect 9: a back-test from 2019 may only use a table published by 2019 (2013/2015,
    published October 2016; 2017/2019 appeared in 2020)."""
    calibration = calibrate(hsk, ["05958"], base_year=2019)
    assert calibration.reference_period == (2013, 2015)
    assert calibration.reference["m"].e0 == pytest.approx(78.17, abs=0.01)
    assert calibration.reference["f"].e0 == pytest.approx(83.08, abs=0.01)
    assert set(backtest(hsk, 2019)["reference_period"]) == {"2013/2015"}


@pytest.fixture(scope="module")
def errors(hsk):
    return backtest(hsk, 2018)


def test_back_test_reports_naive_benchmarks_beside_our_error(errors, hsk):
    totals = hsk.totals().set_index(["ags", "year"])["total"]
    hallenberg = errors[errors["ags"] == "05958020"]
    assert (hallenberg["naive_constant"] == totals[("05958020", 2018)]).all()
    years = np.arange(2014, 2019)
    slope, intercept = np.polyfit(years, [totals[("05958020", y)] for y in years], 1)
    np.testing.assert_allclose(hallenberg["naive_trend"], slope * hallenberg["year"] + intercept)
    np.testing.assert_allclose(
        hallenberg["abs_error_pct_constant"],
        100 * np.abs(hallenberg["naive_constant"] - hallenberg["observed"])
        / hallenberg["observed"])


def test_summary_says_when_a_naive_benchmark_did_better(errors):
    summary = backtest_summary(errors)
    worse = (summary["mape_constant"] < summary["mape"]) | (summary["mape_trend"] < summary["mape"])
    assert (summary["worse_than_naive"] == worse).all()
    assert worse.any()                      # the synthetic towns give both cases
    assert summary.loc[worse, "hinweis"].str.contains("naive Fortschreibung").all()
    assert (summary.loc[~worse, "hinweis"] == "").all()


def test_cli_back_test_names_table_and_warns(demo_files, capsys):
    assert main(["backtest", *map(str, demo_files), "--base-year", "2018"]) == 0
    out = capsys.readouterr().out
    assert "Sterbetafel (Destatis) 2013/2015" in out
    assert "mape_constant" in out and "mape_trend" in out
