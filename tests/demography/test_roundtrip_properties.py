"""Property tests: importer round trips through every layout; additivity of the engine."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zwk.demography import Dataset, read_file
from zwk.demography.ages import MUNICIPAL_GROUPS
from zwk.demography.io.writers import (
    write_ffcsv,
    write_flat_wide,
    write_genesis_table,
    write_tidy,
)
from zwk.demography.projection import EngineInputs, YearFactors, run

# Moderate example counts keep the suite fast; DEMOGRAPHY_EXAMPLES=500 for a thorough run.
PROPERTY = settings(max_examples=int(os.environ.get("DEMOGRAPHY_EXAMPLES", "25")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])


TOWN_KEYS = ["05958004", "05958020", "05958044", "09162000"]


@st.composite
def grouped_population(draw):
    regions = draw(st.lists(st.sampled_from(TOWN_KEYS), min_size=1, max_size=3, unique=True))
    years = draw(st.lists(st.integers(1990, 2030), min_size=1, max_size=2, unique=True))
    rows = []
    for ags in regions:
        for year in years:
            for sex in "mf":
                for lo, hi in MUNICIPAL_GROUPS:
                    value = draw(st.integers(0, 50_000))
                    flag = draw(st.sampled_from(["", "", "", "p", "r"]))
                    rows.append((ags, year, sex, lo, hi, float(value), flag))
    pop = pd.DataFrame(rows, columns=["ags", "year", "sex", "age_from", "age_to", "count", "flag"])
    names = {a: draw(st.sampled_from(["Arnsberg", "Hallenberg, Stadt", "Sundern (Sauerland)",
                                       "München, Landeshauptstadt"])) for a in regions}
    return Dataset(pop, names=names, synthetic=draw(st.booleans()))


def _key(frame: pd.DataFrame) -> pd.Series:
    return frame.set_index(["ags", "year", "sex", "age_from", "age_to"])["count"].sort_index()


@PROPERTY
@given(grouped_population(), st.sampled_from(["ffcsv", "ffcsv-zip", "wide", "tabelle", "tidy"]))
def test_every_layout_round_trips(tmp_path_factory, dataset, layout):
    path = tmp_path_factory.mktemp("rt") / ("x.zip" if layout == "ffcsv-zip" else "x.csv")
    if layout.startswith("ffcsv"):
        write_ffcsv(dataset, path, "12411-02-03-5", ["population"], zipped=layout == "ffcsv-zip")
    elif layout == "wide":
        write_flat_wide(dataset, path, "12411-02-03-5", "population")
    elif layout == "tabelle":
        write_genesis_table(dataset, path, "12411-0018")
    else:
        write_tidy(dataset, path)
    back = read_file(path)
    pd.testing.assert_series_equal(_key(back.population), _key(dataset.population))
    assert back.synthetic == dataset.synthetic
    assert {a: back.name(a) for a in back.regions} == dataset.names
    if layout in ("ffcsv", "ffcsv-zip", "wide"):
        flags = back.population.set_index(["ags", "year", "sex", "age_from"])["flag"].sort_index()
        expected = dataset.population.set_index(["ags", "year", "sex", "age_from"])["flag"]
        pd.testing.assert_series_equal(flags, expected.sort_index(), check_names=False)


@PROPERTY
@given(st.integers(0, 1000), st.integers(1, 5))
def test_engine_is_additive_over_regions_with_the_same_schedules(seed, years):
    """Two communes with identical schedules project to the same as their sum (aggregation)."""
    rng = np.random.default_rng(seed)
    ages = 15
    pops = rng.uniform(0, 300, (2, 2, ages))
    common = dict(death_prop=rng.uniform(0, 0.3, (1, 2, ages)),
                  newborn_death=rng.uniform(0, 0.05, (1, 2)),
                  asfr=rng.uniform(0, 0.2, (1, 6)),
                  in_profile=rng.dirichlet(np.ones(2 * ages)).reshape(1, 2, ages),
                  out_rates=rng.uniform(0, 0.2, (1, 2, ages)))
    levels = rng.uniform(0, 50, 2)

    def one(pop, level):
        return run(EngineInputs(population=pop[None], fert_from=4, in_level=np.array([level]),
                                srb=np.array([1.05]), **common),
                   YearFactors.constant(1, years))

    a, b = one(pops[0], levels[0]), one(pops[1], levels[1])
    both = one(pops.sum(axis=0), levels.sum())
    np.testing.assert_allclose(both.population, a.population + b.population, rtol=1e-10,
                               atol=1e-9)
    np.testing.assert_allclose(both.deaths, a.deaths + b.deaths, rtol=1e-10, atol=1e-9)
