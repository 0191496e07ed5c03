"""Shared pieces of the file readers: decoding, values, special values, table kinds."""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..ages import TOTAL, parse_age
from ..errors import DemographyImportError

#: GENESIS special values. "-" means "exactly nothing" and becomes 0; the others mean the
#: number exists but is unknown, secret, unreliable, meaningless or not yet available → NaN.
SPECIAL_VALUES = {"-": 0.0, ".": math.nan, "/": math.nan, "x": math.nan, "...": math.nan,
                  "…": math.nan}
QUALITY_FLAGS = ("p", "r", "s")
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_FLAGGED = re.compile(r"^(?P<num>[+-]?\d+(?:[.,]\d+)?)\s*(?P<flag>[prs])$")
SYNTHETIC_MARK = "SYNTHETISCH"
#: Limits against decompression bombs and endless files: a zip member may unpack to at most
#: this many bytes, and a file may hold at most this many lines. A Germany-wide GENESIS file of
#: all municipalities by sex and 17 age groups has about 600,000 lines and 150 MB.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_LINES = 2_000_000
#: Plausible reference years of official data (the series start in 1950; a few years ahead
#: leave room for synthetic and planning files, nothing like 2999) and the highest plausible age (the oldest person documented lived to 122).
FIRST_YEAR = 1900
YEARS_AHEAD = 5
MAX_AGE = 120
_CHUNK = 1024 * 1024

REGION_VARIABLES = {"DINSG", "DLAND", "REGBEZ", "KREISE", "GEMEIN", "GEMVB", "ARS", "AGS"}
SEX_CODES = {"GESM": "m", "GESW": "f", "GESI": "t", "": "t"}
SEX_LABELS = {"männlich": "m", "maennlich": "m", "weiblich": "f", "insgesamt": "t",
              "m": "m", "w": "f", "f": "f", "i": "t", "t": "t", "male": "m", "female": "f",
              "total": "t", "zusammen": "t"}


@dataclass
class ParsedRows:
    """What a reader found: tidy rows, region names, detected table, synthetic mark."""

    population: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    tables: set[str] = field(default_factory=set)
    synthetic: bool = False
    layout: str = ""
    lines: dict = field(default_factory=dict)   # (ags, year) → first line, for messages


def read_text(path: Path) -> str:
    """File content as text; a zip must hold exactly one CSV. UTF-8 (with BOM) or Windows-1252."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DemographyImportError(f"Datei kann nicht gelesen werden ({exc.strerror}).",
                                    file=path.name) from exc
    if raw[:4] == b"PK\x03\x04":
        raw = _unzip(raw, path.name)
    check_line_count(raw.count(b"\n"), path.name)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DemographyImportError("Unbekannte Zeichenkodierung.", file=path.name)  # pragma: no cover


def _unzip(raw: bytes, name: str) -> bytes:
    """The one CSV of a zip, read in chunks: the declared size is checked before reading and
    the bytes and lines actually unpacked while reading, so a bomb stops at the limit."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
            if len(members) != 1:
                raise DemographyImportError(
                    f"Das ZIP-Archiv enthält {len(members)} CSV-Dateien, erwartet wird genau eine.",
                    file=name)
            if members[0].file_size > MAX_UNCOMPRESSED_BYTES:
                _too_big(name)
            chunks, size, lines = [], 0, 0
            with archive.open(members[0]) as member:
                while chunk := member.read(_CHUNK):
                    size += len(chunk)
                    lines += chunk.count(b"\n")
                    if size > MAX_UNCOMPRESSED_BYTES:
                        _too_big(name)
                    check_line_count(lines, name)
                    chunks.append(chunk)
            return b"".join(chunks)
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, NotImplementedError) as exc:
        raise DemographyImportError("Das ZIP-Archiv ist beschädigt oder unvollständig.",
                                    file=name) from exc


def _too_big(name: str) -> None:
    raise DemographyImportError(
        f"Die Datei im ZIP-Archiv ist entpackt größer als "
        f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB. Bitte laden Sie einen kleineren "
        "Ausschnitt (weniger Regionen oder Jahre) hoch.", file=name)


def check_line_count(lines: int, name: str) -> None:
    if lines > MAX_LINES:
        raise DemographyImportError(
            f"Die Datei hat mehr als {MAX_LINES:,} Zeilen. Bitte laden Sie einen kleineren "
            "Ausschnitt (weniger Regionen oder Jahre) hoch.".replace(",", "."), file=name)


def parse_value(text: str, *, file: str, line: int, field_name: str) -> tuple[float, str]:
    """A count with German decimal comma → (value, flag); special values → (NaN or 0, symbol)."""
    s = text.strip().replace("\u00a0", "")
    if s in SPECIAL_VALUES:
        return SPECIAL_VALUES[s], s
    flagged = _FLAGGED.match(s)
    flag = ""
    if flagged:
        s, flag = flagged["num"], flagged["flag"]
    if not _NUMBER.match(s):
        raise DemographyImportError(f"„{text.strip()}“ ist keine Zahl.", file=file, line=line,
                                    field=field_name)
    value = float(s.replace(",", "."))
    if value < 0:
        raise DemographyImportError(f"Negative Anzahl „{text.strip()}“.", file=file, line=line,
                                    field=field_name)
    return value, flag


def parse_year(text: str, *, file: str, line: int, field_name: str,
               last_year: int | None = None) -> int:
    """Year from ``2024-12-31``, ``31.12.2024`` or ``2024``; the date must exist and lie
    between 1900 and `last_year` (default: five years from now, for observed data)."""
    s = text.strip()
    for pattern, order in ((r"^(\d{4})-(\d{2})-(\d{2})$", (1, 2, 3)),
                           (r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$", (3, 2, 1)), (r"^(\d{4})$", None)):
        m = re.match(pattern, s)
        if m is None:
            continue
        year = int(m[order[0]] if order else m[1])
        if order is not None:
            try:
                dt.date(year, int(m[order[1]]), int(m[order[2]]))
            except ValueError:
                raise DemographyImportError(f"„{s}“ ist kein gültiges Datum.", file=file,
                                            line=line, field=field_name) from None
        check_year(year, s, file=file, line=line, field_name=field_name, last_year=last_year)
        return year
    raise DemographyImportError(f"„{s}“ ist kein Datum und keine Jahreszahl.", file=file,
                                line=line, field=field_name)


def check_year(year: int, text: str, *, file: str, line: int | None, field_name: str,
               last_year: int | None = None) -> None:
    last = dt.date.today().year + YEARS_AHEAD if last_year is None else last_year
    if not FIRST_YEAR <= year <= last:
        raise DemographyImportError(
            f"„{text}“ ist kein plausibler Stichtag: erwartet wird ein Jahr zwischen "
            f"{FIRST_YEAR} und {last}.", file=file, line=line, field=field_name)


def check_age(age: tuple[int, float], text: str, *, file: str, line: int | None,
              field_name: str) -> tuple[int, float]:
    """An age class must start at 0..MAX_AGE and end at most one year after MAX_AGE."""
    low, high = age
    if low > MAX_AGE or (high != math.inf and high > MAX_AGE + 1):
        raise DemographyImportError(
            f"„{text}“ ist keine plausible Altersangabe (0 bis {MAX_AGE} Jahre).",
            file=file, line=line, field=field_name)
    return age


def table_kind(statistics_code: str) -> str | None:
    """'population', 'births', 'deaths', 'moves' from a GENESIS table code, else None."""
    code = statistics_code.strip()
    for prefix, kind in (("12411", "population"), ("12612", "births"), ("12613", "deaths"),
                         ("12711", "moves")):
        if code.startswith(prefix):
            return kind
    return None


def value_kind(table: str, code: str, label: str) -> str | None:
    """Which quantity a value column/variable holds; None for derived values we skip.

    Moves tables carry in- and out-moves (and a derived balance we ignore).
    """
    text = f"{code} {label}".lower()
    if table == "moves":
        if "saldo" in text or "überschuss" in text or "ueberschuss" in text:
            return None
        if "zuz" in text:
            return "moves_in"
        if "fort" in text:
            return "moves_out"
        return None
    if table == "population":
        if "durchschnitt" in text or "quotient" in text or "%" in text:
            return None
        return "population"
    if "je 1000" in text or "je_1000" in text or "%" in text:
        return None
    return table


def parse_sex(text: str) -> str | None:
    s = text.strip()
    if s.upper() in SEX_CODES:
        return SEX_CODES[s.upper()]
    return SEX_LABELS.get(s.lower())


def age_or_total(code: str, label: str) -> tuple[int, float] | None:
    """Age class from an attribute code, falling back to its label."""
    if not code.strip() and not label.strip():
        return TOTAL
    return parse_age(code) or parse_age(label)


def add_record(out: ParsedRows, kind: str, ags: str, year: int, sex: str,
               age: tuple[int, float], value: float, flag: str, line: int | None = None) -> None:
    if kind == "population" and line is not None:
        out.lines.setdefault((ags, year), line)
    if kind == "population":
        out.population.append((ags, year, sex, age[0], age[1], value, flag))
    else:
        out.events.append((ags, year, kind, sex, age[0], age[1], value, flag))
