"""Uploading documents to a stage through the page: accepted and rejected files."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import commune
from zwk.process.models import Document

pytestmark = pytest.mark.e2e


def tiny_pdf() -> bytes:
    """The smallest well-formed one-page PDF, written by hand (xref offsets computed)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture
def profile_page(page, login_as):
    """The coordinator on the (open) Kommunalprofil stage of the Hochsauerlandkreis."""
    kreis = commune("Hochsauerlandkreis")
    login_as(page, "coordinator")
    page.goto(f"/kommunen/{kreis.pk}/schritte/profile/")
    return page, kreis.stages.get(key="profile")


def documents_section(page):
    return page.locator("section").filter(has=page.get_by_role("heading", name="Dokumente"))


def test_upload_a_pdf_and_download_it(profile_page, tmp_path):
    page, stage = profile_page
    pdf = tmp_path / "Protokoll Steuerungsgruppe.pdf"
    pdf.write_bytes(tiny_pdf())
    section = documents_section(page)
    section.get_by_label("Titel").fill("Protokoll der Steuerungsgruppe")
    section.get_by_label("Art").select_option(label="Protokoll")
    section.get_by_label("Datei").set_input_files(pdf)
    section.get_by_role("button", name="Hochladen").click()

    expect(page.locator(".message-success")).to_have_text("Das Dokument ist gespeichert.")
    link = documents_section(page).get_by_role("link", name="Protokoll der Steuerungsgruppe")
    expect(link).to_be_visible()
    document = Document.objects.get(stage=stage)
    assert (document.content_type, document.kind, document.size) == (
        "application/pdf", "minutes", len(tiny_pdf()))

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "Protokoll Steuerungsgruppe.pdf"
    assert Path(download.path()).read_bytes() == tiny_pdf()


@pytest.mark.parametrize("name, content, message", [
    ("rechnung.pdf", b"MZ\x90\x00\x03\x00\x00\x00 this is a Windows program",
     "Der Inhalt von „rechnung.pdf“ passt nicht zur Endung .pdf. Bitte laden Sie die "
     "Originaldatei hoch."),
    ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00",
     "Dateien vom Typ „.exe“ können nicht hochgeladen werden. Erlaubt sind:"),
])
def test_rejected_upload_says_why_in_german(profile_page, tmp_path, name, content, message):
    page, stage = profile_page
    path = tmp_path / name
    path.write_bytes(content)
    section = documents_section(page)
    file_input = section.get_by_label("Datei")
    file_input.set_input_files(path)
    section.get_by_role("button", name="Hochladen").click()

    section = documents_section(page)
    expect(section.locator(".form-errors")).to_contain_text("Bitte prüfen Sie die markierten Felder.")
    expect(section.locator(".field-error")).to_have_count(1)
    expect(section.locator(".field-error")).to_contain_text("Datei")
    expect(section.locator(".field-error .error")).to_contain_text(message)
    expect(page.locator(".message-success")).to_have_count(0)
    assert not Document.objects.filter(stage=stage).exists()


def test_upload_without_file_is_refused(profile_page):
    page, stage = profile_page
    documents_section(page).get_by_role("button", name="Hochladen").click()
    expect(documents_section(page).locator(".field .error")).to_have_text(
        "Dieses Feld ist zwingend erforderlich.")
    assert not Document.objects.filter(stage=stage).exists()
