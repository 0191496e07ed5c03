"""Plain tidy CSV, as municipal statistics offices export register extracts.

Columns (German or English names, any order): region (``ags``/``region``/``gemeinde``/
``bezirk``), ``year``/``jahr``, ``sex``/``geschlecht``, either ``age``/``alter`` (a single
year, ``"100+"`` for an open group) or ``age_from``/``age_to`` (``age_to`` exclusive, empty for
an open group), ``count``/``anzahl``; optional ``name`` and ``event``/``ereignis``
(``births``, ``deaths``, ``moves_in``, ``moves_out``; empty = population).
Separator ``;`` (then decimal comma) or ``,``. Lines starting with ``#`` are comments.
"""

from __future__ import annotations

import csv
import math
import re

from ..ages import OPEN, TOTAL
from ..dataset import EVENTS
from ..errors import DemographyImportError
from ..regions import normalise_key
from .common import (
    SYNTHETIC_MARK,
    ParsedRows,
    add_record,
    check_age,
    parse_sex,
    parse_value,
    parse_year,
)

ALIASES = {
    "ags": ("ags", "ars", "region", "gemeinde", "bezirk", "stadtteil", "regionalschluessel",
            "regionalschlüssel"),
    "year": ("year", "jahr", "stichtag"),
    "sex": ("sex", "geschlecht"),
    "age": ("age", "alter"),
    "age_from": ("age_from", "alter_von"),
    "age_to": ("age_to", "alter_bis"),
    "count": ("count", "anzahl", "wert", "value"),
    "name": ("name", "bezeichnung"),
    "event": ("event", "ereignis"),
}
_OPEN_AGE = re.compile(r"^(\d+)\s*(\+|und (älter|mehr))$")


def looks_tidy(header: list[str]) -> bool:
    names = {h.strip().lower().lstrip("\ufeff") for h in header}
    return any(a in names for a in ALIASES["ags"]) and any(a in names for a in ALIASES["count"])


def parse_tidy(lines: list[str], header_at: int, file: str) -> ParsedRows:
    out = ParsedRows(layout="tidy")
    out.synthetic = any(SYNTHETIC_MARK in ln.upper() for ln in lines[:header_at])
    delimiter = ";" if lines[header_at].count(";") >= lines[header_at].count(",") else ","
    header = [h.strip().lower().lstrip("\ufeff") for h in
              next(csv.reader([lines[header_at]], delimiter=delimiter))]
    col = _columns(header, file, header_at + 1)
    for offset, row in enumerate(csv.reader(lines[header_at + 1:], delimiter=delimiter)):
        line = header_at + 2 + offset
        if not row or not any(c.strip() for c in row):
            continue
        if row[0].lstrip().startswith("#"):
            out.synthetic = out.synthetic or SYNTHETIC_MARK in ";".join(row).upper()
            continue
        if len(row) < len(header):
            raise DemographyImportError(f"Die Zeile hat {len(row)} statt {len(header)} Felder.",
                                        file=file, line=line)
        _parse_row(row, col, out, file, line, delimiter)
    if not out.population and not out.events:
        raise DemographyImportError("Die Datei enthält keine Datenzeilen.", file=file)
    return out


def _columns(header: list[str], file: str, line: int) -> dict[str, int]:
    col = {}
    for key, names in ALIASES.items():
        for n in names:
            if n in header:
                col[key] = header.index(n)
                break
    for needed in ("ags", "year", "count"):
        if needed not in col:
            raise DemographyImportError("Pflichtspalte fehlt.", file=file, line=line,
                                        field=ALIASES[needed][0])
    return col


def _parse_row(row, col, out, file, line, delimiter) -> None:
    ags = normalise_key(row[col["ags"]])
    if not ags:
        raise DemographyImportError("Region fehlt.", file=file, line=line, field="ags")
    year = parse_year(row[col["year"]], file=file, line=line, field_name="year")
    sex = "t"
    if "sex" in col:
        parsed = parse_sex(row[col["sex"]])
        if parsed is None:
            raise DemographyImportError(f"Unbekanntes Geschlecht „{row[col['sex']]}“.",
                                        file=file, line=line, field="sex")
        sex = parsed
    age = _age(row, col, file, line)
    if age != TOTAL:
        field = "age" if "age" in col else "age_from"
        check_age(age, row[col[field]].strip(), file=file, line=line, field_name=field)
    text = row[col["count"]]
    if delimiter == "," and "," in text:
        raise DemographyImportError(f"„{text}“ ist keine Zahl.", file=file, line=line,
                                    field="count")
    value, flag = parse_value(text, file=file, line=line, field_name="count")
    kind = "population"
    if "event" in col and row[col["event"]].strip():
        kind = row[col["event"]].strip().lower()
        if kind not in EVENTS:
            raise DemographyImportError(f"Unbekanntes Ereignis „{kind}“.", file=file, line=line,
                                        field="event")
    if "name" in col and row[col["name"]].strip():
        out.names.setdefault(ags, row[col["name"]].strip())
    add_record(out, kind, ags, year, sex, age, value, flag, line)


def _age(row, col, file, line) -> tuple[int, float]:
    if "age" in col:
        text = row[col["age"]].strip()
        if not text or text.lower() in ("insgesamt", "total"):
            return TOTAL
        m = _OPEN_AGE.match(text)
        if m:
            return int(m[1]), OPEN
        if text.isdigit():
            return int(text), float(int(text) + 1)
        raise DemographyImportError(f"„{text}“ ist kein Alter.", file=file, line=line,
                                    field="age")
    if "age_from" in col:
        lo, hi = row[col["age_from"]].strip(), row[col.get("age_to", -1)].strip() if "age_to" in col else ""
        if not lo.isdigit() or (hi and not hi.isdigit()) or (hi and int(hi) <= int(lo)):
            raise DemographyImportError(f"Ungültige Altersklasse „{lo}–{hi}“.", file=file,
                                        line=line, field="age_from")
        return int(lo), float(int(hi)) if hi else math.inf
    return TOTAL
