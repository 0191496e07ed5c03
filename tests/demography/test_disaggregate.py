"""Disaggregation: exact group totals, non-negative, smooth, uses the pattern when given."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zwk.demography import disaggregate, disaggregate_population
from zwk.demography.ages import MUNICIPAL_GROUPS, OPEN

# Moderate example counts keep the suite fast; DEMOGRAPHY_EXAMPLES=500 for a thorough run.
PROPERTY = settings(max_examples=int(os.environ.get("DEMOGRAPHY_EXAMPLES", "25")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])


counts_17 = st.lists(st.integers(min_value=0, max_value=20_000), min_size=17, max_size=17)


def _group_sums(single: np.ndarray, groups) -> np.ndarray:
    return np.array([single[lo: (len(single) if hi == OPEN else int(hi))].sum()
                     for lo, hi in groups])


@PROPERTY
@given(counts_17)
def test_smooth_split_keeps_every_group_total_and_is_non_negative(counts):
    single = disaggregate(list(MUNICIPAL_GROUPS), counts)
    assert len(single) == 101
    assert (single >= 0).all()
    np.testing.assert_allclose(_group_sums(single, MUNICIPAL_GROUPS), counts, atol=1e-6)


@PROPERTY
@given(counts_17, st.lists(st.floats(min_value=0, max_value=1000), min_size=101, max_size=101))
def test_pattern_split_keeps_every_group_total_and_is_non_negative(counts, pattern):
    single = disaggregate(list(MUNICIPAL_GROUPS), counts, np.array(pattern))
    assert (single >= 0).all()
    np.testing.assert_allclose(_group_sums(single, MUNICIPAL_GROUPS), counts, atol=1e-6)


def test_pattern_is_reproduced_when_groups_come_from_it():
    pattern = np.linspace(1000, 200, 101) + 50 * np.sin(np.arange(101) / 4)
    grouped = _group_sums(pattern, MUNICIPAL_GROUPS)
    np.testing.assert_allclose(disaggregate(list(MUNICIPAL_GROUPS), grouped, pattern), pattern)


def test_smooth_split_of_an_even_population_is_nearly_flat():
    widths = [hi - lo for lo, hi in MUNICIPAL_GROUPS[:-1]]
    counts = [100 * w for w in widths] + [500]
    single = disaggregate(list(MUNICIPAL_GROUPS), counts)
    assert np.allclose(single[:75], 100, rtol=0.01)
    assert single[75] > single[90] > single[100] * 0.1     # open group declines like L_x


def test_synthetic_towns_split_with_kreis_pattern_close_to_truth(hsk, hsk_full):
    split = disaggregate_population(hsk.subset(years=[2020]))
    cube = split.single_year_cube(regions=["05958032"], years=[2020]).values[0, 0]
    truth = hsk_full.single_year_cube(regions=["05958032"], years=[2020]).values[0, 0]
    assert cube.sum() == pytest.approx(truth.sum())
    # ten-year bands agree within 6 % – the towns differ a little from their Kreis
    bands = [(a, a + 10) for a in range(0, 90, 10)]
    for lo, hi in bands:
        assert cube[:, lo:hi].sum() == pytest.approx(truth[:, lo:hi].sum(), rel=0.06)
