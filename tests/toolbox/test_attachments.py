"""Tool attachments: type by extension AND content, size, who may upload and download, and
nothing half-written when a write fails (zwk.process.uploads)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.access import Case, assert_case, request_case
from tests.conftest import ROLES
from tests.toolbox.conftest import make_tool
from zwk.toolbox import services
from zwk.toolbox.models import ToolAttachment

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload(client, tool, name, content, title="Handout"):
    return client.post(reverse("tool_attachment_add", args=[tool.slug]),
                       {"title": title, "file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize("name, content, message", [
    ("bild.png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
     "passt nicht zur Endung .png"),
    ("bild.jpg", PNG, "passt nicht zur Endung .jpg"),
    ("handout.pdf", b"<html><script>alert(1)</script></html>", "passt nicht zur Endung .pdf"),
    ("tabelle.xlsx", PDF, "passt nicht zur Endung .xlsx"),
    ("notiz.txt", b"MZ\x90\x00\x03\x00\x00\x00", "passt nicht zur Endung .txt"),
    ("seite.html", b"<html></html>", "können nicht hochgeladen werden"),
    ("bild.svg", b"<svg/>", "können nicht hochgeladen werden"),
    ("programm.exe", b"MZ\x90\x00", "können nicht hochgeladen werden"),
    ("handout.pdf.exe", PDF, "können nicht hochgeladen werden"),
    ("ohne_endung", PDF, "ohne Endung"),
    ("leer.pdf", b"", None),   # Django's form refuses an empty file first
])
def test_disguised_or_unwanted_files_are_refused_in_german(world, login, media, name, content,
                                                           message):
    tool = make_tool(title="Quxanhang")
    response = upload(login(world, "programme_office"), tool, name, content)
    assert response.status_code == 400
    page = response.content.decode()
    if message:
        assert message in page
    else:
        assert "leer" in page
    assert not ToolAttachment.objects.exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_too_large_file_is_refused(world, login, media, monkeypatch):
    monkeypatch.setattr(services, "MAX_ATTACHMENT_BYTES", 1000)
    tool = make_tool(title="Quxgross")
    response = upload(login(world, "programme_office"), tool, "gross.pdf", PDF + b"x" * 2000)
    assert response.status_code == 400
    assert "erlaubt sind höchstens" in response.content.decode()
    assert not ToolAttachment.objects.exists()


def test_stored_name_is_not_the_uploaded_name_and_download_is_forced(world, login, media):
    tool = make_tool(title="Quxpfad")
    client = login(world, "programme_office")
    assert upload(client, tool, "../../etc/passwd.txt", b"harmlos").status_code == 302
    attachment = ToolAttachment.objects.get()
    assert ".." not in attachment.file.name and attachment.file.name.startswith(
        f"toolbox/{tool.pk}/")
    assert attachment.content_type == "text/plain"   # from our check, not from the browser
    response = client.get(reverse("tool_attachment", args=[tool.slug, attachment.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "text/plain"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_failed_write_leaves_no_file(world, media, monkeypatch):
    tool = make_tool(title="Quxfehler")

    def broken(**kwargs):
        raise RuntimeError("history down")

    monkeypatch.setattr(services, "record", broken)
    with pytest.raises(RuntimeError):
        services.attachment_add(tool=tool, upload=SimpleUploadedFile("a.pdf", PDF),
                                title="A", by=None)
    assert not ToolAttachment.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*"))


MEMBERS = {"team_member", "coordinator", "consultant"}
OFFICE = {"programme_office", "superuser"}
IN_COMMUNE = MEMBERS | OFFICE
CURATORS = {"programme_office", "office_other_programme", "superuser"}


def draft_practice(w):
    w.tool = make_tool(title="Quxpraxis", owner_commune=w.commune, publish=False)


def programme_tool(w):
    w.tool = make_tool(title="Quxprogramm")


def with_file(prepare):
    def _prepare(w):
        prepare(w)
        w.attachment = services.attachment_add(
            tool=w.tool, upload=SimpleUploadedFile("a.pdf", PDF), title="A", by=None)
    return _prepare


CASES = [
    Case("upload to draft practice", IN_COMMUNE, "post",
         lambda w: reverse("tool_attachment_add", args=[w.tool.slug]),
         lambda w: {"title": "Neu", "file": SimpleUploadedFile("n.pdf", PDF)},
         prepare=draft_practice,
         effect=lambda w: ToolAttachment.objects.filter(title="Neu").exists()),
    Case("upload to programme tool", CURATORS, "post",
         lambda w: reverse("tool_attachment_add", args=[w.tool.slug]),
         lambda w: {"title": "Neu", "file": SimpleUploadedFile("n.pdf", PDF)},
         prepare=programme_tool,
         effect=lambda w: ToolAttachment.objects.filter(title="Neu").exists()),
    Case("download from draft practice", IN_COMMUNE, "get",
         lambda w: reverse("tool_attachment", args=[w.tool.slug, w.attachment.pk]),
         prepare=with_file(draft_practice)),
    Case("download from published tool", set(ROLES) - {"anonymous"}, "get",
         lambda w: reverse("tool_attachment", args=[w.tool.slug, w.attachment.pk]),
         prepare=with_file(programme_tool)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_permission(case, role, world, login, media):
    case.prepare(world)
    response = request_case(replace(case, prepare=None), role, world, login)
    assert_case(case, role, world, response)
