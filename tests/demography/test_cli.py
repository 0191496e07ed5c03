"""The ``zwk demography`` command line, called through ``main([...])``."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from zwk.demography.cli import main


def test_inspect_json_one_object_per_region_and_year(data_dir, capsys):
    assert main(["inspect", str(data_dir / "12411-0018_tabelle.csv"), "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 4
    hsk = next(r for r in records if r["ags"] == "05958" and r["year"] == 2022)
    assert hsk["name"] == "Hochsauerlandkreis"
    assert hsk["total"] == 262240 and hsk["male"] == 129730 and hsk["female"] == 132510
    olpe_2021 = next(r for r in records if r["ags"] == "05966" and r["year"] == 2021)
    # Olpe 2021: women 75+ are "/" (not reliable) and the table has no total column,
    # so the female and overall totals are unknown – null, not a partial sum
    assert olpe_2021["female"] is None and olpe_2021["total"] is None
    assert olpe_2021["male"] == 71500


def test_inspect_text_mentions_source_and_synthetic_marker(demo_files, capsys):
    assert main(["inspect", *map(str, demo_files)]) == 0
    out = capsys.readouterr().out
    assert "SYNTHETISCHE DEMODATEN" in out and "Hochsauerlandkreis" in out


def test_indicators_json_numbers_or_null(data_dir, capsys):
    assert main(["indicators", str(data_dir / "12411-02-03-5_ffcsv.csv"), "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    row = next(r for r in records if r["ags"] == "05958020")
    for key in ("ags", "year", "jugendquotient", "altenquotient", "anteil_unter_18",
                "anteil_65_plus", "medianalter"):
        assert key in row
    assert isinstance(row["altenquotient"], float)
    assert row["anteil_80_plus"] is None                     # 75+ is the top group
    assert row["geburten_je_1000"] is None                   # no births in this file


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_project_writes_csv_and_parquet(demo_files, tmp_path, capsys, suffix):
    out = tmp_path / f"ergebnis.{suffix}"
    assert main(["project", *map(str, demo_files), "-o", str(out), "--years", "5",
                 "--scenario", "zuwanderung_hoch"]) == 0
    frame = pd.read_csv(out, dtype={"ags": str}) if suffix == "csv" else pd.read_parquet(out)
    assert set(frame["ags"]) >= {"05958", "05958004"}
    assert frame["year"].max() == 2028 and frame["synthetic"].all()
    assert "Hohe Zuwanderung" in capsys.readouterr().out


def test_project_stochastic_percentiles(demo_files, tmp_path):
    out = tmp_path / "band.csv"
    assert main(["project", *map(str, demo_files), "-o", str(out), "--years", "3",
                 "--stochastic", "30", "--regions", "05958020"]) == 0
    frame = pd.read_csv(out, dtype={"ags": str})
    assert {"p10", "p50", "p90"} <= set(frame.columns)
    assert (frame["p10"] <= frame["p90"]).all()


def test_bad_file_exit_code_2_german_message_no_traceback(data_dir, capsys):
    assert main(["inspect", str(data_dir / "bad_nonnumeric.csv")]) == 2
    err = capsys.readouterr().err
    assert "Zeile 5" in err and "keine Zahl" in err and "Traceback" not in err


def test_impossible_assumption_exit_code_2(demo_files, tmp_path, capsys):
    code = main(["project", *map(str, demo_files), "-o", str(tmp_path / "x.csv"),
                 "--set", "fertility_factor=-1"])
    assert code == 2
    assert "Fertilitätsfaktor" in capsys.readouterr().err


def test_scenarios_and_synth(tmp_path, capsys):
    assert main(["scenarios"]) == 0
    assert "Basisvariante" in capsys.readouterr().out
    assert main(["synth", str(tmp_path / "demo"), "--start-year", "2018", "--end-year", "2020"]) == 0
    files = sorted(p.name for p in (tmp_path / "demo").iterdir())
    assert "12411-02-03-5_flat.zip" in files and "melderegister_arnsberg.csv" in files


def test_backtest_json(demo_files, capsys):
    assert main(["backtest", *map(str, demo_files), "--base-year", "2020", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {r["year"] for r in records} == {2021, 2022, 2023}
    assert all("error_pct" in r for r in records)


def test_fetch_without_credentials_fails_in_german(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("PYSTATIS_REGIO_API_USERNAME", raising=False)
    monkeypatch.delenv("PYSTATIS_REGIO_API_PASSWORD", raising=False)
    assert main(["fetch", "12411-02-03-5", "-o", str(tmp_path / "x.csv")]) == 2
    assert "Zugangsdaten fehlen" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_fetch_writes_the_recorded_response(tmp_path, capsys, monkeypatch, data_dir):
    from zwk.demography.io import genesis

    response = (data_dir / "recorded" / "pystatis_12411-02-03-5_Hallenberg.csv").read_text(
        encoding="utf-8-sig")

    class Recorded:
        def __init__(self, name):
            self.raw_data = ""

        def fetch(self, **params):
            self.raw_data = response

    monkeypatch.setenv("PYSTATIS_REGIO_API_USERNAME", "nutzer")
    monkeypatch.setenv("PYSTATIS_REGIO_API_PASSWORD", "geheim")
    monkeypatch.setattr(genesis, "_table_class", lambda: Recorded)
    monkeypatch.setattr(genesis, "_ensure_pystatis_config", lambda db: None)
    out = tmp_path / "hallenberg.csv"
    assert main(["fetch", "12411-02-03-5", "-o", str(out), "--regionalkey", "05958020"]) == 0
    assert "1 Regionen" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8") == response


def test_project_json_shows_where_the_change_comes_from(demo_files, capsys):
    assert main(["project", *map(str, demo_files), "--json", "--years", "4",
                 "--regions", "05958", "05958020"]) == 0
    records = json.loads(capsys.readouterr().out)
    kreis = sorted((r for r in records if r["ags"] == "05958"), key=lambda r: r["year"])
    assert [r["year"] for r in kreis] == [2023, 2024, 2025, 2026, 2027]
    assert kreis[0]["births"] is None                   # the base year has no components
    for before, after in zip(kreis, kreis[1:], strict=False):
        change = after["births"] - after["deaths"] + after["moves_in"] - after["moves_out"]
        assert after["total"] == pytest.approx(before["total"] + change, abs=1e-6)
    town = [r for r in records if r["ags"] == "05958020"][1]
    assert town["internal_in"] > 0 and town["internal_out"] > 0   # moves within the Kreis


def test_stochastic_projection_honours_the_base_year(demo_files, tmp_path):
    out = tmp_path / "band.csv"
    assert main(["project", *map(str, demo_files), "-o", str(out), "--years", "3",
                 "--stochastic", "20", "--regions", "05958020", "--base-year", "2020"]) == 0
    frame = pd.read_csv(out, dtype={"ags": str})
    assert frame["year"].min() == 2020 and frame["year"].max() == 2023
