"""``zwk register show|search|load|info`` and reading extracts, good and bad."""

from __future__ import annotations

import json
from datetime import date

import pytest

from zwk.cli import main as zwk_main
from zwk.demography.register import RegisterError, load_register, local_path, read_extract
from zwk.demography.register.cli import main

HEADER = ("satzart,textkennzeichen,land,rb,kreis,vb,gemeinde,gemeindename,flaeche,bevoelkerung,"
          "maennlich,weiblich,jekm2,postleitzahl,laengengrad,breitengrad,schluessel,bezeichnung,"
          "verstaedterungschluessel,verstaedterungbezeichnung")
#: A newer extract of the same layout (BOM, spaced thousands, decimal commas, a double space).
NEWER = "\ufeff" + "\n".join([
    HEADER,
    "10,,05,,,,,Nordrhein-Westfalen,,,,,,,,,,,,",
    "40,43,05,9,58,,,Hochsauerlandkreis,,,,,,,,,,,,",
    '50,50,05,9,58,0004,,"Arnsberg, Stadt",,,,,,,,,,,,',
    '60,63,05,9,58,0004,004,"Arnsberg, Stadt", 193.72, 73 300, 36 100, 37 200,  378,59759,'
    '"8,064801","51,395795",D12,Sauerland,02,mittlere Besiedlungsdichte',
    '50,50,05,9,58,0032,,"Meschede, Kreis- und  Hochschulstadt",,,,,,,,,,,,',
    '60,63,05,9,58,0032,032,"Meschede, Kreis- und  Hochschulstadt", 218.46, 29 500, 14 800,'
    ' 14 700,  135,59872,"8,28","51,35",D12,Sauerland,03,gering besiedelt',
]) + "\n"


@pytest.fixture
def data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("ZWK_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_show_json_prints_exactly_the_public_keys(capsys):
    assert zwk_main(["register", "show", "05958040", "--json"]) == 0
    captured = capsys.readouterr()
    record = json.loads(captured.out)
    assert list(record) == ["ags", "ars", "name", "kind", "land", "kreis_ags", "kreis_name",
                            "population", "male", "female", "area_km2", "density", "degurba",
                            "lat", "lon", "postcode"]
    assert record["name"] == "Schmallenberg, Stadt" and record["kreis_name"] == "Hochsauerlandkreis"
    assert record["land"] == "Nordrhein-Westfalen" and record["population"] == 24_852
    assert "GV-ISys, Stand 31.12.2019" in captured.err      # attribution beside the JSON


def test_show_a_kreis_in_german(capsys):
    assert main(["show", "09180"]) == 0
    out = capsys.readouterr().out
    assert "Garmisch-Partenkirchen (Landkreis)" in out and "Land: Bayern" in out
    assert "Gemeinden: 23" in out and "Datenlizenz Deutschland" in out


def test_show_unknown_key_is_a_german_error(capsys):
    assert main(["show", "05999999"]) == 2
    err = capsys.readouterr().err
    assert "keine Gemeinde und keinen Kreis mit dem Schlüssel „05999999“" in err


def test_search_json_best_first_with_score(capsys):
    assert zwk_main(["register", "search", "Schmallenbreg", "--json", "--limit", "3"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits[0]["ags"] == "05958040" and hits[0]["match"] == "fuzzy"
    assert len(hits) <= 3 and hits[0]["score"] >= hits[-1]["score"]


def test_search_text_lists_hits_or_says_none(capsys):
    assert main(["search", "Hallenberg"]) == 0
    assert "05958020  Hallenberg, Stadt (Stadt, Nordrhein-Westfalen)" in capsys.readouterr().out
    assert main(["search", "Qxzvbnm"]) == 0
    assert "Keine Treffer für „Qxzvbnm“." in capsys.readouterr().out


def test_load_newer_extract_is_preferred_by_the_loader(tmp_path, data_folder, capsys):
    source = tmp_path / "gv-auszug-2020-12-31.csv"
    source.write_text(NEWER, encoding="utf-8")
    assert main(["load", str(source)]) == 0
    assert "Stand 31.12.2020 übernommen: 2 Gemeinden" in capsys.readouterr().out
    assert local_path() == data_folder / "register" / "gemeindeverzeichnis.parquet"
    register = load_register()
    assert register.status_date == date(2020, 12, 31)
    assert register.attribution.endswith("Stand 31.12.2020")
    assert register.municipality("05958004").population == 73_300
    assert register.municipality("05958032").name == "Meschede, Kreis- und Hochschulstadt"
    assert main(["info"]) == 0
    assert "Stand 31.12.2020" in capsys.readouterr().out


def test_load_takes_the_status_date_from_the_option(tmp_path, data_folder):
    source = tmp_path / "auszug.csv"
    source.write_text(NEWER, encoding="utf-8")
    assert main(["load", str(source), "--stand", "2021-06-30"]) == 0
    assert load_register().status_date == date(2021, 6, 30)


def test_load_without_status_date_writes_nothing(tmp_path, data_folder, capsys):
    source = tmp_path / "auszug.csv"
    source.write_text(NEWER, encoding="utf-8")
    assert main(["load", str(source)]) == 2
    assert "Stand (Stichtag)" in capsys.readouterr().err
    assert not local_path().exists()
    assert load_register().status_date == date(2019, 12, 31)     # the shipped one still in use


@pytest.mark.parametrize("change, message", [
    (lambda t: t.replace("satzart,", "art,", 1), "Kopfzeile passt nicht"),
    (lambda t: t.replace(" 73 300", " 73 3OO"), "Zeile 5, Feld „bevoelkerung“: „73 3OO“ ist "
                                                 "keine ganze Zahl"),
    (lambda t: t.replace(" 36 100", " 36 000"), "Zeile 5, Feld „bevoelkerung“: Männlich"),
    (lambda t: t.replace('"51,395795"', '"51.395.795"'), "Feld „breitengrad“"),
    (lambda t: t.replace('"51,35"', '"41,35"'), "nicht in Deutschland"),
    (lambda t: t.replace("10,,05,", "10,,17,"), "Unbekannte Länderkennung „17“"),
    (lambda t: t.replace("60,63,05,9,58,0004,004", "60,63,05,9,57,0004,004"),
     "ohne Kreis-Datensatz"),
    (lambda t: t.replace(",02,mittlere", ",04,mittlere"), "Verstädterungsschlüssel"),
    (lambda t: t.replace(",59759,", ",5975,"), "Postleitzahl „5975“"),
])
def test_bad_extract_is_refused_with_line_and_field(tmp_path, data_folder, capsys, change,
                                                     message):
    source = tmp_path / "gv-auszug-2020-12-31.csv"
    source.write_text(change(NEWER), encoding="utf-8")
    assert main(["load", str(source)]) == 2
    err = capsys.readouterr().err
    assert message in err and "gv-auszug-2020-12-31.csv" in err
    assert not local_path().exists()


def test_extract_not_in_utf8_is_refused():
    with pytest.raises(RegisterError, match="nicht UTF-8"):
        read_extract(NEWER.replace("\ufeff", "").replace("Meschede", "Möhnesee")
                     .encode("cp1252"), name="alt.csv")


def test_unreadable_data_folder_file_falls_back_to_the_shipped_register(data_folder):
    local_path().parent.mkdir(parents=True)
    local_path().write_bytes(b"not parquet")
    assert load_register().status_date == date(2019, 12, 31)
