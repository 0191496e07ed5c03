"""GENESIS flat files: the current long "ffcsv" layout and the older wide layout.

Long (GENESIS 5): ``statistics_code; …; time; i_variable_code; i_variable_label;
i_variable_attribute_code; i_variable_attribute_label; …; value; value_unit;
value_variable_code; value_variable_label`` – one value per row.

Wide (older): ``Statistik_Code; …; Zeit; i_Merkmal_Code; i_Merkmal_Label; i_Auspraegung_Code;
i_Auspraegung_Label; …`` and one value column per quantity named ``CODE__Label__Unit``.

In both, a classifying variable left empty means "all" (the total over that variable).
"""

from __future__ import annotations

import csv
import re

from ..errors import DemographyImportError
from ..regions import normalise_key
from .common import (
    REGION_VARIABLES,
    SYNTHETIC_MARK,
    ParsedRows,
    add_record,
    age_or_total,
    check_age,
    parse_sex,
    parse_value,
    parse_year,
    table_kind,
    value_kind,
)

LONG = dict(stat="statistics_code", time="time", var="{i}_variable_code",
            attr="{i}_variable_attribute_code", attr_label="{i}_variable_attribute_label",
            var_re=r"^(\d+)_variable_code$")
WIDE = dict(stat="Statistik_Code", time="Zeit", var="{i}_Merkmal_Code",
            attr="{i}_Auspraegung_Code", attr_label="{i}_Auspraegung_Label",
            var_re=r"^(\d+)_Merkmal_Code$")


def parse_flat(lines: list[str], header_at: int, file: str, wide: bool) -> ParsedRows:
    """Parse a flat file whose header is ``lines[header_at]``."""
    spec = WIDE if wide else LONG
    out = ParsedRows(layout="flat-wide" if wide else "ffcsv")
    out.synthetic = any(SYNTHETIC_MARK in ln.upper() for ln in lines[:header_at])
    header = next(csv.reader([lines[header_at]], delimiter=";"))
    header = [h.strip().lstrip("\ufeff") for h in header]
    col = {h: i for i, h in enumerate(header)}
    _require(col, [spec["stat"], spec["time"]], file, header_at + 1)
    var_numbers = sorted(int(m[1]) for h in header if (m := re.match(spec["var_re"], h)))
    value_columns = _value_columns(header, wide, col, file, header_at + 1)
    rows = csv.reader(lines[header_at + 1:], delimiter=";")
    for offset, row in enumerate(rows):
        line = header_at + 2 + offset
        if not any(cell.strip() for cell in row):
            continue
        if SYNTHETIC_MARK in ";".join(row).upper():
            out.synthetic = True
            if len([c for c in row if c.strip()]) <= 1:  # a comment line, not a record
                continue
        if len(row) < len(header):
            raise DemographyImportError(
                f"Die Zeile hat {len(row)} statt {len(header)} Felder; die Datei ist "
                "unvollständig oder beschädigt.", file=file, line=line)
        _parse_row(row, col, spec, var_numbers, value_columns, out, file, line)
    if not out.population and not out.events:
        raise DemographyImportError("Die Datei enthält keine verwertbaren Daten.", file=file)
    return out


def _require(col: dict[str, int], names: list[str], file: str, line: int) -> None:
    for name in names:
        if name not in col:
            raise DemographyImportError("Pflichtspalte fehlt.", file=file, line=line, field=name)


def _value_columns(header: list[str], wide: bool, col: dict[str, int], file: str,
                   line: int) -> list[tuple[int, str, str]]:
    """(index, code, label) of the value columns; in the long layout one per row instead."""
    if not wide:
        _require(col, ["value", "value_variable_code", "value_variable_label"], file, line)
        return []
    found = []
    for i, h in enumerate(header):
        parts = h.split("__")
        if len(parts) >= 2 and not h.endswith("__q"):
            found.append((i, parts[0], parts[1].replace("_", " ")))
    if not found:
        raise DemographyImportError("Keine Wertspalte (Name der Form CODE__Bezeichnung__Einheit).",
                                    file=file, line=line)
    return found


def _parse_row(row, col, spec, var_numbers, value_columns, out, file, line) -> None:
    stat = row[col[spec["stat"]]].strip()
    table = table_kind(stat)
    if table is None:
        raise DemographyImportError(
            f"Unbekannte Tabelle „{stat}“; gelesen werden 12411 (Bevölkerung), 12612 "
            "(Geburten), 12613 (Sterbefälle) und 12711 (Wanderungen).",
            file=file, line=line, field=spec["stat"])
    out.tables.add(stat)
    year = parse_year(row[col[spec["time"]]], file=file, line=line, field_name=spec["time"])
    dims = _dimensions(row, col, spec, var_numbers, out, file, line)
    if dims is None:
        return
    ags, sex, age = dims
    if value_columns:
        for index, code, label in value_columns:
            _add_value(out, table, code, label, row[index], header_name=f"{code}", ags=ags,
                       year=year, sex=sex, age=age, file=file, line=line)
    else:
        _add_value(out, table, row[col["value_variable_code"]], row[col["value_variable_label"]],
                   row[col["value"]], header_name="value", ags=ags, year=year, sex=sex, age=age,
                   file=file, line=line)


def _add_value(out, table, code, label, text, *, header_name, ags, year, sex, age, file,
               line) -> None:
    kind = value_kind(table, code, label)
    if kind is None:
        return
    value, flag = parse_value(text, file=file, line=line, field_name=header_name)
    add_record(out, kind, ags, year, sex, age, value, flag, line)


def _dimensions(row, col, spec, var_numbers, out, file, line):
    """Region, sex and age of a row; None if the row is split by a variable we do not model."""
    ags, sex, age = None, "t", (0, float("inf"))
    for i in var_numbers:
        var = row[col[spec["var"].format(i=i)]].strip()
        code = row[col[spec["attr"].format(i=i)]].strip()
        label = row[col[spec["attr_label"].format(i=i)]].strip()
        if var in REGION_VARIABLES:
            ags = normalise_key(code)
            if label:
                out.names.setdefault(ags, label)
        elif var == "GES":
            parsed = parse_sex(code) or parse_sex(label)
            if parsed is None:
                raise DemographyImportError(f"Unbekanntes Geschlecht „{code}“.", file=file,
                                            line=line, field=spec["attr"].format(i=i))
            sex = parsed
        elif var.startswith("ALT") or code.startswith("ALT"):
            parsed_age = age_or_total(code, label)
            if parsed_age is None:
                raise DemographyImportError(f"Unbekannte Altersangabe „{code or label}“.",
                                            file=file, line=line,
                                            field=spec["attr"].format(i=i))
            age = check_age(parsed_age, code or label, file=file, line=line,
                            field_name=spec["attr"].format(i=i))
        elif var and code:
            return None  # split by e.g. nationality: not part of our model
    if ags is None:
        raise DemographyImportError("Die Zeile nennt keine Region (GEMEIN, KREISE, DLAND …).",
                                    file=file, line=line)
    return ags, sex, age
