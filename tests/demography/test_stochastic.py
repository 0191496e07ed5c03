"""Stochastic mode: centred on the deterministic projection, wider bands for small towns."""

from __future__ import annotations

from dataclasses import fields, replace

import numpy as np
import pytest

from zwk.demography import project, project_stochastic
from zwk.demography.projection import SCENARIOS
from zwk.demography.projection.stochastic import Uncertainty

HORIZON = 30


def no_noise() -> Uncertainty:
    """Every noise source switched off (standard deviations 0, no Poisson variation)."""
    base = Uncertainty()
    off = {f.name: (False if isinstance(getattr(base, f.name), bool) else 0.0)
           for f in fields(Uncertainty)
           if f.name.endswith("_sd") or isinstance(getattr(base, f.name), bool)}
    return replace(base, **off)


@pytest.mark.parametrize("key", sorted(SCENARIOS))
def test_without_noise_the_median_is_the_deterministic_projection(hsk, key):
    """Defect 1 of issue 14: the life-expectancy gain was applied twice (+2.7 % in 2050)."""
    scenario = SCENARIOS[key]
    deterministic = project(hsk, scenario, years=HORIZON)
    stochastic = project_stochastic(hsk, scenario, trajectories=3, years=HORIZON, seed=3,
                                    uncertainty=no_noise())
    for region in ("05958", "05958020", "05958004"):
        expected = deterministic.totals()[deterministic.index(region)]
        median = stochastic.totals[stochastic.regions.index(region), :, 1]
        np.testing.assert_allclose(median, expected, rtol=0.002)
