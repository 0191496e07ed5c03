"""Readers for official GENESIS/Regionalstatistik files and tidy register extracts.

Entry points: :func:`read_files` (several files → one :class:`~zwk.demography.Dataset`) and
:func:`read_file`. The layout of each file is detected from its header:

* ``ffcsv`` – current long flat file (header starts with ``statistics_code``), zipped or plain;
* ``flat-wide`` – older wide flat file (header starts with ``Statistik_Code``);
* ``genesis-tabelle`` – table download for people (title ``GENESIS-Tabelle: …``);
* ``tidy`` – plain CSV with region, year, sex, age, count columns.

Every error is a :class:`~zwk.demography.errors.DemographyImportError` with a German message
naming file, line and field; nothing is returned partially.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from zwk.formatting import number

from ..dataset import (
    EVENT_COLUMNS,
    OFFICIAL_SOURCE,
    POP_COLUMNS,
    REGISTER_SOURCE,
    SYNTHETIC_NOTE,
    Dataset,
    check_hierarchy,
    combine,
)
from ..errors import DemographyImportError
from .common import ParsedRows, check_line_count, read_text
from .flat import parse_flat
from .table import parse_table
from .tidy import looks_tidy, parse_tidy

LAYOUTS = ("ffcsv", "flat-wide", "genesis-tabelle", "tidy")




def detect_layout(lines: list[str], file: str) -> tuple[str, int]:
    """(layout, index of the header line) from the first lines of a file."""
    for i, line in enumerate(lines[:30]):
        stripped = line.lstrip("\ufeff").strip()
        if stripped.startswith("statistics_code;"):
            return "ffcsv", i
        if stripped.startswith("Statistik_Code;"):
            return "flat-wide", i
        if stripped.startswith("GENESIS-Tabelle"):
            return "genesis-tabelle", i
        if stripped.startswith("#") or not stripped:
            continue
        cells = stripped.replace(",", ";").split(";")
        if looks_tidy(cells):
            return "tidy", i
    raise DemographyImportError(
        "Das Dateiformat wurde nicht erkannt (erwartet: GENESIS-Flatfile, älteres Flatfile, "
        "GENESIS-Tabelle oder CSV mit Spalten Region, Jahr, Geschlecht, Alter, Anzahl).",
        file=file, line=1)


def read_file(path: str | os.PathLike) -> Dataset:
    """Read one file in any supported layout into a :class:`Dataset`."""
    p = Path(path)
    return read_content(read_text(p), p.name)


def read_content(text: str, name: str) -> Dataset:
    """Parse file content already in memory (an upload, an API response); ``name`` for messages."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines:
        raise DemographyImportError("Die Datei ist leer.", file=name)
    check_line_count(len(lines), name)
    layout, header_at = detect_layout(lines, name)
    try:
        parsed = _parse(layout, lines, header_at, name)
    except csv.Error as exc:   # e.g. "field larger than field limit" on one endless line
        raise DemographyImportError(
            "Die CSV-Datei ist nicht lesbar: ein Feld ist länger als 131.072 Zeichen oder ein "
            "Anführungszeichen wird nicht geschlossen.", file=name) from exc
    dataset = _to_dataset(parsed, name)
    _check_internal_totals(dataset, name)
    check_hierarchy(dataset.population, file=name, lines=parsed.lines)
    return dataset


def read_files(paths: Iterable[str | os.PathLike]) -> Dataset:
    """Read several files (any mix of layouts) into one combined :class:`Dataset`.

    Raises :class:`DemographyImportError` on the first bad file; then nothing is returned.
    """
    datasets = [read_file(p) for p in paths]
    if not datasets:
        raise DemographyImportError("Keine Datei angegeben.")
    combined = combine(datasets)
    check_hierarchy(combined.population, file=", ".join(combined.files))
    return combined


def _parse(layout: str, lines: list[str], header_at: int, file: str) -> ParsedRows:
    if layout == "ffcsv":
        return parse_flat(lines, header_at, file, wide=False)
    if layout == "flat-wide":
        return parse_flat(lines, header_at, file, wide=True)
    if layout == "genesis-tabelle":
        return parse_table(lines, file)
    return parse_tidy(lines, header_at, file)


def _to_dataset(parsed: ParsedRows, file: str) -> Dataset:
    population = pd.DataFrame(parsed.population, columns=POP_COLUMNS)
    events = pd.DataFrame(parsed.events, columns=EVENT_COLUMNS)
    _reject_duplicates(population, POP_COLUMNS[:5], file)
    _reject_duplicates(events, EVENT_COLUMNS[:6], file)
    official = parsed.layout != "tidy"      # a tidy CSV is a commune's own register extract
    source = SYNTHETIC_NOTE if parsed.synthetic else (
        OFFICIAL_SOURCE if official else REGISTER_SOURCE.format(file=file))
    return Dataset(population, events, dict(parsed.names), source, parsed.synthetic, (file,),
                   official and not parsed.synthetic)


def _reject_duplicates(frame: pd.DataFrame, keys: list[str], file: str) -> None:
    dup = frame.duplicated(subset=keys, keep=False)
    if dup.any():
        first = frame[dup].iloc[0]
        raise DemographyImportError(
            f"Der Wert für Region {first['ags']}, Jahr {first['year']} kommt mehrfach vor.",
            file=file, field="Anzahl")


def _check_internal_totals(dataset: Dataset, file: str) -> None:
    """Where a file gives both a total and its age/sex detail, they must agree."""
    pop = dataset.population
    if pop.empty:
        return
    is_total_age = (pop["age_from"] == 0) & np.isinf(pop["age_to"])
    totals = pop[is_total_age].dropna(subset=["count"]).set_index(["ags", "year", "sex"])["count"]
    # A detail with a secret or unknown value ("." etc.) cannot be compared with its total.
    detail = pop[~is_total_age].groupby(["ags", "year", "sex"])["count"].sum(min_count=1)
    incomplete = pop[~is_total_age].groupby(["ags", "year", "sex"])["count"].apply(
        lambda s: s.isna().any())
    detail = detail[~incomplete.reindex(detail.index, fill_value=False)]
    _check_sex_totals(totals, file)
    both = totals.index.intersection(detail.index)
    diff = (totals.loc[both] - detail.loc[both]).abs()
    bad = diff[diff > 0.5]
    if len(bad):
        ags, year, sex = bad.index[0]
        raise DemographyImportError(
            f"Region {ags}, {year}: die Altersgruppen ergeben {number(detail[(ags, year, sex)], 0)}, "
            f"die Summe „Insgesamt“ ist aber {number(totals[(ags, year, sex)], 0)}.",
            file=file, field="Insgesamt")


def _check_sex_totals(totals, file: str) -> None:
    """The both-sexes total must equal men + women where all three are given."""
    wide = totals.unstack("sex")
    if not {"m", "f", "t"} <= set(wide.columns):
        return
    wide = wide.dropna(subset=["m", "f", "t"])
    bad = wide[(wide["m"] + wide["f"] - wide["t"]).abs() > 0.5]
    if len(bad):
        (ags, year), row = bad.index[0], bad.iloc[0]
        raise DemographyImportError(
            f"Region {ags}, {year}: männlich + weiblich ergeben {number(row['m'] + row['f'], 0)}, "
            f"„Insgesamt“ ist aber {number(row['t'], 0)}.", file=file, field="Insgesamt")


__all__ = ["read_files", "read_file", "read_content", "detect_layout", "LAYOUTS"]
