"""Importers: all three GENESIS layouts, tidy CSV, special values, flags, bad files."""

from __future__ import annotations

import math
import shutil

import numpy as np
import pytest

from zwk.demography import Dataset, DemographyImportError, read_file, read_files
from zwk.demography.io import detect_layout
from zwk.demography.io.common import parse_value


def _value(ds: Dataset, ags, year, sex, age_from, age_to):
    pop = ds.population
    row = pop[(pop.ags == ags) & (pop.year == year) & (pop.sex == sex)
              & (pop.age_from == age_from) & (pop.age_to == age_to)]
    assert len(row) == 1
    return row.iloc[0]


def test_ffcsv_long_layout_reads_groups_totals_and_names(data_dir):
    ds = read_file(data_dir / "12411-02-03-5_ffcsv.csv")
    assert ds.regions == ["05958020", "05958028"]          # AGS stay strings with leading 0
    assert ds.name("05958020") == "Hallenberg, Stadt"
    row = _value(ds, "05958020", 2022, "m", 10, 15)
    assert row["count"] == 101
    totals = ds.totals().set_index("ags")
    assert totals.loc["05958020", "total"] == 4302        # 2137 men + 2165 women
    assert not ds.synthetic
    assert "Datenlizenz Deutschland" in ds.source


def test_secret_value_is_missing_with_flag_and_total_still_used(data_dir):
    ds = read_file(data_dir / "12411-02-03-5_ffcsv.csv")
    secret = _value(ds, "05958028", 2022, "f", 75, math.inf)
    assert math.isnan(secret["count"]) and secret["flag"] == "."
    # The female age detail is incomplete, so totals fall back to the "Insgesamt" row.
    totals = ds.totals().set_index("ags")
    assert totals.loc["05958028", "female"] == 4038


def test_zipped_ffcsv_with_flags_and_special_values(data_dir):
    ds = read_file(data_dir / "12612-91-01-5_ffcsv.zip")
    ev = ds.events.set_index(["ags", "year"])
    assert set(ds.events["event"]) == {"births"}
    assert ev.loc[("05958020", 2022), "count"] == 33 and ev.loc[("05958020", 2022), "flag"] == "p"
    assert ev.loc[("05958099", 2019), "count"] == 0 and ev.loc[("05958099", 2019), "flag"] == "-"
    assert math.isnan(ev.loc[("05958099", 2021), "count"])
    assert ev.loc[("05958099", 2021), "flag"] == "..."


def test_older_wide_layout_with_open_group_90_and_revised_flag(data_dir):
    ds = read_file(data_dir / "12411-04-02-4_flat_alt.csv")
    pop = ds.population
    male = pop[(pop.sex == "m") & (pop.age_to != math.inf) | (pop.sex == "m") & (pop.age_from == 90)]
    assert len(male) == 91                               # 0 … 89 single years + 90+
    assert _value(ds, "05958", 2022, "m", 45, 46)["flag"] == "r"
    cube = ds.single_year_cube()
    assert cube.open_age == 90
    assert cube.values.sum() == 258571


def test_genesis_table_download_cp1252_with_title_and_footer(data_dir):
    ds = read_file(data_dir / "12411-0018_tabelle.csv")
    assert ds.regions == ["05958", "05966"]
    assert ds.name("05966") == "Olpe, Kreis"
    assert ds.years == [2021, 2022]                       # empty date cell repeats the date above
    assert _value(ds, "05958", 2022, "f", 75, math.inf)["count"] == 19600
    unreliable = _value(ds, "05966", 2021, "f", 75, math.inf)
    assert math.isnan(unreliable["count"]) and unreliable["flag"] == "/"
    totals = ds.totals().set_index(["ags", "year"])
    assert totals.loc[("05958", 2022), "total"] == 129730 + 132510


def test_tidy_register_extract_single_years_and_open_group(data_dir):
    ds = read_file(data_dir / "melderegister.csv")
    cube = ds.single_year_cube()
    assert cube.regions == ["09999001"] and cube.years == [2021, 2022]
    assert cube.open_age == 100
    assert cube.values[0, 0, 1, 100] == 3                  # "100+" of women ("w") in 2021
    assert "Melderegister" in ds.source


def test_tidy_grouped_with_decimal_commas(data_dir):
    ds = read_file(data_dir / "melderegister_gruppen.csv")
    assert _value(ds, "09999001", 2022, "t", 0, 18)["count"] == 1234.5
    assert ds.totals()["total"].iloc[0] == pytest.approx(1234.5 + 4321.5 + 2100)


@pytest.mark.parametrize("text, expected", [
    ("1234", (1234.0, "")), ("12,5", (12.5, "")), ("1234p", (1234.0, "p")),
    ("1234 r", (1234.0, "r")), ("-", (0.0, "-")), ("x", (math.nan, "x")),
    ("...", (math.nan, "...")), (".", (math.nan, ".")), ("/", (math.nan, "/")),
])
def test_parse_value_special_values_and_flags(text, expected):
    value, flag = parse_value(text, file="f", line=1, field_name="value")
    assert flag == expected[1]
    assert (math.isnan(value) and math.isnan(expected[0])) or value == expected[0]


@pytest.mark.parametrize("name, line, field, words", [
    ("bad_layout.csv", 1, None, "nicht erkannt"),
    ("bad_truncated_ffcsv.csv", 11, None, "unvollständig"),
    ("bad_truncated.zip", None, None, "beschädigt"),
    ("bad_nonnumeric.csv", 5, "value", "keine Zahl"),
    ("bad_unknown_table.csv", 2, "statistics_code", "Unbekannte Tabelle"),
    ("bad_inconsistent_totals.csv", 2, "Bevölkerung", "passen nicht zusammen"),
])
def test_bad_files_raise_german_error_naming_file_line_field(data_dir, name, line, field, words):
    with pytest.raises(DemographyImportError) as info:
        read_file(data_dir / name)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.file == name and err.line == line and err.field == field
    assert words in str(err) and name in str(err)


def test_one_bad_file_among_good_ones_returns_nothing(data_dir):
    with pytest.raises(DemographyImportError):
        read_files([data_dir / "12411-02-03-5_ffcsv.csv", data_dir / "bad_nonnumeric.csv"])


def test_age_groups_that_contradict_their_total_are_rejected(data_dir, tmp_path):
    text = (data_dir / "12411-02-03-5_ffcsv.csv").read_text(encoding="utf-8-sig")
    broken = text.replace(";4302;Anzahl", ";4310;Anzahl")   # Hallenberg "Insgesamt"
    assert broken != text
    path = tmp_path / "widerspruch.csv"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(DemographyImportError, match="Insgesamt"):
        read_file(path)


def test_missing_file_is_a_library_error(tmp_path):
    with pytest.raises(DemographyImportError, match="nicht gelesen"):
        read_file(tmp_path / "fehlt.csv")


def test_detect_layout_from_header():
    assert detect_layout(["\ufeffstatistics_code;statistics_label"], "a")[0] == "ffcsv"
    assert detect_layout(["Statistik_Code;Statistik_Label"], "a")[0] == "flat-wide"
    assert detect_layout(["GENESIS-Tabelle: 12411-0018"], "a")[0] == "genesis-tabelle"
    assert detect_layout(["# Kommentar", "ags;jahr;anzahl"], "a") == ("tidy", 1)


def test_combining_single_years_and_groups_keeps_the_finer_file(data_dir):
    ds = read_files([data_dir / "12411-0018_tabelle.csv", data_dir / "12411-04-02-4_flat_alt.csv"])
    hsk_2022 = ds.population[(ds.population.ags == "05958") & (ds.population.year == 2022)]
    assert len(hsk_2022[hsk_2022.sex == "m"]) == 92       # 91 single-year classes + total
    hsk_2021 = ds.population[(ds.population.ags == "05958") & (ds.population.year == 2021)]
    assert len(hsk_2021[hsk_2021.sex == "m"]) == 17


def test_demo_files_round_trip_to_the_generated_dataset(demo_files, hsk):
    ds = read_files(demo_files)
    assert ds.synthetic and "SYNTHETISCH" in ds.source
    expected = hsk.totals().set_index(["ags", "year"])["total"]
    got = ds.totals().set_index(["ags", "year"])["total"]
    assert np.allclose(got.loc[expected.index], expected)
    births = ds.events[(ds.events.event == "births") & (ds.events.ags == "05958004")]
    original = hsk.events[(hsk.events.event == "births") & (hsk.events.ags == "05958004")]
    assert births["count"].sum() == original["count"].sum()


def test_every_demo_file_is_marked_synthetic(demo_files):
    import zipfile

    for path in demo_files:
        raw = (zipfile.ZipFile(path).read(zipfile.ZipFile(path).namelist()[0])
               if path.suffix == ".zip" else path.read_bytes())
        assert "SYNTHETISCHE DEMODATEN" in raw.decode("utf-8-sig"), path.name
        assert read_file(path).synthetic, path.name


def test_copied_official_layout_without_marker_is_not_synthetic(data_dir, tmp_path):
    copy = tmp_path / "kopie.csv"
    shutil.copy(data_dir / "12411-04-02-4_flat_alt.csv", copy)
    assert not read_file(copy).synthetic
