"""Plan import files at their limits: XLSX bombs (a small zip that unpacks to huge sheets or
millions of rows) and endless CSVs are refused while reading, with German messages, and nothing
is written. The bombs are built here, small on disk."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zwk.plan import exports, services
from zwk.plan.exports import COLUMNS, ImportRejected
from zwk.plan.models import Goal, Measure

pytestmark = pytest.mark.django_db

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Werkstattplan" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>"""


def xlsx_bomb(rows: int, *, padding: int = 0) -> bytes:
    """A real XLSX (openpyxl reads it) whose sheet has the export's header and then `rows`
    rows of one cell each (`padding` extra bytes per row), written in chunks."""
    def cell(col: int, text: str) -> str:
        letter = chr(ord("A") + col) if col < 26 else "A" + chr(ord("A") + col - 26)
        return f'<c r="{letter}1" t="inlineStr"><is><t>{text}</t></is></c>'

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://'
                        b'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            sheet.write(("<row>" + "".join(cell(i, c) for i, c in enumerate(COLUMNS))
                         + "</row>").encode())
            row = ('<row><c t="inlineStr"><is><t>Ziel' + " " * padding
                   + "</t></is></c></row>").encode()
            for start in range(0, rows, 10_000):
                sheet.write(row * min(10_000, rows - start))
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def test_xlsx_with_millions_of_rows_stops_at_the_row_limit(world):
    content = xlsx_bomb(200_000)
    assert len(content) < 1024 * 1024
    with pytest.raises(ImportRejected) as rejected:
        services.plan_import(commune=world.commune, name="bombe.xlsx", content=content,
                             by=None, dry_run=True)
    assert rejected.value.errors == ["Die Datei hat mehr als 20.000 Zeilen. Bitte teilen Sie "
                                     "den Plan auf mehrere Dateien auf."]


def test_xlsx_that_unpacks_to_more_than_the_limit_is_refused_before_reading(world,
                                                                             monkeypatch):
    content = xlsx_bomb(20_000, padding=3000)      # about 60 MB unpacked, 1 MB packed
    assert len(content) < 2 * 1024 * 1024
    opened = []
    import openpyxl

    monkeypatch.setattr(openpyxl, "load_workbook",
                        lambda *a, **k: opened.append(1) or pytest.fail("unpacked"))
    with pytest.raises(ImportRejected) as rejected:
        exports.read_table("bombe.xlsx", content)
    assert rejected.value.errors == ["Die XLSX-Datei ist entpackt größer als 50 MB. Bitte "
                                     "teilen Sie den Plan auf mehrere Dateien auf."]
    assert not opened


def test_csv_with_too_many_rows_is_refused(world):
    content = (";".join(COLUMNS) + "\n" + "Ziel;;x;;y\n" * 20_001).encode()
    with pytest.raises(ImportRejected) as rejected:
        services.plan_import(commune=world.commune, name="lang.csv", content=content, by=None)
    assert rejected.value.errors[0].startswith("Die Datei hat mehr als 20.000 Zeilen.")
    assert not Goal.objects.exists() and not Measure.objects.exists()


def test_csv_with_one_endless_field_is_a_german_error(world):
    content = (";".join(COLUMNS) + "\nZiel;;" + "x" * 200_000 + "\"\n").encode()
    with pytest.raises(ImportRejected) as rejected:
        services.plan_import(commune=world.commune, name="feld.csv", content=content, by=None)
    assert "ein Feld ist zu lang" in rejected.value.errors[0]


def test_upload_of_an_xlsx_bomb_answers_400_in_german(world, login):
    client = login(world, "coordinator")
    upload = SimpleUploadedFile("bombe.xlsx", xlsx_bomb(25_000))
    response = client.post(reverse("plan_import", args=[world.commune.pk]),
                           {"datei": upload, "aktion": "pruefen"})
    assert response.status_code == 400
    assert "Die Datei hat mehr als 20.000 Zeilen." in response.content.decode()
    assert not Goal.objects.exists()
