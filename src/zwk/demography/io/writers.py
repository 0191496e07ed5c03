"""Write a Dataset in the official layouts (for demo files and round-trip tests).

The files look like Regionalstatistik downloads. Synthetic datasets get the marker line
``SYNTHETISCHE DEMODATEN – keine amtlichen Zahlen`` in every file, and "(SYNTHETISCH)" in the
table label, so they can never pass for official data.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..ages import OPEN, age_code, age_label
from ..dataset import SYNTHETIC_NOTE, Dataset
from ..regions import level

TABLE_LABELS = {
    "population": "Bevölkerung nach Geschlecht und Altersgruppen",
    "births": "Lebendgeborene",
    "deaths": "Gestorbene",
    "moves_in": "Zuzüge über die Gemeindegrenzen",
    "moves_out": "Fortzüge über die Gemeindegrenzen",
}
VALUE_CODES = {"population": ("BEVSTD", "Bevölkerungsstand"),
               "births": ("GEB001", "Lebendgeborene"), "deaths": ("STF001", "Gestorbene"),
               "moves_in": ("BEV080", "Zuzüge über die Gemeindegrenzen"),
               "moves_out": ("BEV081", "Fortzüge über die Gemeindegrenzen")}
SEX = {"m": ("GESM", "männlich"), "f": ("GESW", "weiblich")}
REGION_VAR = {"gemeinde": ("GEMEIN", "Gemeinden"), "kreis": ("KREISE", "Kreise und krfr. Städte"),
              "land": ("DLAND", "Bundesländer")}


def _number(value: float) -> str:
    if np.isnan(value):
        return "."
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".replace(".", ",")


def _rows(dataset: Dataset, kinds: list[str]) -> pd.DataFrame:
    frames = []
    if "population" in kinds:
        frames.append(dataset.population.assign(event="population"))
    ev = dataset.events[dataset.events["event"].isin(kinds)]
    frames.append(ev)
    rows = pd.concat(frames, ignore_index=True)
    return rows.sort_values(["event", "year", "ags", "sex", "age_from"]).reset_index(drop=True)


def _marker(dataset: Dataset) -> list[str]:
    return [SYNTHETIC_NOTE] if dataset.synthetic else []


def _label(dataset: Dataset, kind: str) -> str:
    base = TABLE_LABELS[kind if kind in TABLE_LABELS else "population"]
    return f"{base} (SYNTHETISCH)" if dataset.synthetic else base


def write_ffcsv(dataset: Dataset, path: str | Path, table: str, kinds: list[str],
                zipped: bool = False) -> Path:
    """Long GENESIS-5 flat file; one value per row. ``kinds`` selects population/event rows."""
    header = ["statistics_code", "statistics_label", "time_code", "time_label", "time"]
    for i in (1, 2, 3):
        header += [f"{i}_variable_code", f"{i}_variable_label", f"{i}_variable_attribute_code",
                   f"{i}_variable_attribute_label"]
    header += ["value", "value_unit", "value_variable_code", "value_variable_label"]
    lines = _marker(dataset) + [";".join(header)]
    for r in _rows(dataset, kinds).itertuples(index=False):
        code, label = VALUE_CODES[r.event]
        cells = [table, _label(dataset, r.event), "STAG", "Stichtag", f"{r.year}-12-31"]
        cells += _variables(dataset, r)
        cells += [_number(r.count) + (r.flag if r.flag in ("p", "r", "s") else ""), "Anzahl",
                  code, label]
        if r.flag and r.flag not in ("p", "r", "s"):
            cells[-4] = r.flag
        lines.append(";".join(cells))
    return _write(path, "\n".join(lines) + "\n", zipped)


def _variables(dataset: Dataset, r) -> list[str]:
    reg_code, reg_label = REGION_VAR.get(level(r.ags), ("GEMEIN", "Gemeinden"))
    out = [reg_code, reg_label, r.ags, dataset.name(r.ags)]
    out += ["GES", "Geschlecht", *SEX[r.sex]] if r.sex in SEX else ["", "", "", ""]
    if r.age_from == 0 and r.age_to == OPEN:
        out += ["", "", "", ""]
    else:
        var = "ALTMT1" if r.event == "births" else "ALTX20"
        out += [var, "Altersgruppen", age_code(r.age_from, r.age_to),
                age_label(r.age_from, r.age_to)]
    return out


def write_flat_wide(dataset: Dataset, path: str | Path, table: str, kind: str) -> Path:
    """Older wide flat file with one value column ``CODE__Label__Anzahl``."""
    code, label = VALUE_CODES[kind]
    ascii_label = label.translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae",
                                                 "Ö": "Oe", "Ü": "Ue", "ß": "ss", " ": "_"}))
    column = f"{code}__{ascii_label}__Anzahl"
    header = ["Statistik_Code", "Statistik_Label", "Zeit_Code", "Zeit_Label", "Zeit"]
    for i in (1, 2, 3):
        header += [f"{i}_Merkmal_Code", f"{i}_Merkmal_Label", f"{i}_Auspraegung_Code",
                   f"{i}_Auspraegung_Label"]
    lines = _marker(dataset) + [";".join(header + [column])]
    for r in _rows(dataset, [kind]).itertuples(index=False):
        cells = [table, _label(dataset, kind), "STAG", "Stichtag", f"31.12.{r.year}"]
        cells += _variables(dataset, r)
        cells.append(r.flag if r.flag and r.flag not in "prs" else _number(r.count) + r.flag)
        lines.append(";".join(cells))
    return _write(path, "\n".join(lines) + "\n", False)


def write_genesis_table(dataset: Dataset, path: str | Path, table: str) -> Path:
    """Table download for people: title lines, two header rows, one row per date × region."""
    pop = dataset.population
    classes = sorted(set(zip(pop["age_from"], pop["age_to"], strict=True)))
    sexes = [s for s in ("t", "m", "f") if s in set(pop["sex"])]
    columns = [(s, a) for s in sexes for a in classes]
    table_ = pop.set_index(["year", "ags", "sex", "age_from", "age_to"])["count"]
    lines = [f"GENESIS-Tabelle: {table}", f"{_label(dataset, 'population')};",
             "Stichtag 31.12. - regionale Tiefe: Kreise und Gemeinden;",
             "Bevölkerungsstand (Anzahl);", *_marker(dataset)]
    sex_names = {"t": "Insgesamt", "m": "männlich", "f": "weiblich"}
    lines.append(";;;" + ";".join(sex_names[s] for s, _ in columns))
    lines.append(";;;" + ";".join(age_label(*a) for _, a in columns))
    for (year, ags), _ in pop.groupby(["year", "ags"], sort=True):
        values = [_number(table_.get((year, ags, s, a[0], a[1]), np.nan)) for s, a in columns]
        lines.append(f"31.12.{year};{ags};{dataset.name(ags)};" + ";".join(values))
    lines += ["__________", "Datenlizenz Deutschland – Namensnennung – Version 2.0"
              if not dataset.synthetic else SYNTHETIC_NOTE,
              "(C)opyright Statistische Ämter des Bundes und der Länder"
              if not dataset.synthetic else "Erzeugt von zwk.demography.synthetic"]
    return _write(path, "\n".join(lines) + "\n", False)


def write_tidy(dataset: Dataset, path: str | Path) -> Path:
    lines = [f"# {SYNTHETIC_NOTE}"] if dataset.synthetic else []
    lines.append("ags;name;year;event;sex;age_from;age_to;count")
    for r in _rows(dataset, ["population", *sorted(set(dataset.events["event"]))]).itertuples(
            index=False):
        event = "" if r.event == "population" else r.event
        age_to = "" if r.age_to == OPEN else str(int(r.age_to))
        lines.append(f"{r.ags};{dataset.name(r.ags)};{r.year};{event};{r.sex};{r.age_from};"
                     f"{age_to};{_number(r.count)}")
    return _write(path, "\n".join(lines) + "\n", False)


def _write(path: str | Path, text: str, zipped: bool) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    data = ("\ufeff" + text).encode("utf-8")
    if zipped:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(p.stem + "_flat.csv", data)
        p.write_bytes(buffer.getvalue())
    else:
        p.write_bytes(data)
    return p
