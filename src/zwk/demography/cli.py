"""``zwk demography …`` – command line of the demography library.

The top-level ``zwk`` command calls :func:`main` with the arguments after ``demography``.
Errors of the library are printed in German to stderr with exit code 2, without traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import pandas as pd

from .dataset import Dataset
from .errors import DemographyError
from .indicators import indicators_table
from .io import read_files

SYNTHETIC_WARNING = "Hinweis: SYNTHETISCHE DEMODATEN – keine amtlichen Zahlen."


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except DemographyError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head`: not an error of ours
        return 0
    except OSError as exc:
        print(f"Fehler: {exc.strerror or exc} ({exc.filename or ''})", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zwk demography",
                                     description="Bevölkerungsdaten lesen, auswerten, vorausberechnen.")
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("inspect", help="zeigt, was Dateien enthalten")
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_inspect)
    p = sub.add_parser("indicators", help="berechnet die Kennzahlen")
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_indicators)
    p = sub.add_parser("project", help="Bevölkerungsvorausberechnung (CSV oder Parquet)")
    p.add_argument("files", nargs="+")
    p.add_argument("--output", "-o", help="Zieldatei, .csv oder .parquet")
    p.add_argument("--json", action="store_true",
                   help="Summen je Region und Jahr mit Geburten, Sterbefällen, Zu- und "
                        "Fortzügen als JSON ausgeben")
    p.add_argument("--scenario", default="basis")
    p.add_argument("--set", action="append", default=[], metavar="ANNAHME=WERT",
                   help="eigene Annahme, z. B. --set fertility_factor=0,95")
    p.add_argument("--years", type=int, default=20)
    p.add_argument("--base-year", type=int)
    p.add_argument("--regions", nargs="*")
    p.add_argument("--detail", choices=["totals", "groups", "ages"], default="totals")
    p.add_argument("--stochastic", type=int, default=0, metavar="N",
                   help="N stochastische Pfade; Ausgabe als Perzentile 10/50/90")
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(handler=_project)
    p = sub.add_parser("backtest", help="Rückrechnung ab einem früheren Basisjahr")
    p.add_argument("files", nargs="+")
    p.add_argument("--base-year", type=int, required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_backtest)
    p = sub.add_parser("compare", help="Vergleich mit einer amtlichen Vorausberechnung")
    p.add_argument("files", nargs="+")
    p.add_argument("--official", required=True, help="CSV der amtlichen Vorausberechnung")
    p.add_argument("--region", required=True, help="AGS der Gemeinde oder des Kreises")
    p.add_argument("--scenario", default="basis")
    p.add_argument("--set", action="append", default=[], metavar="ANNAHME=WERT")
    p.add_argument("--base-year", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_compare)
    p = sub.add_parser("scenarios", help="listet die Szenarien")
    p.set_defaults(handler=_scenarios)
    p = sub.add_parser("typology", help="Typisierung der Gemeinden")
    p.add_argument("files", nargs="+")
    p.add_argument("--k", type=int)
    p.set_defaults(handler=_typology)
    p = sub.add_parser("fetch", help="lädt eine Tabelle über die GENESIS-API (pystatis)")
    p.add_argument("table", help="Tabellencode, z. B. 12411-02-03-5")
    p.add_argument("--output", "-o", required=True, help="Zieldatei (ffcsv)")
    p.add_argument("--db", choices=["regio", "genesis"], default="regio")
    p.add_argument("--startyear", default="")
    p.add_argument("--endyear", default="")
    p.add_argument("--regionalkey", default="", help="z. B. 05958* für einen Kreis")
    p.add_argument("--regionalvariable", default="")
    p.set_defaults(handler=_fetch)
    p = sub.add_parser("synth", help="schreibt die synthetischen Demodaten als Dateien")
    p.add_argument("directory")
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--start-year", type=int, default=2011)
    p.add_argument("--end-year", type=int, default=2023)
    p.add_argument("--germany", action="store_true",
                   help="alle bewohnten Gemeinden des Gemeindeverzeichnisses (nach Geschlecht "
                        "und 17 Altersgruppen, kalibriert auf deren Einwohnerzahlen)")
    p.add_argument("--land", action="append", metavar="LL",
                   help="mit --germany: nur dieses Land (z. B. 05), mehrfach möglich")
    p.set_defaults(handler=_synth)
    return parser


def _clean(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
        return None if isinstance(value, float) and math.isnan(value) else value
    return value


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _clean(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _warn_if_synthetic(dataset: Dataset, as_json: bool) -> None:
    if dataset.synthetic:
        print(SYNTHETIC_WARNING, file=sys.stderr if as_json else sys.stdout)


def _inspect(args) -> int:
    dataset = read_files(args.files)
    totals = dataset.totals().sort_values(["ags", "year"])
    totals.insert(1, "name", totals["ags"].map(dataset.name))
    totals["synthetic"] = dataset.synthetic
    if args.json:
        _warn_if_synthetic(dataset, True)
        print(json.dumps(_records(totals[["ags", "name", "year", "total", "male", "female",
                                          "synthetic"]]), ensure_ascii=False, indent=1))
        return 0
    _warn_if_synthetic(dataset, False)
    print(f"Dateien: {', '.join(dataset.files)}")
    print(f"Quelle: {dataset.source}")
    print(f"Regionen: {len(dataset.regions)}, Jahre: {min(dataset.years)}–{max(dataset.years)}")
    events = sorted(set(dataset.events["event"]))
    print(f"Ereignisse: {', '.join(events) if events else 'keine'}")
    print(totals.drop(columns="synthetic").to_string(index=False))
    return 0


def _indicators(args) -> int:
    dataset = read_files(args.files)
    table = indicators_table(dataset)
    if args.json:
        _warn_if_synthetic(dataset, True)
        print(json.dumps(_records(table), ensure_ascii=False, indent=1))
        return 0
    _warn_if_synthetic(dataset, False)
    with pd.option_context("display.width", 200, "display.max_columns", None):
        print(table.round(2).to_string(index=False))
    return 0


def _scenario(args):
    from .projection import get_scenario, scenario_from_dict

    if not args.set:
        return get_scenario(args.scenario)
    values = {}
    for item in args.set:
        if "=" not in item:
            raise DemographyError(f"„{item}“: erwartet wird ANNAHME=WERT.")
        key, value = item.split("=", 1)
        values[key.strip()] = value.strip()
    return scenario_from_dict(values, base=args.scenario)


def _project(args) -> int:
    from .projection import project, project_stochastic

    if not args.output and not args.json:
        raise DemographyError("Bitte eine Zieldatei (-o) oder --json angeben.")
    dataset = read_files(args.files)
    scenario = _scenario(args)
    if args.stochastic:
        result = project_stochastic(dataset, scenario, trajectories=args.stochastic,
                                    years=args.years, seed=args.seed, regions=args.regions,
                                    base_year=args.base_year)
        frame = result.to_frame()
    else:
        result = project(dataset, scenario, years=args.years, regions=args.regions,
                         base_year=args.base_year)
        frame = result.to_frame("totals" if args.json else args.detail)
    if args.json:
        _warn_if_synthetic(dataset, True)
        print(json.dumps(_records(frame), ensure_ascii=False, indent=1))
    if args.output:
        _write(frame, Path(args.output))
        _warn_if_synthetic(dataset, False)
        print(f"Vorausberechnung „{scenario.label}“: {frame['ags'].nunique()} Regionen, "
              f"{len(frame)} Zeilen → {args.output}", file=sys.stderr if args.json else sys.stdout)
    return 0


def _write(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".parquet":
        frame.to_parquet(path, index=False)
    elif path.suffix.lower() == ".csv":
        frame.to_csv(path, index=False)
    else:
        raise DemographyError(f"Unbekanntes Ausgabeformat „{path.suffix}“ (.csv oder .parquet).")


def _backtest(args) -> int:
    from .projection import backtest, backtest_summary

    dataset = read_files(args.files)
    errors = backtest(dataset, args.base_year)
    summary = backtest_summary(errors)
    if args.json:
        print(json.dumps(_records(errors), ensure_ascii=False, indent=1))
    else:
        _warn_if_synthetic(dataset, False)
        print(f"Sterbetafel (Destatis) {errors['reference_period'].iloc[0]}, bekannt im "
              f"Basisjahr {args.base_year}")
        print(errors.drop(columns="reference_period").round(2).to_string(index=False))
        print(summary.drop(columns="hinweis").round(2).to_string(index=False))
        for row in summary[summary["worse_than_naive"]].itertuples():
            print(f"Hinweis {row.name}: {row.hinweis}")
    return 0


def _compare(args) -> int:
    from .official import compare_with_official, read_official_projection
    from .projection import project

    official = read_official_projection(Path(args.official))
    dataset = read_files(args.files)
    years = int(official.totals().index.get_level_values(1).max())
    result = project(dataset, _scenario(args), regions=[args.region], base_year=args.base_year,
                     years=max(1, min(100, years - (args.base_year or max(dataset.years)))))
    frame = compare_with_official(result, official, args.region)
    if official.synthetic:
        print("Hinweis: Die Vergleichsdatei ist SYNTHETISCH – keine amtliche Vorausberechnung.",
              file=sys.stderr)
    if args.json:
        print(json.dumps(_records(frame), ensure_ascii=False, indent=1))
    else:
        _warn_if_synthetic(dataset, False)
        print(frame.round(1).to_string(index=False))
    return 0


def _scenarios(args) -> int:
    from .projection import SCENARIOS

    for key, s in SCENARIOS.items():
        print(f"{key:26s} {s.label}")
    return 0


def _typology(args) -> int:
    from .typology import fit_typology

    dataset = read_files(args.files)
    table = indicators_table(dataset)
    latest = table.sort_values("year").groupby("ags").last().reset_index()
    latest = latest[latest["ags"].str.len() == 8]
    typology = fit_typology(latest, k=args.k)
    _warn_if_synthetic(dataset, False)
    print(f"Silhouette: {typology.silhouette:.2f}")
    print(typology.assignments.assign(name_gemeinde=typology.assignments["ags"].map(
        dataset.name)).to_string(index=False))
    return 0


def _fetch(args) -> int:
    from .io import read_content
    from .io.genesis import fetch_raw

    text = fetch_raw(args.table, db=args.db, startyear=args.startyear, endyear=args.endyear,
                     regionalvariable=args.regionalvariable, regionalkey=args.regionalkey)
    dataset = read_content(text, args.table)        # check before writing anything
    path = Path(args.output)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"{args.table}: {len(dataset.regions)} Regionen, Jahre {min(dataset.years)}–"
          f"{max(dataset.years)} → {path}")
    print(f"Quelle: {dataset.source}")
    return 0


def _synth(args) -> int:
    from .official import write_demo_official
    from .synthetic import write_demo_files

    if args.germany:
        return _synth_germany(args)
    if args.land:
        raise DemographyError("--land gilt nur zusammen mit --germany.")
    paths = write_demo_files(args.directory, seed=args.seed, start_year=args.start_year,
                             end_year=args.end_year)
    if args.start_year <= 2017 and args.end_year >= 2021:
        paths.append(write_demo_official(Path(args.directory) / "vergleich", seed=args.seed))
    print(SYNTHETIC_WARNING)
    for p in paths:
        print(p)
    return 0


def _synth_germany(args) -> int:
    from .synthetic_germany import write_germany

    path = write_germany(args.directory, seed=args.seed, laender=args.land)
    print(SYNTHETIC_WARNING)
    print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
