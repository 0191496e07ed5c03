"""Decompression bombs and endless files: data files are refused at the limits while they are
unpacked, with German messages (the bombs are built here, small on disk)."""

from __future__ import annotations

import io
import zipfile

import pytest

from zwk.demography.errors import DemographyImportError
from zwk.demography.io import common, read_content, read_file

LINE = b"x;y;z;" + b"0" * 58 + b"\n"          # 64 bytes, compresses to almost nothing


def bomb(path, unpacked: int, name: str = "12411-bombe.csv") -> None:
    """A zip whose one CSV honestly declares `unpacked` bytes, written in chunks."""
    chunk = LINE * (1024 * 1024 // len(LINE))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive, \
            archive.open(name, "w", force_zip64=True) as member:
        left = unpacked
        while left > 0:
            member.write(chunk[:left])
            left -= len(chunk)


def test_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    path = tmp_path / "bombe.zip"
    bomb(path, common.MAX_UNCOMPRESSED_BYTES + 1024 * 1024)
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(DemographyImportError) as error:
        read_file(path)
    assert "entpackt größer als 200 MB" in str(error.value)
    assert "bombe.zip" in str(error.value)


def test_zip_member_that_lies_about_its_size_stops_at_the_limit(tmp_path, monkeypatch):
    """The central directory claims 1 KiB, the data are 4 MiB: the declared size passes the
    check, and the unpacking stops once the real bytes pass the limit."""
    monkeypatch.setattr(common, "MAX_UNCOMPRESSED_BYTES", 2 * 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("luege.csv", LINE * (4 * 1024 * 1024 // len(LINE)))
    raw = bytearray(buffer.getvalue())
    central = raw.rindex(b"PK\x01\x02")            # uncompressed size at offset 24
    raw[central + 24:central + 28] = (1024).to_bytes(4, "little")
    path = tmp_path / "luege.zip"
    path.write_bytes(bytes(raw))
    read_sizes = []
    original = zipfile.ZipExtFile.read

    def counting_read(self, n=-1):
        data = original(self, n)
        read_sizes.append(len(data))
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    with pytest.raises(DemographyImportError) as error:
        read_file(path)
    assert sum(read_sizes) <= 3 * 1024 * 1024
    assert "entpackt größer als 2 MB" in str(error.value) or "beschädigt" in str(error.value)


def test_too_many_lines_are_refused_while_unpacking(tmp_path, monkeypatch):
    monkeypatch.setattr(common, "MAX_LINES", 10_000)
    path = tmp_path / "lang.zip"
    bomb(path, 20_000 * len(LINE))
    with pytest.raises(DemographyImportError) as error:
        read_file(path)
    assert "mehr als 10.000 Zeilen" in str(error.value)
    plain = tmp_path / "lang.csv"
    plain.write_bytes(LINE * 20_000)
    with pytest.raises(DemographyImportError, match="mehr als 10.000 Zeilen"):
        read_file(plain)


def test_an_endless_single_line_is_a_german_error_not_a_crash():
    """8 MB in one line: the csv module's field limit becomes a message, not a 500."""
    text = "statistics_code;" + "a" * (8 * 1024 * 1024)
    with pytest.raises(DemographyImportError) as error:
        read_content(text, "eine-zeile.csv")
    assert "ein Feld ist länger als 131.072 Zeichen" in str(error.value)
