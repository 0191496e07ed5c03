import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import ProgrammeFactory, UserFactory, make_commune
from zwk.history.models import HistoryEvent
from zwk.process import services
from zwk.process.models import Document
from zwk.process.uploads import UploadRejected, check_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize("name, head", [
    ("protokoll.pdf", PDF), ("Foto.JPG", b"\xff\xd8\xff\xe0rest"), ("liste.xlsx", b"PK\x03\x04x"),
    ("notizen.txt", "Grüße".encode()), ("daten.csv", b"a;b\n1;2\n"),
])
def test_allowed_files_pass(name, head):
    assert check_upload(name=name, size=len(head), head=head, max_bytes=1000)


@pytest.mark.parametrize("name, head, size, fragment", [
    ("virus.exe", b"MZ", 2, "„.exe“ können nicht hochgeladen werden"),
    ("ohne_endung", b"x", 1, "ohne Endung"),
    ("getarnt.pdf", b"MZ\x90\x00", 4, "passt nicht zur Endung .pdf"),
    ("binär.txt", b"ab\x00cd", 5, "passt nicht zur Endung .txt"),
    ("leer.pdf", b"", 0, "ist leer"),
    ("gross.pdf", PDF, 3 * 1024 * 1024, "3,0 MB groß; erlaubt sind höchstens 1,0 MB"),
])
def test_bad_files_are_rejected_with_a_german_reason(name, head, size, fragment):
    with pytest.raises(UploadRejected) as error:
        check_upload(name=name, size=size, head=head, max_bytes=1024 * 1024)
    assert fragment in str(error.value)


@pytest.mark.django_db
def test_upload_stores_file_under_a_random_name_and_records_it(media):
    stage = make_commune(ProgrammeFactory()).stages.get(key="kickoff")
    document = services.document_upload(
        stage=stage, upload=SimpleUploadedFile("../../etc/Protokoll.pdf", PDF), title="",
        kind="minutes", by=UserFactory())
    assert document.original_name == "Protokoll.pdf"
    assert document.title == "Protokoll.pdf"
    assert ".." not in document.file.name and "Protokoll" not in document.file.name
    assert document.file.read() == PDF
    assert HistoryEvent.objects.filter(verb="document.uploaded").count() == 1


@pytest.mark.django_db
def test_rejected_upload_writes_nothing(media):
    stage = make_commune(ProgrammeFactory()).stages.get(key="kickoff")
    with pytest.raises(UploadRejected):
        services.document_upload(stage=stage, upload=SimpleUploadedFile("x.pdf", b"MZ"),
                                 title="", kind="other", by=None)
    assert not Document.objects.exists()
    assert not HistoryEvent.objects.filter(verb="document.uploaded").exists()
    assert not [p for p in media.rglob("*") if p.is_file()]
