"""Implausible data files are refused with German messages naming file, line and field:
reference dates in the far future or before 1900, impossible dates, ages beyond 120."""

from __future__ import annotations

import pytest

from zwk.demography.errors import DemographyImportError
from zwk.demography.io import read_content

HEADER = "ags;year;sex;age;count\n"


@pytest.mark.parametrize("cell, message", [
    ("2999-12-31", "„2999-12-31“ ist kein plausibler Stichtag: erwartet wird ein Jahr "
                   "zwischen 1900 und"),
    ("0000-12-31", "„0000-12-31“ ist kein gültiges Datum."),
    ("31.12.1899", "„31.12.1899“ ist kein plausibler Stichtag"),
    ("2024-13-45", "„2024-13-45“ ist kein gültiges Datum."),
])
def test_implausible_reference_dates_are_refused(cell, message):
    with pytest.raises(DemographyImportError) as error:
        read_content(HEADER + "05958999;2023-12-31;w;15;10\n"
                     f"05958999;{cell};w;16;10\n", "melderegister.csv")
    assert str(error.value).startswith("Datei „melderegister.csv“, Zeile 3, Feld „year“: ")
    assert message in str(error.value)


@pytest.mark.parametrize("header, row, field", [
    (HEADER, "05958999;2023;w;150;10", "age"),
    ("ags;year;sex;age_from;age_to;count\n", "05958999;2023;w;0;300;10", "age_from"),
])
def test_implausible_ages_are_refused(header, row, field):
    with pytest.raises(DemographyImportError) as error:
        read_content(header + row + "\n", "alter.csv")
    assert f"Zeile 2, Feld „{field}“" in str(error.value)
    assert "keine plausible Altersangabe (0 bis 120 Jahre)" in str(error.value)


def test_unknown_sex_code_is_refused():
    with pytest.raises(DemographyImportError, match="Zeile 2, Feld „sex“: Unbekanntes "
                                                    "Geschlecht „x“"):
        read_content(HEADER + "05958999;2023;x;15;10\n", "geschlecht.csv")


def test_plausible_file_still_reads():
    dataset = read_content(HEADER + "05958999;31.12.2023;w;15;10\n05958999;2023;m;99 und "
                           "älter;3\n", "gut.csv")
    assert sorted(dataset.population["age_from"]) == [15, 99]
