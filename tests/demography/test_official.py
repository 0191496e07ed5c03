"""Official municipal projections: reading the file, comparing with ours, decomposing."""

from __future__ import annotations

import numpy as np
import pytest

from zwk.demography import DemographyImportError, project
from zwk.demography.cli import main
from zwk.demography.official import (
    compare_with_official,
    read_official_projection,
    write_demo_official,
)

TOTALS = """ags;year;total
05958020;2030;4300
05958020;2040;4100
05958;2030;252000
"""

GERMAN_GROUPS = """Gemeindeschlüssel,Jahr,Geschlecht,Altersgruppe,Anzahl
05958020,2030,männlich,unter 18 Jahre,"350"
05958020,2030,weiblich,unter 18 Jahre,"340"
05958020,2030,männlich,18 Jahre und mehr,"1800"
05958020,2030,weiblich,18 Jahre und mehr,"1810"
"""


def test_reads_totals_and_german_age_group_layouts():
    totals = read_official_projection(TOTALS, "it_nrw.csv").totals()
    assert totals[("05958020", 2040)] == 4100 and totals[("05958", 2030)] == 252000
    grouped = read_official_projection(GERMAN_GROUPS, "gruppen.csv")
    assert grouped.totals()[("05958020", 2030)] == 4300
    ages = grouped.by_age()
    assert set(zip(ages["age_from"], ages["age_to"], strict=True)) == {(0, 18.0),
                                                                      (18, np.inf)}


@pytest.mark.parametrize("text, line, field, words", [
    ("ags;year;total\n05958020;2030;viele\n", 2, "total", "keine Zahl"),
    ("ags;year;total\n05958020;2030;4300\n5958X;2031;10\n", 3, "ags", "Kreisschlüssel"),
    ("ags;year;total\n05958020;dreißig;4300\n", 2, "year", "Jahreszahl"),
    ("ags;total\n05958020;4300\n", 1, "year", "fehlt"),
    ("ags;year;total\n05958020;2030;4300\n05958020;2030;4301\n", 3, "ags", "doppelt"),
    ("ags;year;age_group;count\n05958020;2030;alt;10\n", 2, "age_group", "Altersgruppe"),
    ("ags;year;total\n05958020;2030;.\n", 2, "total", "fehlt"),
])
def test_bad_files_name_line_and_field_in_german(text, line, field, words):
    with pytest.raises(DemographyImportError, match=words) as caught:
        read_official_projection(text, "amtlich.csv")
    assert caught.value.line == line and caught.value.field == field
    assert f"Zeile {line}" in str(caught.value) and "amtlich.csv" in str(caught.value)


@pytest.fixture(scope="module")
def demo_official(tmp_path_factory):
    path = write_demo_official(tmp_path_factory.mktemp("official"), seed=7)
    return read_official_projection(path)


def test_demo_file_is_labelled_synthetic(demo_official):
    assert demo_official.synthetic
    assert demo_official.name.endswith("SYNTHETISCH_nicht_amtlich.csv")


def test_comparison_and_decomposition_add_up(hsk, demo_official):
    ours = project(hsk, years=27, regions=["05958020", "05958"])
    frame = compare_with_official(ours, demo_official, "05958020")
    assert frame["year"].min() == 2023 and frame["year"].max() == 2050
    np.testing.assert_allclose(frame["difference"], frame["official"] - frame["ours"])
    np.testing.assert_allclose(frame["difference_pct"], 100 * frame["difference"] / frame["ours"])
    parts = frame[["births_part", "deaths_part", "migration_part"]].sum(axis=1)
    np.testing.assert_allclose(parts, frame["difference"], atol=3.5)   # 7 rounded groups
    late = frame.iloc[-1]
    # the stand-in has fewer births (TFR 1.45) and lower in-moves than ours
    assert late["births_part"] < 0 and late["difference"] < 0


def test_totals_only_file_gives_the_difference_without_a_split(hsk):
    ours = project(hsk, years=17, regions=["05958020"])
    frame = compare_with_official(ours, read_official_projection(TOTALS), "05958020")
    assert list(frame["year"]) == [2030, 2040]
    assert frame["births_part"].isna().all() and "keine Zerlegung" in frame["method"].iloc[0]


def test_cli_compare(demo_files, demo_official, tmp_path, capsys):
    official = tmp_path / "amtlich.csv"
    official.write_text(TOTALS, encoding="utf-8")
    assert main(["compare", *map(str, demo_files), "--official", str(official), "--region",
                 "05958020", "--json"]) == 0
    import json
    records = json.loads(capsys.readouterr().out)
    assert [r["year"] for r in records] == [2030, 2040]
    bad = tmp_path / "kaputt.csv"
    bad.write_text("ags;year;total\n05958020;2030;viele\n", encoding="utf-8")
    assert main(["compare", *map(str, demo_files), "--official", str(bad), "--region",
                 "05958020"]) == 2
    assert "Zeile 2" in capsys.readouterr().err
