"""The shipped Gemeindeverzeichnis: the README's checks, lookups, and the raw file it comes from."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from zwk.demography.regions import LAENDER
from zwk.demography.register import SHIPPED, load_register, read_extract
from zwk.demography.register.store import read_parquet

RAW = (Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "gemeindeverzeichnis-2019"
       / "gv-auszug-2019-12-31.csv").resolve()
#: The 12 towns of the Hochsauerlandkreis as DOMAIN.md lists them.
HSK_TOWNS = ["05958004", "05958008", "05958012", "05958016", "05958020", "05958024",
             "05958028", "05958032", "05958036", "05958040", "05958044", "05958048"]
RECORD_KEYS = {"ags", "ars", "name", "kind", "land", "kreis_ags", "kreis_name", "population",
               "male", "female", "area_km2", "density", "degurba", "lat", "lon", "postcode"}


@pytest.fixture(scope="module")
def register():
    return load_register(SHIPPED)


def test_readme_checks_hold_on_the_shipped_register(register):
    municipalities = list(register.municipalities.values())
    assert len(municipalities) == 11_004
    assert len(register.inhabited()) == 10_796
    uninhabited = [m for m in municipalities if not m.inhabited]
    assert len(uninhabited) == 208
    assert {m.kind_code for m in uninhabited} == {"66"}       # unbewohnte gemeindefreie Gebiete
    assert len(register.kreise) == 401
    assert register.population == 83_166_711
    hsk = register.towns_of("05958")
    assert [m.ags for m in hsk] == HSK_TOWNS
    assert sum(m.population for m in hsk) == 259_777
    assert register.kreise["05958"].population == 259_777


def test_status_date_and_attribution_line(register):
    assert register.status_date == date(2019, 12, 31)
    assert register.attribution == ("© Statistisches Bundesamt (Destatis), Gemeindeverzeichnis-"
                                    "Informationssystem GV-ISys, Stand 31.12.2019")


def test_laender_come_from_the_one_table_and_add_up(register):
    assert {code: land.name for code, land in register.laender.items()} == LAENDER
    assert sum(land.population for land in register.laender.values()) == 83_166_711
    assert register.laender["11"].population == register.municipality("11000000").population


def test_lookups_by_ags_ars_and_kreis(register):
    arnsberg = register.municipality("05958004")
    assert register.municipality("059580004004") is arnsberg
    assert arnsberg.short_name == "Arnsberg" and arnsberg.kind == "stadt"
    assert register.kreis_name("05958004") == "Hochsauerlandkreis"
    assert register.kreis_name("059580004004") == "Hochsauerlandkreis"
    assert register.kreis_name("09180") == "Garmisch-Partenkirchen"
    assert register.kreise["09180"].kind == "landkreis"
    assert register.land_name("09180117") == "Bayern"
    assert register.entry("09180117").name == "Garmisch-Partenkirchen, M"
    assert register.entry("09180117").kind == "markt"
    assert register.entry("99999") is None and register.kreis_name("09999") is None


def test_male_and_female_add_up_and_kreise_sum_their_towns(register):
    for m in register.inhabited():
        assert m.male + m.female == m.population
    for kreis in register.kreise.values():
        towns = register.towns_of(kreis.ags)
        assert kreis.population == sum(t.population for t in towns)
        assert kreis.municipality_count == len(towns)


def test_quirks_of_the_extract_are_cleaned(register):
    # double space in the official name, decimal comma coordinates, spaced thousands
    meschede = register.municipality("05958032")
    assert meschede.name == "Meschede, Kreis- und Hochschulstadt"
    assert 51.0 < meschede.lat < 51.6 and 8.0 < meschede.lon < 8.6
    assert register.municipality("01001000").population == 90_164
    # "0,0" coordinates and areas outside every Kreis (joint territory with Luxembourg)
    joint = register.municipality("07000999")
    assert joint is not None and joint.lat is None and joint.lon is None
    assert register.kreis_name("07000999") is None


def test_record_has_exactly_the_public_keys(register):
    record = register.record(register.municipality("05958040"))
    assert set(record) == RECORD_KEYS
    assert record["kreis_name"] == "Hochsauerlandkreis" and record["land"] == "Nordrhein-Westfalen"
    assert record["degurba"] in (1, 2, 3) and len(record["postcode"]) == 5
    kreis = register.record(register.kreise["09180"])
    assert set(kreis) == RECORD_KEYS
    assert kreis["kreis_name"] == "Garmisch-Partenkirchen" and kreis["postcode"] is None
    assert 47.0 < kreis["lat"] < 48.0


@pytest.mark.skipif(not RAW.exists(), reason=f"raw extract not found at {RAW}")
def test_shipped_file_is_what_the_build_makes_from_the_raw_extract():
    shipped, status_date = read_parquet(SHIPPED)
    built = read_extract(RAW)
    assert status_date == date(2019, 12, 31)
    pd.testing.assert_frame_equal(shipped.reset_index(drop=True), built.reset_index(drop=True))
