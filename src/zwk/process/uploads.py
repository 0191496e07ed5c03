"""Checks for uploaded documents: allowed types, real content, size. German messages."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath

from zwk import formatting

ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class FileType:
    content_type: str
    magic: tuple[bytes, ...] = ()  # empty: a text file, checked for being text
    label: str = ""


ALLOWED_TYPES: dict[str, FileType] = {
    ".pdf": FileType("application/pdf", (b"%PDF",), "PDF"),
    ".docx": FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                      (ZIP,), "Word"),
    ".xlsx": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      (ZIP,), "Excel"),
    ".pptx": FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation",
                      (ZIP,), "PowerPoint"),
    ".odt": FileType("application/vnd.oasis.opendocument.text", (ZIP,), "ODT"),
    ".ods": FileType("application/vnd.oasis.opendocument.spreadsheet", (ZIP,), "ODS"),
    ".odp": FileType("application/vnd.oasis.opendocument.presentation", (ZIP,), "ODP"),
    ".png": FileType("image/png", (b"\x89PNG\r\n\x1a\n",), "PNG"),
    ".jpg": FileType("image/jpeg", (b"\xff\xd8\xff",), "JPEG"),
    ".jpeg": FileType("image/jpeg", (b"\xff\xd8\xff",), "JPEG"),
    ".csv": FileType("text/csv", (), "CSV"),
    ".txt": FileType("text/plain", (), "Text"),
}


class UploadRejected(ValueError):
    """str() is a German message for the person who uploaded the file."""


def check_upload(*, name: str, size: int, head: bytes, max_bytes: int) -> FileType:
    """The file type of an acceptable upload, or UploadRejected saying what is wrong.

    `head` is the first kilobytes of the file: the content must match the extension, so a
    renamed executable cannot pass as a PDF.
    """
    suffix = PurePath(name).suffix.lower()
    file_type = ALLOWED_TYPES.get(suffix)
    if file_type is None:
        allowed = ", ".join(sorted({t.label for t in ALLOWED_TYPES.values()}))
        raise UploadRejected(
            f"Dateien vom Typ „{suffix or 'ohne Endung'}“ können nicht hochgeladen werden. "
            f"Erlaubt sind: {allowed}."
        )
    if size == 0:
        raise UploadRejected(f"Die Datei „{name}“ ist leer.")
    if size > max_bytes:
        raise UploadRejected(
            f"Die Datei „{name}“ ist {_mb(size)} groß; erlaubt sind höchstens {_mb(max_bytes)}."
        )
    if not _content_matches(file_type, head):
        raise UploadRejected(
            f"Der Inhalt von „{name}“ passt nicht zur Endung {suffix}. Bitte laden Sie die "
            "Originaldatei hoch."
        )
    return file_type


def _content_matches(file_type: FileType, head: bytes) -> bool:
    if file_type.magic:
        return any(head.startswith(magic) for magic in file_type.magic)
    return b"\x00" not in head


def _mb(size: int) -> str:
    return formatting.number(size / 1024 / 1024, 1) + " MB"


def check_uploaded_file(upload, *, max_bytes: int) -> FileType:
    """check_upload for a Django upload: reads its first bytes and rewinds it."""
    head = upload.read(4096)
    upload.seek(0)
    return check_upload(name=upload.name, size=upload.size, head=head, max_bytes=max_bytes)


@contextmanager
def stored_only_on_success(field_file):
    """Delete a just-stored file again if the rest of the write fails.

    The rows roll back with the transaction; the file on disk must go with them, so that a
    failed write leaves nothing half-written.
    """
    try:
        yield
    except Exception:
        field_file.delete(save=False)
        raise
