"""The Kommunalprofil as a Word document (python-docx), same content as the PDF."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from zwk.charts import renderer
from zwk.reports.model import OFFICIAL_SOURCE, ProfileReport

BANNER_RED = RGBColor(0xB0, 0x00, 0x20)


def add_blocks(document: Any, blocks: list[dict[str, Any]]) -> None:
    for block in blocks:
        if block["kind"] == "list":
            for item in block["items"]:
                document.add_paragraph(item, style="List Bullet")
        else:
            document.add_paragraph(block["text"])


def add_table(document: Any, headers: list[str], rows: list[list[str]]) -> Any:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(header)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = str(value)
    return table


def add_banner(section: Any, text: str) -> None:
    """Header line on every page of the section, as in the PDF."""
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold, run.font.color.rgb, run.font.size = True, BANNER_RED, Pt(9)


def add_swot(document: Any, data: dict[str, Any]) -> None:
    table = document.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    for index, quadrant in enumerate(data["swot"]):
        cell = table.rows[index // 2].cells[index % 2]
        cell.paragraphs[0].add_run(quadrant["title"]).bold = True
        for item in quadrant["items"] or [{"text": "Keine Einträge", "evidence": ""}]:
            cell.add_paragraph(f"• {item['text']}")
            if item["evidence"]:
                cell.add_paragraph(f"Beleg: {item['evidence']}").runs[0].italic = True


def _png(figure: Any) -> bytes:
    return figure.png or renderer.svg_to_png(figure.svg.decode("utf-8"), scale=2)


def profile_docx(report: ProfileReport) -> bytes:
    """The Kommunalprofil as DOCX bytes: headings, tables, SWOT as 2×2 table, charts as PNG."""
    data = report.to_dict()
    document = Document()
    document.core_properties.title = f"{report.title} {report.commune}"
    document.styles["Normal"].font.name = "Liberation Sans"
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2.2)
    if report.synthetic:
        add_banner(section, data["banner"])
    section.footer.paragraphs[0].text = f"{report.title} · {report.commune} · Stand {report.as_of}"

    document.add_heading(f"{report.title} {report.commune}", level=0)
    facts = [report.commune_type, report.state, f"AGS {report.ags}" if report.ags else ""]
    document.add_paragraph(" · ".join(f for f in facts if f))
    document.add_paragraph(report.subtitle)

    document.add_heading("1 Basisinformationen", level=1)
    if data["key_figures"]:
        add_table(
            document,
            ["Kennzahl", "Wert", "Hinweis"],
            [[k["label"], k["value"], k["note"]] for k in data["key_figures"]],
        )
    add_blocks(document, data["basics"])
    document.add_heading("2 Lage und Geografie", level=1)
    add_blocks(document, data["geography"])
    _add_situation(document, report, data)
    document.add_heading("4 Ausgangslage der kommunalen Demografiepolitik", level=1)
    add_blocks(document, data["policy"])
    if data["inventory"]:
        document.add_heading("4.1 Bestandsaufnahme", level=2)
        add_table(
            document,
            ["Maßnahme / Projekt", "Handlungsfeld", "Träger", "Zeitraum", "Status", "Hinweis"],
            [
                [r["title"], r["action_field"], r["lead"], r["period"], r["status"], r["note"]]
                for r in data["inventory"]
            ],
        )
    document.add_heading("5 SWOT-Analyse", level=1)
    add_swot(document, data)
    _add_outlook(document, data)
    _add_sources(document, report, data)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _add_situation(document: Any, report: ProfileReport, data: dict[str, Any]) -> None:
    document.add_heading("3 Ausgangslage", level=1)
    document.add_heading("3.1 Demografische Entwicklung", level=2)
    add_blocks(document, data["demography"])
    for number, (figure, fig_data) in enumerate(
        zip(report.figures, data["figures"], strict=True), start=1
    ):
        document.add_picture(io.BytesIO(_png(figure)), width=Cm(16))
        document.add_paragraph(f"Abbildung {number}: {figure.caption}", style="Caption")
        add_table(document, fig_data["headers"], fig_data["rows"])
    for number, chapter in enumerate(data["chapters"], start=2):
        document.add_heading(f"3.{number} {chapter['title']}", level=2)
        add_blocks(document, chapter["blocks"])


def _add_outlook(document: Any, data: dict[str, Any]) -> None:
    document.add_heading("6 Ausblick", level=1)
    add_blocks(document, data["outlook"])
    if data["action_fields"]:
        document.add_heading("6.1 Mögliche Handlungsfelder für die Zukunftswerkstatt", level=2)
        for field in data["action_fields"]:
            text = field["title"] + (f": {field['reason']}" if field["reason"] else "")
            document.add_paragraph(text, style="List Bullet")


def _add_sources(document: Any, report: ProfileReport, data: dict[str, Any]) -> None:
    document.add_heading("Quellen und Lizenz", level=1)
    for source in data["sources"]:
        parts = [
            source["title"],
            source["publisher"],
            source["licence"],
            source["url"],
            f"abgerufen am {source['retrieved']}" if source["retrieved"] else "",
        ]
        document.add_paragraph(" – ".join(p for p in parts if p), style="List Bullet")
    if report.uses_official_data:
        document.add_paragraph(
            f"Amtliche Daten: {OFFICIAL_SOURCE}. Lizenz: {data['licence']} "
            f"({data['licence_url']}). Eigene Berechnungen und Darstellungen."
        )
    if report.synthetic:
        run = document.add_paragraph().add_run(
            f"{data['banner']}. Dieser Bericht dient nur zur Vorführung; alle Werte sind erfunden."
        )
        run.bold, run.font.color.rgb = True, BANNER_RED


__all__ = ["profile_docx"]
