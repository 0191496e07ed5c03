"""Life tables and the plausibility of the synthetic demo data."""

from __future__ import annotations

import numpy as np
import pytest

from zwk.demography import indicators_table
from zwk.demography.lifetable import LifeTable, death_multiplier_for_gain, reference_life_tables
from zwk.demography.synthetic import KREIS, TOWNS, hochsauerlandkreis


def test_reference_tables_hit_their_life_expectancy():
    tables = reference_life_tables(e0={"m": 78.6, "f": 83.4})
    assert tables["m"].e0 == pytest.approx(78.6, abs=1e-6)
    assert tables["f"].e0 == pytest.approx(83.4, abs=1e-6)
    assert 17 < tables["m"].ex[65] < 19.5 and 20 < tables["f"].ex[65] < 22.5


def test_life_table_by_hand_for_constant_mortality():
    # m = 0.1 everywhere, a = 0.5: q = 0.1/1.05 = 0.0952381; open group L = l/m
    table = LifeTable.from_mx(np.array([0.1, 0.1, 0.1]))
    q = 0.1 / (1 + 0.9 * 0.1)         # age 0 uses a_0 = 0.1
    assert table.qx[0] == pytest.approx(q)
    l1 = 1 - q
    assert table.lx[1] == pytest.approx(l1)
    assert table.Lx[-1] == pytest.approx(table.lx[-1] / 0.1)
    survival, newborn = table.survival()
    assert survival[-1] == pytest.approx(table.Tx[-1] / table.Tx[-2])   # open group
    assert newborn == pytest.approx(table.Lx[0])


def test_death_multiplier_for_gain():
    table = reference_life_tables()["f"]
    factors = death_multiplier_for_gain(table, np.array([0.0, 1.0, 3.0]))
    assert factors[0] == pytest.approx(1.0, abs=1e-3)
    assert 1.0 > factors[1] > factors[2] > 0.5


def test_synthetic_data_is_seeded_and_marked(hsk):
    again = hochsauerlandkreis(seed=7)
    assert again.population.equals(hsk.population)
    other = hochsauerlandkreis(seed=8)
    assert not other.population["count"].equals(hsk.population["count"])
    assert hsk.synthetic and "SYNTHETISCH" in hsk.source
    assert set(hsk.regions) == {KREIS, *TOWNS}


def test_synthetic_kreis_looks_like_a_rural_ageing_kreis(hsk):
    row = indicators_table(hsk).set_index(["ags", "year"]).loc[(KREIS, 2020)]
    assert 250_000 < row["bevoelkerung"] < 270_000          # published 2020: 259,677
    assert 45 < row["medianalter"] < 50                      # rural, ageing: about 47
    assert 35 < row["altenquotient"] < 48                    # about 40
    assert 6.5 < row["geburten_je_1000"] < 9.5               # about 8
    assert 11 < row["sterbefaelle_je_1000"] < 15             # about 13
    assert row["natuerlicher_saldo_je_1000"] < 0
    assert row["bildungswanderung"] < 0                      # 18–24-year-olds leave
    assert row["weiblich"] > row["maennlich"]


def test_synthetic_towns_have_their_published_magnitudes(hsk):
    totals = hsk.totals().set_index(["ags", "year"])["total"]
    for ags, (_, published) in TOWNS.items():
        assert totals[(ags, 2020)] == pytest.approx(published, rel=0.06), ags


def test_official_detail_matches_the_official_tables(hsk):
    town = hsk.population[hsk.population.ags == "05958020"]
    assert len(town[(town.year == 2020) & (town.sex == "f")]) == 17     # 17 age groups
    moves = hsk.events[(hsk.events.ags == "05958020") & (hsk.events.event == "moves_in")]
    assert moves[moves.sex != "t"]["year"].max() == 2017                 # by age only to 2017


def test_scaling_death_proportions_approximates_the_wanted_gain():
    """The engine scales 1 − S_x by the factor found for m_x; check that this is close."""
    table = reference_life_tables()["m"]
    factor = float(death_multiplier_for_gain(table, np.array([2.0]))[0])
    improved = LifeTable.from_mx(table.mx * factor)
    assert improved.e0 == pytest.approx(table.e0 + 2.0, abs=0.05)
    exact = 1.0 - improved.survival()[0][:90]
    approx = (1.0 - table.survival()[0][:90]) * factor
    np.testing.assert_allclose(approx, exact, rtol=0.05)
