"""CSV and XLSX of the whole plan, with the same columns both ways, and the validated import.

One row per goal or measure. `ID` is the item's stable identifier (`Z12` goal, `M345`
measure); a row without ID is a new item, and a new row may carry a name of its own (any text
that is not Z/M followed by digits, e.g. `neu-1`) so that other rows of the same file can refer
to it. `Übergeordnet` is the ID/name of the parent goal (for a measure: its goal);
`Abhängig von` lists measure IDs/names separated by commas. The link columns carry the ids of
workshop cards (`K7`), SWOT items (`S3`) and inventory entries (`B5`) next to their readable
text; only the id columns are read back. Import checks the whole file first and writes nothing
when any row is wrong (services.plan_import).

Files from before the IDs (column `Schlüssel` instead of `ID`) are still read: their keys name
rows inside the file only, so every row is new.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from zwk import formatting
from zwk.core.params import YEARS
from zwk.plan.models import Goal, Measure
from zwk.reports.xlsx import cell_value, workbook_bytes

LINK_COLUMNS = {  # model field → (readable column, id column, id prefix)
    "cards": ("Karten der Werkstatt", "Karten (IDs)", "K"),
    "swot_items": ("SWOT-Punkte", "SWOT (IDs)", "S"),
    "inventory_entries": ("Bestandsaufnahme", "Bestandsaufnahme (IDs)", "B"),
}
COLUMNS = ("Typ", "ID", "Handlungsfeld", "Übergeordnet", "Titel", "Beschreibung",
           "Gewicht", "Kennzahl", "Eigene Kennzahl", "Einheit", "Quelle", "Ausgangswert",
           "Jahr des Ausgangswerts", "Zielwert", "Zieldatum", "Zielgruppen", "Federführung",
           "Partner:innen", "Beginn", "Ende", "Budget in Euro", "Finanzierung", "Status",
           "Fortschritt abweichend", "Priorität", "Abhängig von") + tuple(
    c for text, ids, _prefix in LINK_COLUMNS.values() for c in (text, ids))
LEGACY_KEY = "Schlüssel"
READ_ONLY = {text for text, _ids, _prefix in LINK_COLUMNS.values()}
REQUIRED = ("Typ", "ID", "Handlungsfeld", "Übergeordnet", "Titel")
GOAL, MEASURE = "Ziel", "Maßnahme"
PRIORITIES = {str(label): value for value, label in Measure.Priority.choices}
PRIORITY_LABEL = {value: str(label) for value, label in Measure.Priority.choices}
DB_ID = re.compile(r"^([ZM])(\d{1,12})$")
LINK_ID = re.compile(r"^([A-Z])(\d{1,12})$")
SEPARATOR = " | "
#: Limits of an import file: rows (a large plan has a few hundred), columns, and the unpacked
#: size of an XLSX (a zip: a file of 1 MB can unpack to gigabytes).
MAX_ROWS = 20_000
MAX_COLUMNS = 100
MAX_XLSX_UNPACKED = 50 * 1024 * 1024
THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
# column → model field, for goals and measures
GOAL_TEXT = {"Beschreibung": "description", "Eigene Kennzahl": "indicator_name",
             "Einheit": "indicator_unit", "Quelle": "indicator_source"}
MEASURE_TEXT = {"Beschreibung": "description", "Zielgruppen": "target_groups",
                "Federführung": "lead", "Partner:innen": "partners",
                "Finanzierung": "funding_source"}


def _num(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def goal_facts(goal: Goal, progress: float | None) -> list[str]:
    """A goal's SMART details in German words, for documents (DOCX, PDF)."""
    from zwk.profile.analysis import INDICATOR_BY_KEY

    facts = []
    if goal.indicator_key or goal.indicator_name:
        profile_indicator = INDICATOR_BY_KEY.get(goal.indicator_key)
        name = goal.indicator_name or (str(profile_indicator.label) if profile_indicator else "")
        facts.append(f"Kennzahl: {name or '–'}"
                     + (f" ({goal.indicator_unit})" if goal.indicator_unit else ""))
    if goal.baseline_value is not None:
        facts.append(f"Ausgangswert {formatting.number_trimmed(goal.baseline_value)}"
                     + (f" ({goal.baseline_year})" if goal.baseline_year else ""))
    if goal.target_value is not None:
        facts.append(f"Zielwert {formatting.number_trimmed(goal.target_value)}"
                     + (f" bis {_day(goal.target_date)}" if goal.target_date else ""))
    if progress is not None:
        facts.append(f"Fortschritt {formatting.number_trimmed(progress, 1)} %")
    return facts


def goal_id(pk: int) -> str:
    return f"Z{pk}"


def measure_id(pk: int) -> str:
    return f"M{pk}"


def _card_text(card) -> str:
    cluster = f" [{card.cluster.title}]" if card.cluster_id else ""
    return f"{card.text}{cluster}"


def _links(objs, key: str) -> list[str]:
    text_of = {"cards": _card_text, "swot_items": lambda s: s.text,
               "inventory_entries": lambda e: e.title}[key]
    prefix = LINK_COLUMNS[key][2]
    objs = sorted(objs, key=lambda o: o.pk)
    return [SEPARATOR.join(text_of(o) for o in objs), ", ".join(f"{prefix}{o.pk}" for o in objs)]


def plan_rows(commune) -> list[list[str]]:
    """The plan as rows of text (German number and date formats), depth-first."""
    from zwk.plan.selectors import export_links, plan_outline

    rows: list[list[str]] = []
    blocks = plan_outline(commune)
    links = export_links(commune)
    deps: dict[int, list[int]] = {}
    through = Measure.dependencies.through
    for src, dst in through.objects.filter(from_measure__commune=commune).values_list(
            "from_measure_id", "to_measure_id"):
        deps.setdefault(src, []).append(dst)
    empty_links = [""] * 6
    for block in blocks:
        for row in block.rows:
            g: Goal = row.goal
            rows.append([GOAL, goal_id(g.pk), block.action_field.name,
                         goal_id(g.parent_id) if g.parent_id else "", g.title, g.description,
                         _num(g.weight), g.indicator_key, g.indicator_name, g.indicator_unit,
                         g.indicator_source, _num(g.baseline_value), str(g.baseline_year or ""),
                         _num(g.target_value), _day(g.target_date)] + [""] * 11
                        + ["", ""] + _links(links.goal_swot.get(g.pk, []), "swot_items")
                        + ["", ""])
            for m in row.measures:
                rows.append([MEASURE, measure_id(m.pk), block.action_field.name,
                             goal_id(g.pk), m.title, m.description, _num(m.weight)]
                            + [""] * 8
                            + [m.target_groups, m.lead, m.partners, _day(m.start), _day(m.end),
                               _num(m.budget), m.funding_source, m.status.name,
                               "" if m.progress_override is None else str(m.progress_override),
                               PRIORITY_LABEL[m.priority],
                               ", ".join(measure_id(d) for d in sorted(deps.get(m.pk, [])))]
                            + (_links(links.cards.get(m.pk, []), "cards")
                               + _links(links.swot.get(m.pk, []), "swot_items")
                               + _links(links.inventory.get(m.pk, []), "inventory_entries")
                               if links.any(m.pk) else empty_links))
    return rows


def _guard(text: str) -> str:
    return cell_value(text) if isinstance(text, str) else text


_NUMERIC = {COLUMNS.index(c) for c in ("Gewicht", "Ausgangswert", "Zielwert", "Budget in Euro")}
_INTEGER = {COLUMNS.index(c) for c in ("Jahr des Ausgangswerts", "Fortschritt abweichend")}


def plan_csv(commune) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in plan_rows(commune):
        writer.writerow([_guard(c).replace(".", ",", 1) if i in _NUMERIC and c else _guard(c)
                         for i, c in enumerate(row)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def plan_xlsx(commune) -> bytes:
    rows = []
    for row in plan_rows(commune):
        rows.append([_xlsx_cell(i, c) for i, c in enumerate(row)])
    return workbook_bytes({"Werkstattplan": (COLUMNS, rows)})


def _xlsx_cell(index: int, text: str) -> Any:
    if text and (index in _NUMERIC or index in _INTEGER):
        return Decimal(text) if "." in text else int(text)
    return text



def plan_docx(commune) -> bytes:
    """The plan as a Word document for council papers: per Handlungsfeld its goals (SMART
    details, progress) and a table of their measures with where each came from (workshop
    cards, SWOT items, inventory). Synthetic demo data says so in the page header."""
    from django.utils import timezone
    from docx import Document

    from zwk.plan.selectors import export_links, plan_outline
    from zwk.reports.docx import add_banner, add_table

    document = Document()
    if commune.programme.is_demo:
        add_banner(document.sections[0], "DEMO – synthetische Daten")
    document.add_heading(f"Werkstattplan {commune.name}", level=0)
    document.add_paragraph(f"Stand: {timezone.localdate():%d.%m.%Y} (aktueller Entwurf)")
    links = export_links(commune)
    empty = True
    for block in plan_outline(commune):
        if not block.rows:
            continue
        empty = False
        progress = ("" if block.progress is None
                    else f" – Fortschritt {formatting.number_trimmed(block.progress, 1)} %")
        document.add_heading(f"{block.action_field.name}{progress}", level=1)
        for row in block.rows:
            g = row.goal
            document.add_heading(g.title, level=min(2 + row.depth, 9))
            details = goal_facts(g, row.progress)
            if details:
                document.add_paragraph(" · ".join(details))
            if g.description:
                document.add_paragraph(g.description)
            swot = links.goal_swot.get(g.pk, [])
            if swot:
                document.add_paragraph("SWOT: " + SEPARATOR.join(s.text for s in swot))
            if row.measures:
                add_table(document, ["Maßnahme", "Federführung", "Zeitraum", "Budget in Euro",
                                     "Status", "Fortschritt", "Herkunft"],
                          [[m.title, m.lead, " – ".join(_day(d) for d in (m.start, m.end) if d),
                            formatting.number_trimmed(m.budget, 2), m.status.name, f"{m.progress} %",
                            origin_text(links, m.pk)] for m in row.measures])
    if empty:
        document.add_paragraph("Der Plan hat noch keine Ziele.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def origin_text(links, measure_pk: int) -> str:
    """Where a measure comes from, in words: workshop cards, SWOT items, inventory."""
    parts = []
    for label, objs, key in (("Karten", links.cards.get(measure_pk, []), "cards"),
                             ("SWOT", links.swot.get(measure_pk, []), "swot_items"),
                             ("Bestandsaufnahme", links.inventory.get(measure_pk, []),
                              "inventory_entries")):
        if objs:
            parts.append(f"{label}: {_links(objs, key)[0]}")
    return "; ".join(parts)


# --- import ----------------------------------------------------------------------------------

class ImportRejected(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class Row:
    line: int
    kind: str
    key: str                       # the ID cell as written ("Z12", "neu-1" or "")
    values: dict[str, Any] = field(default_factory=dict)   # only the columns in the file
    parent: str = ""
    dependencies: list[str] | None = None                  # None: column not in the file
    links: dict[str, list[int]] = field(default_factory=dict)  # only the id columns in the file
    db_id: int | None = None       # pk of the existing goal/measure this row updates


@dataclass
class ParsedFile:
    rows: list[Row]
    columns: set[str]
    legacy: bool
    errors: list[str] = field(default_factory=list)   # row problems (collect=True only)


def read_table(name: str, content: bytes) -> list[list[str]]:
    """Rows of text from a CSV (UTF-8, ; or ,) or XLSX file; German messages on failure.
    Both are read row by row and stop at MAX_ROWS; an XLSX (a zip) is refused before it is
    unpacked when its parts would unpack to more than MAX_XLSX_UNPACKED bytes."""
    if name.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRejected(["Die Datei ist nicht in UTF-8 gespeichert. Bitte speichern Sie "
                              "sie als „CSV UTF-8“."]) from error
    first = text.split("\n", 1)[0]
    dialect = ";" if first.count(";") >= first.count(",") else ","
    try:
        return _capped(csv.reader(io.StringIO(text), delimiter=dialect))
    except csv.Error as error:
        raise ImportRejected(["Die CSV-Datei ist nicht lesbar: ein Feld ist zu lang oder ein "
                              "Anführungszeichen wird nicht geschlossen."]) from error


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, EOFError, ValueError) as error:
        raise ImportRejected(["Die Datei ist keine lesbare XLSX-Datei."]) from error
    if unpacked > MAX_XLSX_UNPACKED:
        raise ImportRejected([f"Die XLSX-Datei ist entpackt größer als "
                              f"{MAX_XLSX_UNPACKED // (1024 * 1024)} MB. Bitte teilen Sie den "
                              "Plan auf mehrere Dateien auf."])
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            rows = book.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
            table = _capped([_cell_text(c) for c in row] for row in rows)
        finally:
            book.close()
    except ImportRejected:
        raise
    except Exception as error:  # openpyxl raises many kinds
        raise ImportRejected([f"Die Datei ist keine lesbare XLSX-Datei ({error})."]) from error
    if any(len(row) > MAX_COLUMNS and row[MAX_COLUMNS] for row in table):
        raise ImportRejected([f"Die Datei hat mehr als {MAX_COLUMNS} Spalten."])
    return table


def _capped(rows) -> list[list[str]]:
    """The rows, read one at a time, refused once there are more than MAX_ROWS."""
    table: list[list[str]] = []
    for row in rows:
        if len(table) > MAX_ROWS:       # the header plus MAX_ROWS rows are allowed
            raise ImportRejected([f"Die Datei hat mehr als {MAX_ROWS:,} Zeilen. Bitte teilen "
                                  "Sie den Plan auf mehrere Dateien auf.".replace(",", ".")])
        table.append(row)
    return table


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float | Decimal):   # a number cell: written the German way
        text = format(Decimal(repr(value)) if isinstance(value, float) else value, "f")
        text = text[:-2] if text.endswith(".0") else text
        return text.replace(".", ",")
    return str(value)


def _unguard(text: str) -> str:
    text = text.strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text


def is_db_ref(text: str) -> bool:
    return bool(DB_ID.match(text))


def parse_rows(table: list[list[str]], *, action_fields: dict[str, Any],
               statuses: dict[str, Any], collect: bool = False) -> ParsedFile:
    """Check every row on its own (types, lengths, known names); raise ImportRejected with one
    German message per problem (with `collect`, row problems are returned in `errors` so that
    the caller can add its own before rejecting). What needs the database (IDs, parents,
    cycles) is checked by services.plan_import."""
    errors: list[str] = []
    if not table or not any(str(c).strip() for c in table[0]):
        raise ImportRejected(["Die Datei ist leer."])
    header = [str(c).strip() for c in table[0]]
    legacy = LEGACY_KEY in header and "ID" not in header
    if legacy:
        header = ["ID" if c == LEGACY_KEY else c for c in header]
    unknown = [c for c in header if c and c not in COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    doubled = sorted({c for c in header if c and header.count(c) > 1})
    if unknown:
        errors.append("Unbekannte Spalten: " + ", ".join(f"„{c}“" for c in unknown)
                      + ". Erlaubt sind: " + ", ".join(COLUMNS) + ".")
    if missing:
        errors.append("Es fehlen die Spalten: " + ", ".join(f"„{c}“" for c in missing) + ".")
    if doubled:
        errors.append("Doppelte Spalten: " + ", ".join(f"„{c}“" for c in doubled) + ".")
    if errors:
        raise ImportRejected(errors)
    present = {c for c in header if c}
    rows: list[Row] = []
    keys: dict[str, Row] = {}
    for line, raw in enumerate(table[1:], start=2):
        cells = {h: _unguard(str(raw[i])) if i < len(raw) and raw[i] is not None else ""
                 for i, h in enumerate(header) if h}
        if not any(cells.values()):
            continue

        def bad(column: str, message: str, line: int = line) -> None:
            errors.append(f"Zeile {line}, Spalte „{column}“: {message}")

        row = _parse_row(line, cells, present, legacy, action_fields, statuses, bad)
        if row is None:
            continue
        if row.key:
            if row.key in keys:
                bad("ID", f"„{row.key}“ kommt schon in Zeile {keys[row.key].line} vor.")
            else:
                keys[row.key] = row
        rows.append(row)
    if errors and not collect:
        raise ImportRejected(errors)
    return ParsedFile(rows, present, legacy, errors)


def _text(cells, column, model, name, bad) -> str:
    value = cells.get(column, "")
    limit = model._meta.get_field(name).max_length
    if limit and len(value) > limit:
        bad(column, f"Der Text ist länger als {limit} Zeichen.")
    return value


def _parse_row(line, cells, present, legacy, action_fields, statuses, bad) -> Row | None:
    kind = cells.get("Typ", "")
    if kind not in (GOAL, MEASURE):
        bad("Typ", f"„{kind}“ ist weder „{GOAL}“ noch „{MEASURE}“.")
        return None
    model = Goal if kind == GOAL else Measure
    key = cells.get("ID", "")
    row = Row(line, kind, key, parent=cells.get("Übergeordnet", ""))
    match = DB_ID.match(key)
    if match and not legacy:
        prefix = "Z" if kind == GOAL else "M"
        if match.group(1) != prefix:
            bad("ID", f"„{key}“ ist die ID "
                + ("einer Maßnahme" if match.group(1) == "M" else "eines Ziels")
                + f", die Zeile ist aber vom Typ „{kind}“.")
        else:
            row.db_id = int(match.group(2))
    title = cells.get("Titel", "")
    if not title:
        bad("Titel", "Der Titel fehlt.")
    elif len(title) > 280:
        bad("Titel", "Der Titel ist länger als 280 Zeichen.")
    af_name = cells.get("Handlungsfeld", "")
    if af_name not in action_fields:
        bad("Handlungsfeld", f"„{af_name}“ ist kein Handlungsfeld dieser Kommune.")
    values: dict[str, Any] = {"title": title}
    if kind == GOAL:
        values["action_field"] = action_fields.get(af_name)
    if "Gewicht" in present:
        weight = _decimal(cells["Gewicht"], "Gewicht", bad, model, "weight")
        values["weight"] = Decimal("1.00") if weight is None else weight
    texts = GOAL_TEXT if kind == GOAL else MEASURE_TEXT
    for column, name in texts.items():
        if column in present:
            values[name] = _text(cells, column, model, name, bad)
    other = MEASURE_TEXT if kind == GOAL else GOAL_TEXT
    only_other = [c for c in other if c not in texts] + (
        ["Kennzahl", "Ausgangswert", "Jahr des Ausgangswerts", "Zielwert", "Zieldatum"]
        if kind == MEASURE else ["Beginn", "Ende", "Budget in Euro", "Status",
                                 "Fortschritt abweichend", "Priorität", "Abhängig von",
                                 "Karten (IDs)", "Bestandsaufnahme (IDs)"])
    for column in only_other:
        if cells.get(column):
            bad(column, f"Diese Spalte gilt nicht für eine Zeile vom Typ „{kind}“; bitte "
                "lassen Sie sie leer.")
    if kind == GOAL:
        if "Kennzahl" in present:
            from zwk.profile.analysis import INDICATOR_BY_KEY

            indicator_key = cells["Kennzahl"]
            if indicator_key and indicator_key not in INDICATOR_BY_KEY:
                bad("Kennzahl", f"„{indicator_key}“ ist keine Kennzahl des Kommunalprofils.")
            values["indicator_key"] = indicator_key
        if values.get("indicator_key") and values.get("indicator_name"):
            bad("Eigene Kennzahl", "Bitte entweder eine Kennzahl des Kommunalprofils oder eine "
                "eigene Kennzahl angeben, nicht beides.")
        for column, name in (("Ausgangswert", "baseline_value"), ("Zielwert", "target_value")):
            if column in present:
                values[name] = _decimal(cells[column], column, bad, model, name)
        if "Jahr des Ausgangswerts" in present:
            year = _int(cells["Jahr des Ausgangswerts"], "Jahr des Ausgangswerts", bad)
            if year is not None and not YEARS[0] <= year <= YEARS[1]:
                bad("Jahr des Ausgangswerts", f"„{year}“ ist kein plausibles Jahr (erwartet: "
                    f"{YEARS[0]} bis {YEARS[1]}).")
                year = None
            values["baseline_year"] = year
        if "Zieldatum" in present:
            values["target_date"] = _date(cells["Zieldatum"], "Zieldatum", bad)
    else:
        if "Status" in present:
            status_name = cells["Status"]
            if status_name not in statuses:
                bad("Status", f"„{status_name}“ ist kein bekannter Status. Erlaubt sind: "
                    + ", ".join(n for n, s in statuses.items() if s.is_active) + ".")
            values["status"] = statuses.get(status_name)
        if "Priorität" in present:
            priority = cells["Priorität"] or PRIORITY_LABEL["mittel"]
            if priority not in PRIORITIES:
                bad("Priorität", f"„{priority}“ ist keine Priorität (hoch, mittel, niedrig).")
            values["priority"] = PRIORITIES.get(priority, "mittel")
        if "Fortschritt abweichend" in present:
            progress = _int(cells["Fortschritt abweichend"], "Fortschritt abweichend", bad)
            if progress is not None and not 0 <= progress <= 100:
                bad("Fortschritt abweichend", "Der Wert muss zwischen 0 und 100 liegen.")
                progress = None
            values["progress_override"] = progress
        for column, name in (("Beginn", "start"), ("Ende", "end")):
            if column in present:
                values[name] = _date(cells[column], column, bad)
        if values.get("start") and values.get("end") and values["end"] < values["start"]:
            bad("Ende", "Das Ende liegt vor dem Beginn.")
        if "Budget in Euro" in present:
            values["budget"] = _decimal(cells["Budget in Euro"], "Budget in Euro", bad, model,
                                        "budget")
        if "Abhängig von" in present:
            row.dependencies = [d.strip() for d in cells["Abhängig von"].split(",")
                                if d.strip()]
    for name, (_text_column, id_column, prefix) in LINK_COLUMNS.items():
        if id_column not in present or (kind == GOAL and name != "swot_items"):
            continue
        ids = []
        for part in (p.strip() for p in cells[id_column].replace(";", ",").split(",")):
            if not part:
                continue
            match = LINK_ID.match(part)
            if match is None or match.group(1) != prefix:
                bad(id_column, f"„{part}“ ist keine ID dieser Spalte (z. B. {prefix}12).")
            else:
                ids.append(int(match.group(2)))
        row.links[name] = ids
    row.values = values
    return row


def _decimal(text: str, column: str, bad, model=None, name: str = "") -> Decimal | None:
    if not text:
        return None
    text = text.replace(" ", "").replace("\u00a0", "")
    if "," in text or THOUSANDS.match(text):    # German: 1.234,56 / 2.500
        text = text.replace(".", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        bad(column, f"„{text}“ ist keine Zahl.")
        return None
    if not value.is_finite() or value < 0:
        bad(column, f"„{text}“ ist keine zulässige Zahl (nicht negativ).")
        return None
    if model is not None and name:
        spec = model._meta.get_field(name)
        places = spec.decimal_places
        if value != value.quantize(Decimal(1).scaleb(-places)):
            bad(column, f"„{text}“ hat mehr als {places} Nachkommastellen.")
            return None
        if value >= Decimal(10) ** (spec.max_digits - places):
            bad(column, f"„{text}“ ist zu groß.")
            return None
        value = value.quantize(Decimal(1).scaleb(-places))
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
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
        try:
            value = datetime.strptime(text[:10] if fmt != "%d.%m.%y" else text, fmt).date()
        except ValueError:
            continue
        if not YEARS[0] <= value.year <= YEARS[1]:
            bad(column, f"„{text}“ liegt nicht zwischen {YEARS[0]} und {YEARS[1]}.")
            return None
        return value
    bad(column, f"„{text}“ ist kein Datum (TT.MM.JJJJ, z. B. 31.12.2026).")
    return None
