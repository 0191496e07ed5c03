"""Reports: PDF text via pypdf, DOCX via python-docx, XLSX via openpyxl, and escaping."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from zwk.reports import (
    LICENCE,
    OFFICIAL_SOURCE,
    SYNTHETIC_BANNER,
    Chapter,
    InventoryRow,
    KeyFigure,
    ProfileReport,
    ReportError,
    Swot,
    SwotItem,
    profile_docx,
    profile_pdf,
    render_pdf,
    text_blocks,
    workbook_bytes,
)
from zwk.reports.sample import sample_profile_report

HOSTILE = (
    '#panic("boom") $x^2$ *fett* _kursiv_ <label> ] [ \\ \\n @ref `code` '
    '#import "zwk.typ": * = Überschrift // Kommentar /* x */ "Anführung" {} #{1+1}'
)


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def small_report(**changes) -> ProfileReport:
    fields = dict(
        commune="Brilon",
        commune_type="Stadt",
        ags="05958012",
        state="Nordrhein-Westfalen",
        key_figures=[
            KeyFigure("Einwohner:innen", 25452, note="30.06.2020"),
            KeyFigure("Durchschnittsalter", 46.3, "Jahre"),
        ],
        swot=Swot(
            strengths=[SwotItem("Starke Vereine", "12 Interviews")],
            weaknesses=[SwotItem("Abwanderung Jugendlicher")],
            opportunities=[SwotItem("Rückkehrende Familien")],
            threats=[SwotItem("Ärztemangel", "KV-Bedarfsplanung")],
        ),
        inventory=[InventoryRow("Bürgerbus", "Mobilität", "Stadt", "2022–2024", "laufend")],
        chapters=[Chapter("Wohnen", "Leerstand in den Ortskernen.")],
    )
    fields.update(changes)
    return ProfileReport(**fields)


@pytest.fixture(scope="module")
def sample():
    return sample_profile_report()


@pytest.fixture(scope="module")
def sample_pdf(sample):
    return pdf_pages(profile_pdf(sample))


def test_pdf_shows_commune_key_figures_swot_and_licence():
    text = squash(" ".join(pdf_pages(profile_pdf(small_report()))))
    for expected in (
        "Brilon",
        "AGS 05958012",
        "25.452",
        "46,3 Jahre",
        "Starke Vereine",
        "Beleg: 12 Interviews",
        "Ärztemangel",
        "Bürgerbus",
        LICENCE,
        OFFICIAL_SOURCE,
        "Stärken",
        "Schwächen",
        "Chancen",
        "Risiken",
    ):
        assert expected in text, expected
    assert SYNTHETIC_BANNER not in text


def test_outline_follows_the_kommunalprofil_chapters():
    text = squash(" ".join(pdf_pages(profile_pdf(small_report()))))
    order = [
        "1 Basisinformationen",
        "2 Lage und Geografie",
        "3 Ausgangslage",
        "3.1 Demografische Entwicklung",
        "3.2 Wohnen",
        "4 Ausgangslage der kommunalen Demografiepolitik",
        "5 SWOT-Analyse",
        "6 Ausblick",
        "Quellen und Lizenz",
    ]
    body = text[text.index("Stand:") :]
    positions = [body.rindex(heading) for heading in order]
    assert positions == sorted(positions)


def test_synthetic_banner_is_on_every_page(sample_pdf):
    assert len(sample_pdf) >= 10
    for number, page in enumerate(sample_pdf, start=1):
        assert SYNTHETIC_BANNER in page, f"page {number} lacks the banner"
        assert f"Seite {number} von {len(sample_pdf)}" in page


def test_charts_and_their_data_tables_are_in_the_pdf(sample, sample_pdf):
    text = squash(" ".join(sample_pdf))
    assert "Anhang: Daten zu den Abbildungen" in text
    for figure in sample.figures:
        assert figure.caption in text
    # Axis text of the SVG pyramid is real text in the PDF, not a bitmap.
    assert "75 und mehr" in text


@pytest.mark.parametrize("field", ["commune", "basics", "chapter", "swot", "inventory"])
def test_user_text_is_never_interpreted_as_typst(field):
    changes = {
        "commune": {"commune": HOSTILE},
        "basics": {"basics": HOSTILE + "\n\n- " + HOSTILE},
        "chapter": {"chapters": [Chapter(HOSTILE, HOSTILE)]},
        "swot": {"swot": Swot(strengths=[SwotItem(HOSTILE, HOSTILE)])},
        "inventory": {"inventory": [InventoryRow(HOSTILE, note=HOSTILE)]},
    }[field]
    text = squash(" ".join(pdf_pages(profile_pdf(small_report(**changes)))))
    for fragment in (
        '#panic("boom")',
        "$x^2$",
        "*fett*",
        "_kursiv_",
        "<label>",
        "@ref",
        '#import "zwk.typ"',
        "#{1+1}",
        "\\",
    ):
        assert fragment in text, fragment


def test_render_pdf_rejects_unknown_templates_and_unsafe_file_names():
    with pytest.raises(ValueError, match="Unbekannte Berichtsvorlage"):
        render_pdf("../etc/passwd", {})
    with pytest.raises(ValueError, match="Unzulässiger Dateiname"):
        render_pdf("kommunalprofil.typ", small_report().to_dict(), {"../x.svg": b""})


def test_typst_errors_surface_as_report_error():
    with pytest.raises(ReportError):
        render_pdf("kommunalprofil.typ", {"commune": "nur ein Feld"})


def test_to_json_round_trips_and_formats_numbers_german():
    import json

    data = json.loads(small_report().to_json())
    assert data["key_figures"][0]["value"] == "25.452"
    assert data["sources"][0]["publisher"] == OFFICIAL_SOURCE


def test_text_blocks_split_paragraphs_and_lists():
    assert text_blocks("Eins\nzwei\n\n- a\n- b\n\n") == [
        {"kind": "paragraph", "text": "Eins zwei"},
        {"kind": "list", "items": ["a", "b"]},
    ]


def test_docx_has_headings_swot_grid_pictures_and_banner(sample):
    document = Document(io.BytesIO(profile_docx(sample)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Kommunalprofil Musterstadt (Sauerland)" in text
    assert "5 SWOT-Analyse" in text and LICENCE in text
    assert SYNTHETIC_BANNER in document.sections[0].header.paragraphs[0].text
    swot = next(t for t in document.tables if t.rows[0].cells[0].paragraphs[0].text == "Stärken")
    assert len(swot.rows) == 2 and len(swot.columns) == 2
    assert "Risiken" in swot.rows[1].cells[1].text
    assert len(document.inline_shapes) == len(sample.figures)
    key_table = document.tables[0]
    assert key_table.rows[1].cells[1].text == "25.310"


def test_docx_keeps_hostile_text_literal():
    document = Document(io.BytesIO(profile_docx(small_report(basics=HOSTILE))))
    assert HOSTILE in "\n".join(p.text for p in document.paragraphs)


def test_workbook_has_bold_frozen_header_numbers_and_safe_text():
    data = workbook_bytes(
        {
            "Bevölkerung": (
                ["Jahr", "Einwohner:innen"],
                [[2022, np.int64(25400)], [2023, 25310.5]],
            ),
            "Sonder/Zeichen:[x]*?": (["Text"], [['=HYPERLINK("http://x")'], ["-5"]]),
        }
    )
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Bevölkerung"]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet["B2"].value == 25400 and isinstance(sheet["B3"].value, float)
    assert sheet.column_dimensions["B"].width >= len("Einwohner:innen")
    other = workbook.worksheets[1]
    assert other.title == "Sonder_Zeichen__x___"
    assert other["A2"].value.startswith("'=") and other["A3"].value == "-5"
