"""Migration: moves within a Kreis cancel, net migration stays in the observed range."""

from __future__ import annotations

import numpy as np
import pytest

from zwk.demography import project
from zwk.demography.projection import get_scenario
from zwk.demography.synthetic import hochsauerlandkreis

HORIZON = 30
TOWNS = [f"05958{n:03d}" for n in range(4, 49, 4)]


@pytest.fixture(scope="module")
def demo():
    """The synthetic HSK exactly as ``zwk demography synth`` writes it (default seed)."""
    return hochsauerlandkreis()


@pytest.fixture(scope="module")
def towns_run(demo):
    return project(demo, years=HORIZON)


def _change(result, ags: str) -> float:
    totals = result.totals()[result.index(ags)]
    return 100.0 * (totals[-1] / totals[0] - 1.0)


def test_moves_between_towns_of_the_kreis_cancel_in_every_year(towns_run):
    idx = [towns_run.index(t) for t in TOWNS]
    internal_net = (towns_run.internal_in[idx] - towns_run.internal_out[idx]).sum(axis=0)
    assert np.abs(internal_net).max() < 1e-6
    assert towns_run.internal_out[idx].sum(axis=0).min() > 1000     # there are such moves
    kreis = towns_run.index("05958")
    external_in = (towns_run.moves_in[idx] - towns_run.internal_in[idx]).sum(axis=0)
    np.testing.assert_allclose(towns_run.moves_in[kreis], external_in)
    assert towns_run.accounting_gap() < 1e-6 * towns_run.totals().max()


def test_kreis_as_sum_of_towns_agrees_with_the_kreis_on_its_own(demo, towns_run):
    """Defect 2 of issue 14: internal moves created people (≈ 3 points apart at 30 years)."""
    alone = project(demo, years=HORIZON, regions=["05958"])
    assert abs(_change(towns_run, "05958") - _change(alone, "05958")) <= 1.5


def test_a_town_alone_is_projected_inside_its_kreis(demo, towns_run):
    alone = project(demo, years=HORIZON, regions=["05958020"])
    assert alone.regions == ["05958020"]
    np.testing.assert_allclose(alone.population[0],
                               towns_run.population[towns_run.index("05958020")])


def test_net_migration_stays_in_the_observed_range(demo):
    """Defect 4 of issue 14: fixed in-move counts and out-move rates let net migration of the
    Kreis drift from ≈ +600 to ≈ +1,200 a year. The default ties in-moves to the population's
    out-move potential, so the net follows the (shrinking) population instead of growing."""
    result = project(demo, years=HORIZON, regions=["05958"])
    net = result.moves_in[0] - result.moves_out[0]
    events = demo.events[(demo.events.ags == "05958") & demo.events.sex.isin(["m", "f"])]
    observed = events.pivot_table(index="year", columns="event", values="count", aggfunc="sum")
    observed_net = (observed["moves_in"] - observed["moves_out"]).tail(4)
    assert net.max() <= max(observed_net.mean(), observed_net.max()) + 1.0
    assert net[-1] <= net[0]                       # no upward drift
    assert net[-1] >= 0.5 * net[0]                 # and no collapse either


def test_constant_net_migration_variant_keeps_the_balance(demo):
    scenario = get_scenario("wanderungssaldo_konstant")
    result = project(demo, scenario, years=HORIZON, regions=["05958"])
    net = result.moves_in[0] - result.moves_out[0]
    np.testing.assert_allclose(net, net[0], rtol=1e-9)
    assert result.accounting_gap() < 1e-6 * result.totals().max()


def test_components_per_year_explain_the_change(towns_run):
    frame = towns_run.components("05958020")
    assert list(frame["year"]) == list(towns_run.years[1:])
    totals = towns_run.totals()[towns_run.index("05958020")]
    np.testing.assert_allclose(frame["change"], np.diff(totals), atol=1e-6)
    np.testing.assert_allclose(frame["natural_balance"], frame["births"] - frame["deaths"])
