"""`zwk demography synth --germany`: every inhabited municipality, calibrated to the register."""

from __future__ import annotations

import numpy as np
import pytest

from zwk.demography import read_files
from zwk.demography.ages import MUNICIPAL_GROUPS
from zwk.demography.cli import main
from zwk.demography.errors import DemographyError
from zwk.demography.register import SHIPPED, load_register
from zwk.demography.synthetic_germany import germany


@pytest.fixture(scope="module")
def register():
    return load_register(SHIPPED)


@pytest.fixture(scope="module")
def synthetic(register):
    return germany(11, register=register)


def test_every_inhabited_municipality_by_sex_and_17_groups(synthetic, register):
    pop = synthetic.population
    assert synthetic.synthetic and "SYNTHETISCHE DEMODATEN" in synthetic.source
    assert set(pop["ags"]) == {m.ags for m in register.inhabited()}
    assert len(set(pop["ags"])) == 10_796
    assert set(pop["year"]) == {2019}
    groups = set(zip(pop["age_from"], pop["age_to"], strict=True))
    assert groups == set(MUNICIPAL_GROUPS)
    assert len(pop) == 10_796 * 2 * 17
    assert (pop["count"] >= 0).all()
    assert synthetic.name("05958040") == "Schmallenberg, Stadt"


def test_totals_are_the_register_totals(synthetic, register):
    pop = synthetic.population
    assert pop["count"].sum() == 83_166_711
    by_sex = pop.groupby(["ags", "sex"])["count"].sum().unstack()
    males = {m.ags: m.male for m in register.inhabited()}
    females = {m.ags: m.female for m in register.inhabited()}
    assert (by_sex["m"] == by_sex.index.map(males)).all()
    assert (by_sex["f"] == by_sex.index.map(females)).all()
    hsk = pop[pop["ags"].str.startswith("05958")]["count"].sum()
    assert hsk == 259_777


def test_same_seed_same_numbers_other_seed_other_numbers(synthetic, register):
    again = germany(11, register=register).population
    assert np.array_equal(again["count"].to_numpy(), synthetic.population["count"].to_numpy())
    other = germany(12, register=register).population
    assert not np.array_equal(other["count"].to_numpy(),
                              synthetic.population["count"].to_numpy())
    assert other["count"].sum() == 83_166_711


def test_dense_places_are_younger_than_sparse_ones(synthetic, register):
    pop = synthetic.population.assign(
        degurba=lambda f: f["ags"].map({m.ags: m.degurba for m in register.inhabited()}))
    old = pop[pop["age_from"] >= 65].groupby("degurba")["count"].sum()
    share_old = old / pop.groupby("degurba")["count"].sum()
    assert share_old[1] < share_old[2] < share_old[3]
    assert 0.15 < share_old[2] < 0.30         # a German-looking share of people aged 65+


def test_a_land_alone_has_the_same_numbers(synthetic, register):
    saarland = germany(11, register=register, laender=["10"]).population
    assert set(saarland["ags"].str[:2]) == {"10"}
    assert saarland["count"].sum() == register.laender["10"].population
    whole = synthetic.population
    part = whole[whole["ags"].str.startswith("10")].reset_index(drop=True)
    assert np.array_equal(part["count"].to_numpy(), saarland["count"].to_numpy())
    with pytest.raises(DemographyError, match="Unbekannte Länderkennung: 17"):
        germany(11, register=register, laender=["17"])


def test_cli_writes_a_flat_file_the_engine_reads_back(tmp_path, capsys, register):
    assert main(["synth", str(tmp_path), "--germany", "--land", "04", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "SYNTHETISCHE DEMODATEN" in out
    path = tmp_path / "12411-02-03-5_deutschland_04_synthetisch.zip"
    assert str(path) in out
    back = read_files([str(path)])
    assert back.synthetic
    assert set(back.regions) == {"04011000", "04012000"}      # Bremen, Bremerhaven
    totals = back.population.groupby("ags")["count"].sum()
    assert totals["04011000"] == register.municipality("04011000").population
    assert totals["04012000"] == register.municipality("04012000").population


def test_cli_land_without_germany_is_refused(tmp_path, capsys):
    assert main(["synth", str(tmp_path), "--land", "05"]) == 2
    assert "--land gilt nur zusammen mit --germany" in capsys.readouterr().err
