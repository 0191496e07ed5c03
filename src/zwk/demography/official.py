"""Official municipal projections (Land statistical offices) held against our own projection.

Consultants compare with the Land office's projection per Gemeinde (IT.NRW, Bayerisches
Landesamt, Statistisches Landesamt Baden-Württemberg …). :func:`read_official_projection`
reads such a file as a simple CSV – columns ``ags, year, total`` and optionally ``sex`` and
an age group (``age_group`` label such as ``3 bis unter 6 Jahre``, ``0-3``, ``80+``, or
``age_from``/``age_to``) with a ``count`` – German column names (``Gemeindeschlüssel``,
``Jahr``, ``Insgesamt``, ``Geschlecht``, ``Altersgruppe``, ``Anzahl``) work as well. Errors are
:class:`DemographyImportError` with a German message naming line and field; nothing is kept.

:func:`compare_with_official` puts ours and the official one side by side per year and splits
the difference of the population into births, deaths and migration (decision 0110).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .ages import OPEN, TOTAL, parse_age
from .errors import DemographyImportError
from .io.common import parse_sex, parse_value, parse_year, read_text
from .regions import normalise_key

LAST_PROJECTION_YEAR = 2100

SYNTHETIC_OFFICIAL_NOTE = ("SYNTHETISCHE DEMODATEN – keine amtliche Vorausberechnung, nur zum "
                           "Ausprobieren des Vergleichs")
COLUMNS = {
    "ags": ("ags", "ags8", "gemeindeschluessel", "gemeindeschlüssel", "schluessel",
            "schlüssel", "regionalschluessel", "regionalschlüssel", "kennziffer"),
    "year": ("year", "jahr", "stichtag"),
    "total": ("total", "insgesamt", "bevoelkerung", "bevölkerung", "einwohner"),
    "sex": ("sex", "geschlecht"),
    "age_group": ("age_group", "altersgruppe", "alter"),
    "age_from": ("age_from", "alter_von"),
    "age_to": ("age_to", "alter_bis"),
    "count": ("count", "anzahl", "wert"),
}
_DASH_RANGE = re.compile(r"^(\d+)\s*[-–]\s*(\d+)$")
_PLUS = re.compile(r"^(\d+)\s*\+$")


@dataclass
class OfficialProjection:
    """Rows ``ags, year, sex, age_from, age_to, count`` (totals: sex ``t``, ages 0–∞)."""

    rows: pd.DataFrame
    name: str
    synthetic: bool = False

    def totals(self) -> pd.Series:
        """Total population per (ags, year)."""
        total = self.rows[(self.rows["sex"] == "t") & (self.rows["age_from"] == 0)
                          & (self.rows["age_to"] == OPEN)]
        if not total.empty:
            return total.set_index(["ags", "year"])["count"].sort_index()
        grouped = self.by_age()
        return grouped.groupby(["ags", "year"])["count"].sum().sort_index()

    def by_age(self) -> pd.DataFrame:
        """Age-group rows, both sexes summed (empty when the file has totals only)."""
        ages = self.rows[~((self.rows["age_from"] == 0) & (self.rows["age_to"] == OPEN))]
        both = ages[ages["sex"] == "t"]
        if both.empty:
            both = ages[ages["sex"].isin(["m", "f"])]
        return both.groupby(["ags", "year", "age_from", "age_to"], as_index=False)["count"].sum()


def read_official_projection(source: str | Path, name: str | None = None) -> OfficialProjection:
    """Parse a file (path) or its text content (``name`` for messages)."""
    if isinstance(source, Path):
        name = name or source.name
        text = read_text(source)
    else:
        text = source
    name = name or "Vorausberechnung"
    synthetic = "SYNTHETISCH" in text.upper()
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1)
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise DemographyImportError("Die Datei enthält keine Daten.", file=name)
    header_line, header = lines[0]
    delimiter = ";" if header.count(";") >= header.count(",") else ","
    fields = [f.strip().lower() for f in next(csv.reader([header], delimiter=delimiter))]
    columns = _map_columns(fields, name, header_line)
    records = [_record(values, columns, name, n)
               for n, values in _rows(lines[1:], delimiter)]
    if not records:
        raise DemographyImportError("Die Datei enthält keine Datenzeilen.", file=name)
    rows = pd.DataFrame([r for rec in records for r in rec],
                        columns=["ags", "year", "sex", "age_from", "age_to", "count", "line"])
    _check_duplicates(rows, name)
    return OfficialProjection(rows.drop(columns="line"), name, synthetic)


def _rows(lines, delimiter):
    for n, line in lines:
        yield n, [v.strip() for v in next(csv.reader([line], delimiter=delimiter))]


def _map_columns(fields: list[str], name: str, line: int) -> dict[str, int]:
    found = {}
    for key, aliases in COLUMNS.items():
        for i, field in enumerate(fields):
            if field in aliases:
                found[key] = i
                break
    for required in ("ags", "year"):
        if required not in found:
            raise DemographyImportError(
                f"Die Spalte „{required}“ fehlt (erwartet z. B. {', '.join(COLUMNS[required][:3])}).",
                file=name, line=line, field=required)
    if "total" not in found and "count" not in found:
        raise DemographyImportError("Es fehlt eine Spalte mit der Bevölkerung "
                                    "(„total“/„Insgesamt“ oder „count“/„Anzahl“).",
                                    file=name, line=line, field="total")
    if "count" in found and not {"age_group", "age_from", "sex"} & set(found):
        raise DemographyImportError("Zur Spalte „count“ gehört eine Spalte „sex“ oder eine "
                                    "Altersgruppe.", file=name, line=line, field="count")
    return found


def _record(values: list[str], columns: dict[str, int], name: str, line: int) -> list[tuple]:
    def cell(key: str) -> str:
        index = columns[key]
        if index >= len(values):
            raise DemographyImportError("Die Zeile ist zu kurz.", file=name, line=line, field=key)
        return values[index]

    ags = normalise_key(cell("ags"))
    if not ags.isdigit() or len(ags) not in (2, 3, 5, 8):
        raise DemographyImportError(f"„{ags}“ ist kein Gemeinde- oder Kreisschlüssel.",
                                    file=name, line=line, field="ags")
    # a projection runs decades ahead: the bound for observed data does not apply
    year = parse_year(cell("year"), file=name, line=line, field_name="year",
                      last_year=LAST_PROJECTION_YEAR)
    out = []
    if "total" in columns and cell("total"):
        total, _ = parse_value(cell("total"), file=name, line=line, field_name="total")
        _require_number(total, name, line, "total")
        out.append((ags, year, "t", 0, OPEN, total, line))
    if "count" in columns and cell("count"):
        sex = parse_sex(cell("sex")) if "sex" in columns else "t"
        if sex is None:
            raise DemographyImportError(f"Unbekanntes Geschlecht „{cell('sex')}“.", file=name,
                                        line=line, field="sex")
        lo, hi = _age(columns, cell, name, line)
        count, _ = parse_value(cell("count"), file=name, line=line, field_name="count")
        _require_number(count, name, line, "count")
        out.append((ags, year, sex, lo, hi, count, line))
    if not out:
        raise DemographyImportError("Die Zeile enthält keinen Wert.", file=name, line=line,
                                    field="total")
    return out


def _require_number(value: float, name: str, line: int, field: str) -> None:
    if np.isnan(value):
        raise DemographyImportError("Ein Wert fehlt oder ist geheim; die Vorausberechnung "
                                    "braucht vollständige Zahlen.", file=name, line=line,
                                    field=field)


def _age(columns, cell, name, line) -> tuple[int, float]:
    if "age_group" in columns:
        text = cell("age_group")
        dash, plus = _DASH_RANGE.match(text), _PLUS.match(text)
        age = ((int(dash[1]), float(dash[2])) if dash else
               (int(plus[1]), OPEN) if plus else parse_age(text))
        if age is None or age[1] <= age[0]:
            raise DemographyImportError(f"Unbekannte Altersgruppe „{text}“.", file=name,
                                        line=line, field="age_group")
        return age
    if "age_from" in columns:
        try:
            lo = int(cell("age_from"))
            hi = OPEN if cell("age_to") in ("", "inf", "+") else float(cell("age_to"))
        except (ValueError, KeyError):
            raise DemographyImportError("Das Alter muss eine ganze Zahl sein.", file=name,
                                        line=line, field="age_from") from None
        return lo, hi
    return TOTAL


def _check_duplicates(rows: pd.DataFrame, name: str) -> None:
    keys = ["ags", "year", "sex", "age_from", "age_to"]
    doubled = rows[rows.duplicated(keys, keep="first")]
    if not doubled.empty:
        first = doubled.iloc[0]
        raise DemographyImportError(
            f"{first['ags']} {first['year']} steht doppelt in der Datei.", file=name,
            line=int(first["line"]), field="ags")


def compare_with_official(result, official: OfficialProjection, ags: str) -> pd.DataFrame:
    """Ours (``result``: a :class:`~zwk.demography.projection.ProjectionResult`) and the
    official projection of region ``ags`` side by side for the years both hold.

    Columns ``year, ours, official, difference, difference_pct`` (official − ours, in people
    and per cent of ours) and, when the official file has age groups, the split of the
    difference ``births_part`` (ages born after our base year), ``deaths_part`` (ages 75 and
    over, where deaths dominate the change of a cohort) and ``migration_part`` (the other
    ages, where moves dominate); the three add up to ``difference`` (decision 0110). Without
    age groups the parts are NaN and ``method`` says so.
    """
    if ags not in result.regions:
        raise DemographyImportError(f"Die eigene Vorausberechnung enthält {ags} nicht.")
    totals = official.totals()
    if ags not in totals.index.get_level_values(0):
        raise DemographyImportError(f"Die amtliche Vorausberechnung enthält {ags} nicht.",
                                    file=official.name, field="ags")
    theirs = totals.loc[ags]
    ours = pd.Series(result.totals()[result.index(ags)], index=result.years)
    years = [int(y) for y in ours.index if y in theirs.index]
    frame = pd.DataFrame({"year": years, "ours": ours.loc[years].to_numpy(),
                          "official": theirs.loc[years].to_numpy()})
    frame["difference"] = frame["official"] - frame["ours"]
    frame["difference_pct"] = 100.0 * frame["difference"] / frame["ours"]
    parts = _age_split(result, official, ags, years)
    for key in ("births_part", "deaths_part", "migration_part"):
        frame[key] = parts[key]
    frame["method"] = parts["method"]
    return frame


def _age_split(result, official: OfficialProjection, ags: str, years: list[int]) -> dict:
    groups = official.by_age()
    groups = groups[groups["ags"] == ags]
    nan = np.full(len(years), np.nan)
    if groups.empty:
        return {"births_part": nan, "deaths_part": nan, "migration_part": nan,
                "method": "nur Summen – keine Zerlegung möglich"}
    base = int(result.years[0])
    single = result.population[result.index(ags)].sum(axis=1)        # (T+1, A)
    top = single.shape[1] - 1
    parts = {"births_part": [], "deaths_part": [], "migration_part": []}
    for year in years:
        t = int(np.flatnonzero(result.years == year)[0])
        rows = groups[groups["year"] == year]
        split = {key: 0.0 for key in parts}
        for row in rows.itertuples():
            hi = top + 1 if row.age_to == OPEN else int(row.age_to)
            ours = float(single[t, int(row.age_from):min(hi, top + 1)].sum())
            key = ("births_part" if hi <= year - base else
                   "deaths_part" if row.age_from >= 75 else "migration_part")
            split[key] += row.count - ours
        for key in parts:
            parts[key].append(split[key] if len(rows) else np.nan)
    out = {k: np.array(v) for k, v in parts.items()}
    out["method"] = "Altersgruppen: nach Geburt geborene / 75+ / übrige (Näherung)"
    return out


def write_synthetic_official(result, path: str | Path, regions: list[str] | None = None,
                             groups=((0, 6), (6, 18), (18, 25), (25, 45), (45, 65), (65, 75),
                                     (75, OPEN))) -> Path:
    """Write a projection result as an "official" file for the demo: labelled synthetic in its
    first line and in every row's comment, never presented as an official projection."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    buffer.write(f"# {SYNTHETIC_OFFICIAL_NOTE}\n")
    buffer.write("ags;year;total;age_group;count\n")
    top = result.population.shape[-1]
    for ags in regions or result.regions:
        i = result.index(ags)
        for t, year in enumerate(result.years):
            both = result.population[i, t].sum(axis=0)
            buffer.write(f"{ags};{int(year)};{_de(both.sum())};;\n")
            for lo, hi in groups:
                label = f"{lo}+" if hi == OPEN else f"{lo}-{int(hi)}"
                count = both[lo:top if hi == OPEN else int(hi)].sum()
                buffer.write(f"{ags};{int(year)};;{label};{_de(count)}\n")
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _de(value: float) -> str:
    return f"{value:.0f}"


DEMO_OFFICIAL_FILE = "vorausberechnung_SYNTHETISCH_nicht_amtlich.csv"


def write_demo_official(directory: str | Path, seed: int = 2024) -> Path:
    """A clearly synthetic stand-in for the Land office's projection of the demo Kreis: our
    own engine from base 2021 to 2050 with other assumptions (TFR 1.45, in-moves × 0.92,
    constant net migration), written in the official-projection CSV layout and marked
    ``SYNTHETISCHE DEMODATEN – keine amtliche Vorausberechnung``."""
    from .projection import Scenario, project
    from .synthetic import hochsauerlandkreis

    scenario = Scenario(key="synthetisch_amtlich", label="Synthetische Vergleichsrechnung",
                        tfr=1.45, in_migration_factor=0.92, migration_model="constant_net")
    result = project(hochsauerlandkreis(seed), scenario, years=29, base_year=2021)
    return write_synthetic_official(result, Path(directory) / DEMO_OFFICIAL_FILE)
