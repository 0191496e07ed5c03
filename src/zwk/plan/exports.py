"""CSV and XLSX of the whole plan, with the same columns both ways, and the validated import.

One row per goal or measure. `Schlüssel` names a row inside the file (Z1, M1, …);
`Übergeordnet` is the key of the parent goal (for a measure: its goal); `Abhängig von` lists
measure keys separated by commas. Import checks the whole file first and writes nothing when
any row is wrong.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from zwk.plan.models import Goal, Measure
from zwk.reports.xlsx import cell_value, workbook_bytes

COLUMNS = ("Typ", "Schlüssel", "Handlungsfeld", "Übergeordnet", "Titel", "Beschreibung",
           "Gewicht", "Kennzahl", "Eigene Kennzahl", "Einheit", "Quelle", "Ausgangswert",
           "Jahr des Ausgangswerts", "Zielwert", "Zieldatum", "Zielgruppen", "Federführung",
           "Partner:innen", "Beginn", "Ende", "Budget in Euro", "Finanzierung", "Status",
           "Fortschritt abweichend", "Priorität", "Abhängig von")
GOAL, MEASURE = "Ziel", "Maßnahme"
PRIORITIES = {label: value for value, label in Measure.Priority.choices}
PRIORITY_LABEL = {value: str(label) for value, label in Measure.Priority.choices}


def _num(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def plan_rows(commune) -> list[list[str]]:
    """The plan as rows of text (German number and date formats), depth-first."""
    from zwk.plan.selectors import plan_outline

    rows: list[list[str]] = []
    goal_key: dict[int, str] = {}
    measure_key: dict[int, str] = {}
    blocks = plan_outline(commune)
    for block in blocks:
        for row in block.rows:
            goal_key[row.goal.pk] = f"Z{len(goal_key) + 1}"
            for m in row.measures:
                measure_key[m.pk] = f"M{len(measure_key) + 1}"
    deps: dict[int, list[int]] = {}
    through = Measure.dependencies.through
    for src, dst in through.objects.filter(from_measure__commune=commune).values_list(
            "from_measure_id", "to_measure_id"):
        deps.setdefault(src, []).append(dst)
    for block in blocks:
        for row in block.rows:
            g: Goal = row.goal
            rows.append([GOAL, goal_key[g.pk], block.action_field.name,
                         goal_key.get(g.parent_id, ""), g.title, g.description, _num(g.weight),
                         g.indicator_key, g.indicator_name, g.indicator_unit, g.indicator_source,
                         _num(g.baseline_value), str(g.baseline_year or ""),
                         _num(g.target_value), _day(g.target_date)] + [""] * 11)
            for m in row.measures:
                rows.append([MEASURE, measure_key[m.pk], block.action_field.name,
                             goal_key[g.pk], m.title, m.description, _num(m.weight)]
                            + [""] * 8
                            + [m.target_groups, m.lead, m.partners, _day(m.start), _day(m.end),
                               _num(m.budget), m.funding_source, m.status.name,
                               "" if m.progress_override is None else str(m.progress_override),
                               PRIORITY_LABEL[m.priority],
                               ", ".join(sorted((measure_key[d] for d in deps.get(m.pk, [])),
                                                key=lambda k: int(k[1:])))])
    return rows


def _guard(text: str) -> str:
    return cell_value(text) if isinstance(text, str) else text


def plan_csv(commune) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in plan_rows(commune):
        writer.writerow([_guard(c).replace(".", ",", 1) if i in _NUMERIC and c else _guard(c)
                         for i, c in enumerate(row)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


_NUMERIC = {COLUMNS.index(c) for c in ("Gewicht", "Ausgangswert", "Zielwert", "Budget in Euro")}


def plan_xlsx(commune) -> bytes:
    rows = []
    for row in plan_rows(commune):
        rows.append([_xlsx_cell(i, c) for i, c in enumerate(row)])
    return workbook_bytes({"Werkstattplan": (COLUMNS, rows)})


def _xlsx_cell(index: int, text: str) -> Any:
    if text and (index in _NUMERIC or COLUMNS[index] in ("Jahr des Ausgangswerts",
                                                         "Fortschritt abweichend")):
        return Decimal(text) if "." in text else int(text)
    return text


# --- import ----------------------------------------------------------------------------------

class ImportRejected(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class Row:
    line: int
    kind: str
    key: str
    values: dict[str, Any] = field(default_factory=dict)
    parent: str = ""
    dependencies: list[str] = field(default_factory=list)


def read_table(name: str, content: bytes) -> list[list[str]]:
    """Rows of text from a CSV (UTF-8, ; or ,) or XLSX file; German messages on failure."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as error:  # openpyxl raises many kinds
            raise ImportRejected([f"Die Datei ist keine lesbare XLSX-Datei ({error})."]) from error
        return [[_cell_text(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRejected(["Die Datei ist nicht in UTF-8 gespeichert."]) from error
    dialect = ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=dialect)]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    return str(value)


def _unguard(text: str) -> str:
    text = text.strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text


def parse_rows(table: list[list[str]], *, action_fields: dict[str, Any],
               statuses: dict[str, Any]) -> list[Row]:
    """Check every row; raise ImportRejected with one German message per problem."""
    errors: list[str] = []
    if not table or not any(c.strip() for c in table[0]):
        raise ImportRejected(["Die Datei ist leer."])
    header = [c.strip() for c in table[0]]
    unknown = [c for c in header if c and c not in COLUMNS]
    missing = [c for c in ("Typ", "Schlüssel", "Handlungsfeld", "Übergeordnet", "Titel")
               if c not in header]
    if unknown:
        errors.append("Unbekannte Spalten: " + ", ".join(f"„{c}“" for c in unknown)
                      + ". Erlaubt sind: " + ", ".join(COLUMNS) + ".")
    if missing:
        errors.append("Es fehlen die Spalten: " + ", ".join(f"„{c}“" for c in missing) + ".")
    if errors:
        raise ImportRejected(errors)
    rows: list[Row] = []
    keys: dict[str, Row] = {}
    for line, raw in enumerate(table[1:], start=2):
        cells = {h: _unguard(raw[i]) if i < len(raw) and raw[i] is not None else ""
                 for i, h in enumerate(header) if h}
        if not any(cells.values()):
            continue

        def bad(column: str, message: str, line: int = line) -> None:
            errors.append(f"Zeile {line}, Spalte „{column}“: {message}")

        kind = cells.get("Typ", "")
        if kind not in (GOAL, MEASURE):
            bad("Typ", f"„{kind}“ ist weder „{GOAL}“ noch „{MEASURE}“.")
            continue
        key = cells.get("Schlüssel", "")
        if not key:
            bad("Schlüssel", "Bitte geben Sie jeder Zeile einen Schlüssel.")
        elif key in keys:
            bad("Schlüssel", f"„{key}“ kommt schon in Zeile {keys[key].line} vor.")
        row = Row(line, kind, key, parent=cells.get("Übergeordnet", ""))
        title = cells.get("Titel", "")
        if not title:
            bad("Titel", "Der Titel fehlt.")
        elif len(title) > 280:
            bad("Titel", "Der Titel ist länger als 280 Zeichen.")
        af_name = cells.get("Handlungsfeld", "")
        if af_name not in action_fields:
            bad("Handlungsfeld", f"„{af_name}“ ist kein Handlungsfeld dieser Kommune.")
        row.values = {"title": title, "description": cells.get("Beschreibung", ""),
                      "action_field": action_fields.get(af_name)}
        row.values["weight"] = _decimal(cells.get("Gewicht", ""), "Gewicht", bad) or Decimal(1)
        if kind == GOAL:
            indicator_key = cells.get("Kennzahl", "")
            from zwk.profile.analysis import INDICATOR_BY_KEY

            if indicator_key and indicator_key not in INDICATOR_BY_KEY:
                bad("Kennzahl", f"„{indicator_key}“ ist keine Kennzahl des Kommunalprofils.")
            row.values.update({
                "indicator_key": indicator_key,
                "indicator_name": cells.get("Eigene Kennzahl", ""),
                "indicator_unit": cells.get("Einheit", ""),
                "indicator_source": cells.get("Quelle", ""),
                "baseline_value": _decimal(cells.get("Ausgangswert", ""), "Ausgangswert", bad),
                "baseline_year": _int(cells.get("Jahr des Ausgangswerts", ""),
                                      "Jahr des Ausgangswerts", bad),
                "target_value": _decimal(cells.get("Zielwert", ""), "Zielwert", bad),
                "target_date": _date(cells.get("Zieldatum", ""), "Zieldatum", bad),
            })
        else:
            status_name = cells.get("Status", "")
            if status_name not in statuses:
                bad("Status", f"„{status_name}“ ist kein bekannter Status. Erlaubt sind: "
                    + ", ".join(statuses) + ".")
            priority = cells.get("Priorität", "") or PRIORITY_LABEL["mittel"]
            if priority not in PRIORITIES:
                bad("Priorität", f"„{priority}“ ist keine Priorität (hoch, mittel, niedrig).")
            progress = _int(cells.get("Fortschritt abweichend", ""), "Fortschritt abweichend",
                            bad)
            if progress is not None and not 0 <= progress <= 100:
                bad("Fortschritt abweichend", "Der Wert muss zwischen 0 und 100 liegen.")
            start = _date(cells.get("Beginn", ""), "Beginn", bad)
            end = _date(cells.get("Ende", ""), "Ende", bad)
            if start and end and end < start:
                bad("Ende", "Das Ende liegt vor dem Beginn.")
            row.values.update({
                "target_groups": cells.get("Zielgruppen", ""), "lead": cells.get("Federführung", ""),
                "partners": cells.get("Partner:innen", ""), "start": start, "end": end,
                "budget": _decimal(cells.get("Budget in Euro", ""), "Budget in Euro", bad),
                "funding_source": cells.get("Finanzierung", ""),
                "status": statuses.get(status_name), "progress_override": progress,
                "priority": PRIORITIES.get(priority, "mittel"),
            })
            row.dependencies = [d.strip() for d in cells.get("Abhängig von", "").split(",")
                                if d.strip()]
        rows.append(row)
        if key:
            keys.setdefault(key, row)
    for row in rows:
        parent = keys.get(row.parent) if row.parent else None
        if row.kind == MEASURE and (parent is None or parent.kind != GOAL):
            errors.append(f"Zeile {row.line}, Spalte „Übergeordnet“: Das Ziel „{row.parent}“ "
                          "gibt es in der Datei nicht.")
        elif row.kind == GOAL and row.parent and (parent is None or parent.kind != GOAL):
            errors.append(f"Zeile {row.line}, Spalte „Übergeordnet“: Das übergeordnete Ziel "
                          f"„{row.parent}“ gibt es in der Datei nicht.")
        elif (row.kind == GOAL and parent is not None
              and parent.values["action_field"] != row.values["action_field"]):
            errors.append(f"Zeile {row.line}, Spalte „Handlungsfeld“: Das übergeordnete Ziel "
                          "liegt in einem anderen Handlungsfeld.")
        for dep in row.dependencies:
            if dep not in keys or keys[dep].kind != MEASURE:
                errors.append(f"Zeile {row.line}, Spalte „Abhängig von“: Die Maßnahme „{dep}“ "
                              "gibt es in der Datei nicht.")
    errors += _cycles(rows)
    if errors:
        raise ImportRejected(errors)
    return rows


def _cycles(rows: list[Row]) -> list[str]:
    from zwk.plan.progress import dependency_cycle

    errors = []
    goal_parent = {r.key: r.parent for r in rows if r.kind == GOAL}
    for r in rows:
        if r.kind != GOAL:
            continue
        seen, node = set(), r.key
        while node and node not in seen:
            seen.add(node)
            node = goal_parent.get(node, "")
        if node == r.key:
            errors.append(f"Zeile {r.line}, Spalte „Übergeordnet“: Die Ziele bilden einen Kreis.")
    measures = [r for r in rows if r.kind == MEASURE]
    index = {r.key: i for i, r in enumerate(measures)}
    edges = {index[r.key]: {index[d] for d in r.dependencies if d in index} for r in measures}
    for r in measures:
        path = dependency_cycle(edges, index[r.key], edges[index[r.key]])
        if path:
            errors.append(f"Zeile {r.line}, Spalte „Abhängig von“: Die Abhängigkeiten bilden "
                          "einen Kreis: " + " → ".join(measures[i].key for i in path) + ".")
    return errors


def _decimal(text: str, column: str, bad) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text.replace(" ", "").replace(".", "").replace(",", ".")
                        if "," in text else text)
    except InvalidOperation:
        bad(column, f"„{text}“ ist keine Zahl.")
        return None
    if not value.is_finite() or value < 0:
        bad(column, f"„{text}“ ist keine zulässige Zahl.")
        return None
    return value


def _int(text: str, column: str, bad) -> int | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        bad(column, f"„{text}“ ist keine ganze Zahl.")
        return None


def _date(text: str, column: str, bad) -> date | None:
    if not text:
        return None
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
    bad(column, f"„{text}“ ist kein Datum (TT.MM.JJJJ).")
    return None
