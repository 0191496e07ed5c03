"""``zwk register …`` – the municipality register on the command line.

    zwk register show 05958004 [--json]     one Gemeinde or Kreis (AGS, ARS or Kreis key)
    zwk register search "Schmallenberg" [--json] [--limit 10]
    zwk register load gv-auszug-2020-12-31.csv [--stand 2020-12-31]
    zwk register info

With --json the attribution line goes to stderr, so stdout stays plain JSON.
Errors are printed in German to stderr with exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from .extract import RegisterError
from .model import LICENCE, Register
from .store import import_extract, load_register


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except RegisterError as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head`: not an error of ours
        return 0


def _stand(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"„{text}“ ist kein Datum (JJJJ-MM-TT).") from error


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zwk register",
                                     description="Das amtliche Gemeindeverzeichnis (Destatis).")
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("show", help="zeigt eine Gemeinde oder einen Kreis")
    p.add_argument("key", help="AGS (8 Ziffern), ARS (12) oder Kreisschlüssel (5)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_show)
    p = sub.add_parser("search", help="sucht nach Name, Postleitzahl oder Schlüssel")
    p.add_argument("text", nargs="+")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=10)
    p.set_defaults(handler=_search)
    p = sub.add_parser("load", help="liest einen neueren Auszug gleichen Aufbaus ein")
    p.add_argument("file", type=Path)
    p.add_argument("--stand", type=_stand, help="Stichtag, z. B. 2020-12-31 (sonst aus dem "
                   "Dateinamen)")
    p.set_defaults(handler=_load)
    p = sub.add_parser("info", help="welches Verzeichnis gilt, mit Stand und Umfang")
    p.set_defaults(handler=_info)
    return parser


def _attribution(register: Register, as_json: bool) -> None:
    print(f"Quelle: {register.attribution}; {LICENCE}",
          file=sys.stderr if as_json else sys.stdout)


def _show(args) -> int:
    register = load_register()
    entry = register.entry(args.key)
    if entry is None or entry.level == "land":
        raise RegisterError(f"Im Gemeindeverzeichnis ({register.status_label}) gibt es keine "
                            f"Gemeinde und keinen Kreis mit dem Schlüssel „{args.key.strip()}“.")
    record = register.record(entry)
    if args.json:
        print(json.dumps(record, ensure_ascii=False, indent=1))
        _attribution(register, True)
        return 0
    print(_describe(register, entry))
    _attribution(register, False)
    return 0


def _number(value: int | float | None, digits: int = 0) -> str:
    """German number format (thousands dot, decimal comma); '–' for none."""
    if value is None:
        return "–"
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def _describe(register: Register, entry) -> str:
    record = register.record(entry)
    lines = [f"{entry.name} ({entry.kind_label})",
             f"  AGS {record['ags']}  ARS {record['ars']}",
             f"  Land: {record['land']}"]
    if entry.level == "gemeinde":
        lines.append(f"  Kreis: {record['kreis_name']} ({record['kreis_ags']})")
        verband = register.verband_name(entry.ars)
        if verband and verband != entry.name:
            lines.append(f"  Gemeindeverband: {verband}")
    else:
        lines.append(f"  Gemeinden: {entry.municipality_count}")
    lines += [
        f"  Einwohner:innen: {_number(entry.population)} (männlich {_number(entry.male)}, "
        f"weiblich {_number(entry.female)})",
        f"  Fläche: {_number(entry.area_km2, 2)} km², {_number(entry.density)} Einw./km²",
    ]
    if entry.level == "gemeinde":
        lines.append(f"  Verstädterung: {entry.degurba_label or '–'}; "
                     f"PLZ (Verwaltungssitz): {entry.postcode or '–'}")
    return "\n".join(lines)


def _search(args) -> int:
    register = load_register()
    text = " ".join(args.text)
    hits = register.search(text, limit=max(1, args.limit))
    if args.json:
        print(json.dumps([{**register.record(h.entry), "score": h.score, "match": h.match}
                          for h in hits], ensure_ascii=False, indent=1))
        _attribution(register, True)
        return 0
    if not hits:
        print(f"Keine Treffer für „{text}“.")
    for hit in hits:
        print(f"{hit.entry.ags:8s}  {hit.entry.name} ({hit.entry.kind_label}, "
              f"{register.land_name(hit.entry.ags)}), {_number(hit.entry.population)} Einw.")
    _attribution(register, False)
    return 0


def _summary(register: Register) -> str:
    return (f"{_number(len(register.municipalities))} Gemeinden "
            f"({_number(len(register.inhabited()))} bewohnt), {len(register.kreise)} Kreise, "
            f"{_number(register.population)} Einwohner:innen")


def _load(args) -> int:
    path, register = import_extract(args.file, status_date=args.stand)
    print(f"Gemeindeverzeichnis {register.status_label} übernommen: {_summary(register)} "
          f"→ {path}")
    return 0


def _info(args) -> int:
    register = load_register()
    origin = "mitgeliefert" if register.source == "shipped" else register.source
    print(f"Gemeindeverzeichnis {register.status_label} ({origin})")
    print(_summary(register))
    _attribution(register, False)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
