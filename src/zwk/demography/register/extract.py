"""Read the Destatis Gemeindeverzeichnis extract (GV-ISys "Auszug GV", CSV) into one table.

The CSV is the official spreadsheet converted by a third party (UTF-8 with BOM, `,`-separated),
one row per record: Land (satzart 10), Regierungsbezirk (20), Region (30), Kreis (40),
Gemeindeverband (50), Gemeinde (60). Numbers carry a space as thousands separator and leading
spaces (` 1 701`), the area a decimal point, the coordinates a decimal comma. Names carry
official suffixes (", Stadt", ", M") and sometimes double spaces.

:func:`read_extract` returns the normalised table the register ships (one row per Land, Kreis,
Gemeindeverband and Gemeinde; keys as strings) or raises :class:`RegisterError` naming the line
and field at fault. Nothing is written here.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import DemographyImportError
from ..regions import LAENDER

#: The columns of the extract, in this order (the first carries the byte-order mark).
COLUMNS = (
    "satzart", "textkennzeichen", "land", "rb", "kreis", "vb", "gemeinde", "gemeindename",
    "flaeche", "bevoelkerung", "maennlich", "weiblich", "jekm2", "postleitzahl", "laengengrad",
    "breitengrad", "schluessel", "bezeichnung", "verstaedterungschluessel",
    "verstaedterungbezeichnung",
)
LAND, KREIS, VERBAND, GEMEINDE = 10, 40, 50, 60
#: Record types kept in the register (Regierungsbezirk and BW Region rows carry no figures).
KEPT_LEVELS = (LAND, KREIS, VERBAND, GEMEINDE)
KNOWN_LEVELS = {10, 20, 30, 40, 50, 60}
#: Columns of the normalised table, in this order.
TABLE_COLUMNS = (
    "level", "kind_code", "ags", "ars", "name", "area_km2", "population", "male", "female",
    "density", "postcode", "lat", "lon", "degurba",
)
#: Bounding box of Germany (WGS84, with a small margin) for the plausibility check.
_LAT, _LON = (47.2, 55.1), (5.8, 15.1)
_KEY_WIDTHS = {"land": 2, "rb": 1, "kreis": 2, "vb": 4, "gemeinde": 3}


class RegisterError(DemographyImportError):
    """The register file cannot be read or does not hold what it should (German message)."""


@dataclass
class _Row:
    """One record as read, with the line it came from (1-based, the header is line 1)."""

    line: int
    values: dict[str, str]


def read_extract(source: str | Path | bytes, *, name: str | None = None) -> pd.DataFrame:
    """The normalised register table from a GV-ISys extract CSV (path or bytes)."""
    if isinstance(source, bytes):
        text, file_name = _decode(source, name or "Gemeindeverzeichnis"), name
    else:
        path = Path(source)
        file_name = name or path.name
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise RegisterError(f"Die Datei lässt sich nicht lesen ({error.strerror}).",
                                file=file_name) from error
        text = _decode(raw, file_name)
    rows = _rows(text, file_name)
    records = [_record(row, file_name) for row in rows
               if int(row.values["satzart"]) in KEPT_LEVELS]
    table = pd.DataFrame.from_records(records, columns=TABLE_COLUMNS)
    table = table.astype({"level": "int8", "population": "Int64", "male": "Int64",
                          "female": "Int64", "density": "Int64", "degurba": "Int8",
                          "area_km2": "float64", "lat": "float64", "lon": "float64",
                          "kind_code": "string", "ags": "string", "ars": "string",
                          "name": "string", "postcode": "string"})
    _check_table(table, file_name)
    return table


def _decode(raw: bytes, file_name: str | None) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RegisterError("Die Datei ist nicht UTF-8-kodiert; erwartet wird der "
                            "CSV-Auszug des Gemeindeverzeichnisses (UTF-8).",
                            file=file_name) from error


def _rows(text: str, file_name: str | None) -> list[_Row]:
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    if tuple(header) != COLUMNS:
        missing = [c for c in COLUMNS if c not in header]
        detail = (f"es fehlen die Spalten {', '.join(missing)}" if missing
                  else "die Spalten stehen in anderer Reihenfolge")
        raise RegisterError(f"Die Kopfzeile passt nicht zum Auszug des Gemeindeverzeichnisses: "
                            f"{detail}. Erwartet: {','.join(COLUMNS)}.", file=file_name, line=1)
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(COLUMNS):
            raise RegisterError(f"Die Zeile hat {len(values)} statt {len(COLUMNS)} Felder.",
                                file=file_name, line=number)
        row = _Row(number, dict(zip(COLUMNS, values, strict=True)))
        satzart = row.values["satzart"].strip()
        if not satzart.isdigit() or int(satzart) not in KNOWN_LEVELS:
            raise RegisterError(f"Unbekannte Satzart „{satzart}“ (erwartet 10 bis 60).",
                                file=file_name, line=number, field="satzart")
        rows.append(row)
    if not rows:
        raise RegisterError("Die Datei enthält keine Datensätze.", file=file_name)
    return rows


def _key_part(row: _Row, column: str, file_name: str | None) -> str:
    value = row.values[column].strip()
    if len(value) != _KEY_WIDTHS[column] or not value.isdigit():
        raise RegisterError(f"Der Schlüsselteil „{value}“ muss {_KEY_WIDTHS[column]} Ziffern "
                            "haben.", file=file_name, line=row.line, field=column)
    return value


def _keys(row: _Row, level: int, file_name: str | None) -> tuple[str, str]:
    """(AGS, ARS) of a record: Land 2/2, Kreis 5/5, Verband –/9, Gemeinde 8/12 digits."""
    land = _key_part(row, "land", file_name)
    if land not in LAENDER:
        raise RegisterError(f"Unbekannte Länderkennung „{land}“ (01–16).", file=file_name,
                            line=row.line, field="land")
    if level == LAND:
        return land, land
    kreis = land + _key_part(row, "rb", file_name) + _key_part(row, "kreis", file_name)
    if level == KREIS:
        return kreis, kreis
    verband = kreis + _key_part(row, "vb", file_name)
    if level == VERBAND:
        return "", verband
    gemeinde = _key_part(row, "gemeinde", file_name)
    return kreis + gemeinde, verband + gemeinde


def _integer(row: _Row, column: str, file_name: str | None) -> int | None:
    value = re.sub(r"\s", "", row.values[column])
    if not value:
        return None
    if not value.isdigit():
        raise RegisterError(f"„{row.values[column].strip()}“ ist keine ganze Zahl.",
                            file=file_name, line=row.line, field=column)
    return int(value)


def _decimal(row: _Row, column: str, file_name: str | None, *, comma: bool) -> float | None:
    value = row.values[column].strip()
    if not value:
        return None
    text = value.replace(",", ".") if comma else value
    try:
        return float(text)
    except ValueError as error:
        separator = "Dezimalkomma" if comma else "Dezimalpunkt"
        raise RegisterError(f"„{value}“ ist keine Zahl (erwartet mit {separator}).",
                            file=file_name, line=row.line, field=column) from error


def _record(row: _Row, file_name: str | None) -> dict:
    level = int(row.values["satzart"])
    ags, ars = _keys(row, level, file_name)
    name = re.sub(r"\s+", " ", row.values["gemeindename"]).strip()
    if not name:
        raise RegisterError("Der Name fehlt.", file=file_name, line=row.line,
                            field="gemeindename")
    record = {"level": level, "kind_code": row.values["textkennzeichen"].strip(), "ags": ags,
              "ars": ars, "name": name}
    if level != GEMEINDE:
        return record
    record.update({
        "area_km2": _decimal(row, "flaeche", file_name, comma=False),
        "population": _integer(row, "bevoelkerung", file_name),
        "male": _integer(row, "maennlich", file_name),
        "female": _integer(row, "weiblich", file_name),
        "density": _integer(row, "jekm2", file_name),
        "postcode": row.values["postleitzahl"].strip() or None,
        "lon": _decimal(row, "laengengrad", file_name, comma=True),
        "lat": _decimal(row, "breitengrad", file_name, comma=True),
        "degurba": _integer(row, "verstaedterungschluessel", file_name),
    })
    if record["lat"] == 0 and record["lon"] == 0:   # "0,0" stands for "no coordinates"
        record["lat"] = record["lon"] = None
    _check_municipality(row, record, file_name)
    return record


def _check_municipality(row: _Row, record: dict, file_name: str | None) -> None:
    population, male, female = record["population"], record["male"], record["female"]
    if population is None:
        raise RegisterError("Die Einwohnerzahl fehlt.", file=file_name, line=row.line,
                            field="bevoelkerung")
    if male is not None and female is not None and male + female != population:
        raise RegisterError(f"Männlich ({male}) und weiblich ({female}) ergeben nicht die "
                            f"Einwohnerzahl ({population}).", file=file_name, line=row.line,
                            field="bevoelkerung")
    if record["degurba"] not in (None, 1, 2, 3):
        raise RegisterError("Der Verstädterungsschlüssel muss 01, 02 oder 03 sein.",
                            file=file_name, line=row.line, field="verstaedterungschluessel")
    lat, lon = record["lat"], record["lon"]
    if lat is not None and lon is not None and not (_LAT[0] <= lat <= _LAT[1]
                                                    and _LON[0] <= lon <= _LON[1]):
        raise RegisterError(f"Die Koordinaten {lat}/{lon} liegen nicht in Deutschland "
                            "(Breitengrad 47–55,1, Längengrad 5,8–15,1 erwartet).",
                            file=file_name, line=row.line, field="breitengrad")
    postcode = record["postcode"]
    if postcode is not None and not (len(postcode) == 5 and postcode.isdigit()):
        raise RegisterError(f"Die Postleitzahl „{postcode}“ hat nicht fünf Ziffern.",
                            file=file_name, line=row.line, field="postleitzahl")


def _check_table(table: pd.DataFrame, file_name: str | None) -> None:
    """Whole-file checks: municipalities present, keys unique, every Gemeinde in a Kreis."""
    municipalities = table[table["level"] == GEMEINDE]
    if municipalities.empty:
        raise RegisterError("Die Datei enthält keine Gemeinden (Satzart 60).", file=file_name)
    duplicated = municipalities["ags"][municipalities["ags"].duplicated()]
    if len(duplicated):
        raise RegisterError("Gemeindeschlüssel kommen doppelt vor: "
                            + ", ".join(sorted(set(duplicated))[:5]) + ".", file=file_name)
    # Uninhabited areas may lie outside every Kreis (coastal waters: Kreis part "00").
    kreise = set(table.loc[table["level"] == KREIS, "ags"])
    inhabited = municipalities[municipalities["population"] > 0]
    orphans = sorted({a[:5] for a in inhabited["ags"]} - kreise)
    if orphans:
        raise RegisterError("Bewohnte Gemeinden ohne Kreis-Datensatz (Satzart 40) für die "
                            "Kreise " + ", ".join(orphans[:5]) + ".", file=file_name)
