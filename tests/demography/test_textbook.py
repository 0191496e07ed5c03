"""The textbook step on a worked example computed by hand, and its agreement with the engine."""

from __future__ import annotations

import numpy as np
import pytest

from zwk.demography.errors import ProjectionInputError
from zwk.demography.lifetable import reference_life_tables
from zwk.demography.projection import EngineInputs, YearFactors, run, textbook_step

# Four groups of width 5: 0–5, 5–10, 10–15, 15+ (open). Mothers in 5–10 and 10–15 (an
# abstract example – the arithmetic is what matters).
FEMALE = [100, 80, 60, 40]
MALE = [105, 82, 58, 30]
FEMALE_L = [4.9, 4.8, 4.6, 10.0]      # last entry: T of the open group
MALE_L = [4.85, 4.7, 4.4, 8.0]
ASFR = {5: 0.04, 10: 0.02}
MIG_F = [10, 0, -4, 0]
MIG_M = [0, 6, 0, 2]


def test_worked_example_by_hand():
    """Preston, Heuveline & Guillot (2001), ch. 6: the women at the end of the step, from whom
    births are averaged, include the second half of the net migrants (defect 7 of issue 14)."""
    r = textbook_step(FEMALE, MALE, FEMALE_L, MALE_L, 1.0, ASFR, MIG_F, MIG_M, srb=1.05, step=5)
    # Women. Start with half the migrants: [105, 80, 58, 40].
    # S_0 = 4.8/4.9 = 0.9795918, S_5 = 4.6/4.8 = 0.9583333, open: 10/(4.6+10) = 0.6849315
    # survivors: 105·0.9795918 = 102.857143; 80·0.9583333 = 76.666667;
    #            (58 + 40)·0.6849315 = 67.123288
    # second half of the migrants [5, 0, −2, 0] → women at the end of the step:
    #            [·, 102.857143, 74.666667, 67.123288]
    # births 5–10: 5·0.04·(80 + 102.857143 + 0)/2 = 18.285714
    # births 10–15: 5·0.02·(58 + 76.666667 − 2)/2 = 6.633333      → B = 24.919048
    # girls = B/2.05 = 12.155633; boys = B·1.05/2.05 = 12.763415
    # newborn girls survive with L0/(5·l0) = 4.9/5 = 0.98 → 11.912520, + 5 migrants
    np.testing.assert_allclose(r.female, [16.912520, 102.857143, 74.666667, 67.123288],
                               rtol=1e-6)
    np.testing.assert_allclose(r.births_by_mother_age, [18.285714, 6.633333], rtol=1e-6)
    assert r.births_female == pytest.approx(12.155633, rel=1e-6)
    assert r.births_male == pytest.approx(12.763415, rel=1e-6)
    # Men. Start [105, 85, 58, 31]; S_0 = 4.7/4.85 = 0.9690722, S_5 = 4.4/4.7 = 0.9361702,
    # open 8/12.4 = 0.6451613 → 101.752577, 79.574468, (58+31)·0.6451613 = 57.419355;
    # newborn boys 12.763415 · 4.85/5 = 12.380512; end half [0, 3, 0, 1]
    np.testing.assert_allclose(r.male, [12.380512, 104.752577, 79.574468, 58.419355], rtol=1e-6)


def test_mismatched_lengths_raise_library_error():
    with pytest.raises(ProjectionInputError):
        textbook_step(FEMALE, MALE[:3], FEMALE_L, MALE_L, 1.0, ASFR, MIG_F, MIG_M)
    with pytest.raises(ProjectionInputError):
        textbook_step(FEMALE, MALE, FEMALE_L, MALE_L, 1.0, {7: 0.1}, MIG_F, MIG_M)


def test_engine_matches_textbook_step_for_one_year_without_migration():
    """With h = 1 and no migration the production engine is the textbook step."""
    tables = reference_life_tables()
    rng = np.random.default_rng(3)
    pop = rng.uniform(100, 1000, (2, 101))
    asfr = np.linspace(0.01, 0.09, 35)
    ref = textbook_step(pop[1], pop[0], tables["f"].Lx, tables["m"].Lx, 1.0,
                        {15 + i: asfr[i] for i in range(35)}, np.zeros(101), np.zeros(101),
                        srb=1.05, step=1)
    death = np.stack([1 - tables[s].survival()[0] for s in "mf"])[None]
    newborn = np.array([[1 - tables[s].survival()[1] for s in "mf"]])
    inputs = EngineInputs(pop[None], death, newborn, asfr[None], 15, np.zeros((1, 2, 101)),
                          np.zeros(1), np.zeros((1, 2, 101)), np.array([1.05]))
    out = run(inputs, YearFactors.constant(1, 1))
    np.testing.assert_allclose(out.population[0, 1, 1], ref.female, rtol=1e-12)
    np.testing.assert_allclose(out.population[0, 1, 0], ref.male, rtol=1e-12)
    assert out.births[0, 0].sum() == pytest.approx(ref.births)
