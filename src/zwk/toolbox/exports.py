"""The usage overview of the Werkzeugkoffer as CSV (semicolon, UTF-8 with BOM, for Excel) and
XLSX: one row per tool with the communes that adopted it. User text is guarded against
formula injection (zwk.reports.xlsx.cell_value)."""

from __future__ import annotations

import csv
import io

from zwk.process.stages import STAGE_TYPES
from zwk.reports.xlsx import cell_value, workbook_bytes

COLUMNS = ["Werkzeug", "Art", "Status", "Themen", "Empfohlen für Schritte", "Übernahmen",
           "Zuletzt übernommen", "Übernommen von (Kommune, Datum, Maßnahme im Werkstattplan)",
           "Adresse"]


def stage_titles(tool) -> list[str]:
    return [f"{STAGE_TYPES[k].number}. {STAGE_TYPES[k].title}" for k in tool.stage_keys
            if k in STAGE_TYPES]


def adopters_text(tool) -> str:
    parts = []
    for a in tool.scoped_adoptions:
        text = f"{a.commune.name} ({a.adopted_at:%d.%m.%Y}"
        if a.measure is not None:
            text += f", Maßnahme „{a.measure.title}“"
        parts.append(text + ")")
    return "; ".join(parts)


def usage_rows(tools, *, base_url: str = "") -> list[list]:
    return [[t.title, str(t.get_type_display()), str(t.get_status_display()),
             ", ".join(x.name for x in t.topics.all()), ", ".join(stage_titles(t)),
             t.n_adoptions, f"{t.last_adopted:%d.%m.%Y}" if t.last_adopted else "",
             adopters_text(t), f"{base_url}/werkzeugkoffer/w/{t.slug}/"] for t in tools]


def usage_csv(tools, *, base_url: str = "") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in usage_rows(tools, base_url=base_url):
        writer.writerow([cell_value(c) for c in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def usage_xlsx(tools, *, base_url: str = "") -> bytes:
    return workbook_bytes({"Nutzung Werkzeugkoffer": (COLUMNS, usage_rows(tools,
                                                                          base_url=base_url))})
