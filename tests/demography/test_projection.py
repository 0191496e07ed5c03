"""Projection: accounting identity, non-negativity, aggregation, scenarios, stochastic, back-test."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zwk.demography import AssumptionError, project, project_stochastic
from zwk.demography.projection import (
    SCENARIOS,
    EngineInputs,
    Scenario,
    YearFactors,
    backtest,
    backtest_summary,
    calibrate,
    get_scenario,
    run,
    scenario_from_dict,
)

# Moderate example counts keep the suite fast; DEMOGRAPHY_EXAMPLES=500 for a thorough run.
PROPERTY = settings(max_examples=int(os.environ.get("DEMOGRAPHY_EXAMPLES", "25")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])


AGES = 12          # a short age axis keeps the property tests fast; the engine is generic
FERT = (3, 8)      # "fertile" ages 3…7 on that axis


@st.composite
def engine_case(draw):
    units = draw(st.integers(1, 4))
    years = draw(st.integers(1, 6))
    rng = np.random.default_rng(draw(st.integers(0, 10_000)))
    pop = rng.uniform(0, 500, (units, 2, AGES)) * (rng.random((units, 2, AGES)) > 0.2)
    inputs = EngineInputs(
        population=pop, death_prop=rng.uniform(0, 0.6, (units, 2, AGES)),
        newborn_death=rng.uniform(0, 0.1, (units, 2)),
        asfr=rng.uniform(0, 0.3, (units, FERT[1] - FERT[0])), fert_from=FERT[0],
        in_profile=rng.dirichlet(np.ones(2 * AGES), units).reshape(units, 2, AGES),
        in_level=rng.uniform(0, 300, units), out_rates=rng.uniform(0, 0.4, (units, 2, AGES)),
        srb=rng.uniform(1.0, 1.1, units))
    factors = YearFactors(
        fertility=rng.uniform(0.5, 1.5, (units, years)),
        mortality=rng.uniform(0.2, 2.5, (units, years, 2)),      # > 1 exercises the clipping
        in_migration=rng.uniform(0, 2, (units, years)),
        out_migration=rng.uniform(0, 2, (units, years)))
    return inputs, factors


@PROPERTY
@given(engine_case())
def test_engine_identity_and_non_negative(case):
    inputs, factors = case
    out = run(inputs, factors, block=2)                          # several blocks
    assert (out.population >= -1e-9).all()
    assert (out.deaths >= -1e-9).all() and (out.moves_out >= -1e-9).all()
    scale = max(1.0, out.population.sum(axis=(2, 3)).max())
    assert out.accounting_gap() <= 1e-9 * scale


@PROPERTY
@given(engine_case())
def test_block_size_does_not_change_results(case):
    inputs, factors = case
    a = run(inputs, factors, block=1).population
    b = run(inputs, factors, block=128).population
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-9)


def test_pure_ageing_without_events():
    pop = np.arange(2 * AGES, dtype=float).reshape(1, 2, AGES)
    zero = np.zeros((1, 2, AGES))
    inputs = EngineInputs(pop, zero, np.zeros((1, 2)), np.zeros((1, 5)), 3, zero, np.zeros(1),
                          zero, np.array([1.05]))
    out = run(inputs, YearFactors.constant(1, 1)).population[0, 1]
    np.testing.assert_array_equal(out[:, 1:-1], pop[0, :, :-2])
    np.testing.assert_array_equal(out[:, -1], pop[0, :, -2] + pop[0, :, -1])
    np.testing.assert_array_equal(out[:, 0], [0, 0])


@pytest.fixture(scope="module")
def base_run(hsk):
    return project(hsk, get_scenario("basis"), years=15)


def test_projection_identity_for_every_region(base_run):
    totals = base_run.totals()
    assert base_run.accounting_gap() < 1e-6 * totals.max()
    assert (base_run.population >= 0).all()


def test_kreis_is_the_sum_of_its_towns(base_run, hsk):
    kreis = base_run.index("05958")
    towns = [base_run.index(a) for a in base_run.regions if a.startswith("05958") and len(a) == 8]
    assert len(towns) == 12
    np.testing.assert_allclose(base_run.population[kreis],
                               base_run.population[towns].sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(base_run.deaths[kreis], base_run.deaths[towns].sum(axis=0))


def test_base_year_equals_the_data(base_run, hsk):
    observed = hsk.totals().set_index(["ags", "year"])["total"]
    frame = base_run.to_frame().set_index(["ags", "year"])
    for ags in ("05958", "05958020"):
        assert frame.loc[(ags, 2023), "total"] == pytest.approx(observed[(ags, 2023)])


def test_synthetic_inputs_add_up_from_towns_to_kreis(hsk_full):
    totals = hsk_full.totals()
    towns = totals[totals.ags.str.len() == 8].groupby("year")["total"].sum()
    kreis = totals[totals.ags == "05958"].set_index("year")["total"]
    np.testing.assert_allclose(towns.loc[kreis.index], kreis)


def test_to_frame_groups_sum_to_totals(base_run):
    groups = base_run.to_frame("groups").groupby(["ags", "year"])["count"].sum()
    totals = base_run.to_frame("totals").set_index(["ags", "year"])["total"]
    np.testing.assert_allclose(groups.loc[totals.index], totals)
    assert base_run.to_frame()["synthetic"].all()


def test_scenarios_move_results_in_the_expected_direction(hsk):
    def kreis_end(key, column="total"):
        frame = project(hsk, get_scenario(key), years=10).to_frame()
        return frame[frame.ags == "05958"][column].iloc[-1]

    assert kreis_end("zuwanderung_hoch") > kreis_end("basis") > kreis_end("zuwanderung_niedrig")
    assert kreis_end("geburten_hoch", "births") > kreis_end("geburten_niedrig", "births")
    assert kreis_end("lebenserwartung_hoch", "deaths") < kreis_end("lebenserwartung_niedrig",
                                                                   "deaths")


def test_absolute_tfr_target_is_reached(hsk):
    result = project(hsk, Scenario(tfr=2.0, transition_years=1), years=3, regions=["05958020"])
    calib = calibrate(hsk, ["05958020"])
    women = result.population[0, :, 1, 15:50]
    births = result.births[0].sum(axis=1)
    asfr = calib.inputs.asfr[0] / calib.table["tfr"].iloc[0] * 2.0
    expected = (asfr * (women[:-1] + women[1:]) / 2).sum(axis=1)
    # start-of-year women include half the migrants, so allow a small difference
    np.testing.assert_allclose(births, expected, rtol=0.03)


def test_catalogue_has_german_labels():
    assert SCENARIOS["basis"].label == "Basisvariante"
    assert SCENARIOS["zuwanderung_hoch"].label == "Hohe Zuwanderung"
    assert len(SCENARIOS) == 8


@pytest.mark.parametrize("values, words", [
    ({"fertility_factor": -0.5}, "Fertilitätsfaktor"),
    ({"e0_gain_male": 10}, "Lebenserwartung"),
    ({"tfr": 9}, "Geburtenziffer"),
    ({"in_migration_factor": "viel"}, "Zahl"),
    ({"srb": 2}, "Geschlechterverhältnis"),
    ({"unbekannt": 1}, "Unbekannte Annahme"),
])
def test_impossible_assumptions_raise_german_errors(values, words):
    with pytest.raises(AssumptionError, match=words):
        scenario_from_dict(values)


def test_user_defined_scenario_accepts_german_decimal_comma():
    s = scenario_from_dict({"fertility_factor": "0,95", "label": "Mein Szenario"})
    assert s.fertility_factor == 0.95 and s.label == "Mein Szenario" and s.key == "eigenes"


def test_unknown_scenario_key():
    with pytest.raises(AssumptionError, match="Unbekanntes Szenario"):
        get_scenario("optimistisch")


def test_small_communes_are_shrunk_more_towards_their_kreis(hsk):
    table = calibrate(hsk).table.set_index("ags")
    assert table.loc["05958020", "w_fertility"] < table.loc["05958004", "w_fertility"]
    assert 0 < table.loc["05958020", "w_fertility"] < 1


def test_stochastic_is_reproducible_and_ordered(hsk):
    kwargs = dict(trajectories=400, years=30, regions=["05958020"])
    a = project_stochastic(hsk, seed=5, **kwargs)
    b = project_stochastic(hsk, seed=5, **kwargs)
    c = project_stochastic(hsk, seed=6, **kwargs)
    np.testing.assert_array_equal(a.totals, b.totals)
    assert not np.array_equal(a.totals, c.totals)
    assert (np.diff(a.totals, axis=-1) >= 0).all()           # p10 ≤ p50 ≤ p90
    assert np.ptp(a.totals[0, 0]) == 0                        # base year is known
    assert np.ptp(a.totals[0, -1]) > 0                        # uncertainty grows
    deterministic = project(hsk, years=30, regions=["05958020"]).totals()[0, -1]
    assert a.totals[0, -1, 1] == pytest.approx(deterministic, rel=0.03)
    np.testing.assert_allclose(a.groups.sum(axis=2)[..., 1], a.totals[..., 1], rtol=0.02)


def test_stochastic_kreis_band_contains_sum_of_towns_median(hsk):
    r = project_stochastic(hsk, trajectories=40, years=5, seed=2)
    kreis = r.regions.index("05958")
    frame = r.to_frame()
    assert set(frame.columns) >= {"p10", "p50", "p90", "age_group"}
    assert r.totals[kreis, -1, 0] < r.totals[kreis, -1, 2]


def test_backtest_reports_errors_per_region(hsk):
    errors = backtest(hsk, 2019)
    assert set(errors["year"]) == {2020, 2021, 2022, 2023}
    np.testing.assert_allclose(errors["error"], errors["projected"] - errors["observed"])
    np.testing.assert_allclose(errors["error_pct"], 100 * errors["error"] / errors["observed"])
    summary = backtest_summary(errors)
    assert len(summary) == 13
    assert (summary["mape"] < 10).all()       # a sane model misses by less than 10 % in 4 years


def test_projection_without_single_years_or_groups_fails_in_german(tmp_path):
    from zwk.demography import ProjectionInputError, read_file

    path = tmp_path / "nur_summe.csv"
    path.write_text("ags;year;count\n09999001;2022;1000\n", encoding="utf-8")
    with pytest.raises(ProjectionInputError, match="Geschlecht"):
        project(read_file(path))


def test_a_secret_age_group_stops_the_projection_instead_of_counting_zero(data_dir):
    from zwk.demography import ProjectionInputError, read_file

    ds = read_file(data_dir / "12411-02-03-5_ffcsv.csv")     # Medebach: women 75+ is "."
    assert project(ds, years=2, regions=["05958020"]).totals()[0, 0] == 4302
    with pytest.raises(ProjectionInputError, match="05958028"):
        project(ds, years=2)


@pytest.mark.parametrize("years", [0, -3, 101])
def test_impossible_horizon_is_rejected(hsk, years):
    with pytest.raises(AssumptionError, match="Vorausberechnungszeitraum"):
        project(hsk, years=years)
    with pytest.raises(AssumptionError, match="Vorausberechnungszeitraum"):
        project_stochastic(hsk, years=years, trajectories=5)
