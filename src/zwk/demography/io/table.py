"""The GENESIS table download for people ("GENESIS-Tabelle: 12411-0018").

Shape: title lines; header rows whose leading key cells are empty and whose value cells carry
sex and age labels; one data row per date × region (``31.12.2020;05958;Hochsauerlandkreis;…``)
with one column per sex × age class; footer lines (``__________``, ``(C)opyright …``).
A date cell left empty repeats the date of the row above, as GENESIS prints it.
"""

from __future__ import annotations

import csv
import re

from ..ages import TOTAL, parse_age
from ..errors import DemographyImportError
from ..regions import normalise_key
from .common import (
    SYNTHETIC_MARK,
    ParsedRows,
    add_record,
    check_year,
    parse_sex,
    parse_value,
    table_kind,
)

_TITLE = re.compile(r"GENESIS-Tabelle:\s*([\w\-]+)", re.IGNORECASE)
_DATE = re.compile(r"^(\d{1,2}\.\d{1,2}\.)?(\d{4})$")
_REGION = re.compile(r"^(DG|\d{2,12})$")
_REGION_AND_NAME = re.compile(r"^(DG|\d{2,12})\s+(.+)$")
_FOOTER = ("__", "(c)", "©", "stand:", "quelle:", "fußnote", "hinweis")


def parse_table(lines: list[str], file: str) -> ParsedRows:
    out = ParsedRows(layout="genesis-tabelle")
    rows = list(csv.reader(lines, delimiter=";"))
    code = _table_code(lines, file)
    kind = table_kind(code)
    if kind is None:
        raise DemographyImportError(f"Unbekannte Tabelle „{code}“.", file=file, line=1,
                                    field="GENESIS-Tabelle")
    if kind == "moves":
        raise DemographyImportError(
            "Wanderungstabellen im Tabellen-Download werden nicht unterstützt; bitte als "
            "Flat-File (ffcsv) herunterladen.", file=file, line=1, field="GENESIS-Tabelle")
    out.tables.add(code)
    first_data = _first_data_row(rows, file)
    header_rows = [r for r in rows[:first_data] if r and not r[0].strip() and len(r) > 3]
    first_value = 2 if _REGION_AND_NAME.match(rows[first_data][1].strip()) else 3
    columns = _column_meaning(header_rows, file, first_data, first_value)
    date = None
    for index in range(first_data, len(rows)):
        row, line = rows[index], index + 1
        joined = ";".join(row).strip()
        if SYNTHETIC_MARK in joined.upper():
            out.synthetic = True
            continue
        if not joined.strip(";").strip():
            continue
        if _is_footer(row):
            # Everything after the separator line is footnotes and copyright.
            out.synthetic = out.synthetic or any(SYNTHETIC_MARK in ln.upper()
                                                 for ln in lines[index:])
            break
        date = _parse_data_row(row, line, columns, date, kind, out, file)
    out.synthetic = out.synthetic or any(SYNTHETIC_MARK in ln.upper() for ln in lines[:first_data])
    if not out.population and not out.events:
        raise DemographyImportError("Die Tabelle enthält keine Datenzeilen.", file=file)
    return out


def _table_code(lines: list[str], file: str) -> str:
    for ln in lines[:5]:
        m = _TITLE.search(ln)
        if m:
            return m[1]
    raise DemographyImportError("Titelzeile „GENESIS-Tabelle: …“ fehlt.", file=file, line=1)


def _is_footer(row: list[str]) -> bool:
    first = row[0].strip().lower()
    return first.startswith(_FOOTER)


def _first_data_row(rows: list[list[str]], file: str) -> int:
    for i, row in enumerate(rows):
        if len(row) > 3 and _DATE.match(row[0].strip()) and _region_cell(row):
            return i
    raise DemographyImportError("Keine Datenzeile (Datum; Regionalschlüssel; …) gefunden.",
                                file=file)


def _region_cell(row: list[str]) -> bool:
    return bool(_REGION.match(row[1].strip()) or _REGION_AND_NAME.match(row[1].strip()))


def _column_meaning(header_rows, file, first_data,
                    first_value) -> dict[int, tuple[str, tuple[int, float]]]:
    """Map value column index → (sex, age class) from the header rows above the data."""
    if not header_rows:
        raise DemographyImportError("Kopfzeilen mit Geschlecht und Altersgruppe fehlen.",
                                    file=file, line=first_data)
    width = max(len(r) for r in header_rows)
    meaning = {}
    for c in range(first_value, width):
        labels = [r[c].strip() for r in header_rows if c < len(r) and r[c].strip()]
        if not labels:
            continue
        sex, age = "t", None
        for label in labels:
            s = parse_sex(label)
            if s is not None and label.lower() != "insgesamt":
                sex = s
            a = parse_age(label)
            if a is not None and (age is None or a != TOTAL):
                age = a
        meaning[c] = (sex, age or TOTAL)
    if not meaning:
        raise DemographyImportError("Kopfzeilen ohne Spaltenbeschriftung.", file=file,
                                    line=first_data)
    return meaning


def _parse_data_row(row, line, columns, date, kind, out, file):
    first = row[0].strip()
    if first:
        m = _DATE.match(first)
        if not m:
            raise DemographyImportError(f"„{first}“ ist kein Stichtag.", file=file, line=line,
                                        field="Datum")
        date = int(m[2])
        check_year(date, first, file=file, line=line, field_name="Datum")
    if date is None:
        raise DemographyImportError("Datenzeile ohne Stichtag.", file=file, line=line)
    region = row[1].strip()
    split = _REGION_AND_NAME.match(region)
    name = row[2].strip() if len(row) > 2 else ""
    if split:
        region, name = split[1], split[2]
    if not _REGION.match(region):
        raise DemographyImportError(f"„{region}“ ist kein Regionalschlüssel.", file=file,
                                    line=line, field="Regionalschlüssel")
    ags = normalise_key(region)
    if name and not _DATE.match(name):
        out.names.setdefault(ags, name)
    last = max(columns)
    if len(row) <= last:
        raise DemographyImportError(
            f"Die Zeile hat {len(row)} statt {last + 1} Felder; die Datei ist unvollständig.",
            file=file, line=line)
    for c, (sex, age) in columns.items():
        value, flag = parse_value(row[c], file=file, line=line, field_name=f"Spalte {c + 1}")
        add_record(out, kind, ags, date, sex, age, value, flag, line)
    return date
