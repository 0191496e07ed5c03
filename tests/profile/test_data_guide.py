"""Getting data in (issue 11, item 5): the guide names the official tables and where to get
them, the register template has the exact columns the importer reads, "Nur prüfen" shows what
a file would load and stores nothing, and a register extract is labelled as the commune's own
data (never "amtlich", never credited under the official licence)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.profile.test_data import assert_nothing_stored, media  # noqa: F401  (fixture)
from zwk.history.models import HistoryEvent
from zwk.profile import data
from zwk.profile.models import DataSource
from zwk.profile.upload_check import REGISTER_COLUMNS

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parents[1] / "demography" / "data"
OFFICIAL = "12411-02-03-5_ffcsv.csv"         # Hallenberg 05958020 and others, not synthetic
REGISTER = "melderegister.csv"               # Musterstadt 09999001, a city's own extract
LICENCE = "Datenlizenz Deutschland"


def rekey(commune, ags: str, name: str):
    type(commune).objects.filter(pk=commune.pk).update(ags=ags, name=name)
    commune.refresh_from_db()
    return commune


def read(name: str) -> bytes:
    return (FILES / name).read_bytes()


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
                    .split())


def test_guide_names_tables_sources_and_columns(world, login):
    html = login(world, "team_member").get(
        reverse("profile_data_guide", args=[world.commune.pk])).content.decode()
    for code in ("12411-02-03-5", "12612-91-01-5", "12613-91-01-5", "12711-91-01-5"):
        assert code in html
    assert 'href="https://www.regionalstatistik.de/genesis/online"' in html
    assert "GENESIS-Online" in html and "<script src=\"http" not in html
    for column, _text in REGISTER_COLUMNS:
        assert f"<code>{column}</code>" in html
    assert reverse("profile_data_template", args=[world.commune.pk]) in html
    assert reverse("profile_data_check", args=[world.commune.pk]) in html   # may upload


def test_template_has_the_exact_columns_and_loads_with_the_importer(world, login):
    commune = rekey(world.commune, "05958004", "Arnsberg")
    response = login(world, "coordinator").get(
        reverse("profile_data_template", args=[commune.pk]))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "ags;name;jahr;geschlecht;alter;anzahl"
    assert lines[1] == "05958004;Arnsberg;2023;m;0;251"
    check = data.data_source_check(commune=commune, name="vorlage.csv",
                                   content=response.content)
    assert check.years == [2023] and [r["ags"] for r in check.regions] == ["05958004"]
    assert check.variables[0]["rows"] == 6 and check.layout == DataSource.OWN_DATA


def test_check_only_shows_what_would_load_and_stores_nothing(world, login):
    commune = rekey(world.commune, "09999001", "Musterstadt")
    events_before = HistoryEvent.objects.count()
    response = login(world, "coordinator").post(
        reverse("profile_data_check", args=[commune.pk]),
        {"file": SimpleUploadedFile(REGISTER, read(REGISTER)), "title": ""})
    assert response.status_code == 200
    html = " ".join(response.content.decode().split())
    assert "Ergebnis der Prüfung: „melderegister.csv“ – nichts gespeichert" in html
    assert "Musterstadt (09999001)" in html and "2021–2022" in html
    assert "Bevölkerung nach Geschlecht und Alter" in html
    assert "eigene Daten der Kommune (keine amtliche Statistik)" in html
    assert "Melderegister-Auszug, also eigene Daten der Kommune" in html   # the warning
    assert_nothing_stored(commune)
    assert HistoryEvent.objects.count() == events_before


def test_check_only_refuses_a_bad_file_in_german_and_stores_nothing(world, login):
    commune = rekey(world.commune, "09999001", "Musterstadt")
    response = login(world, "coordinator").post(
        reverse("profile_data_check", args=[commune.pk]),
        {"file": SimpleUploadedFile("bad.csv", read("bad_nonnumeric.csv")), "title": ""})
    assert response.status_code == 400
    assert "keine Zahl" in response.content.decode()
    assert_nothing_stored(commune)


def test_check_of_an_official_file(world):
    commune = rekey(world.commune, "05958020", "Hallenberg")
    check = data.data_source_check(commune=commune, name=OFFICIAL, content=read(OFFICIAL))
    assert check.layout == "amtlich" and check.official
    assert any(r["ags"] == "05958020" and r["own"] for r in check.regions)
    assert any("außerhalb von Hallenberg" in w for w in check.warnings)   # other towns
    assert not any("Melderegister" in w for w in check.warnings)
    assert_nothing_stored(commune)


def test_register_extract_is_own_data_everywhere(world, login):
    commune = rekey(world.commune, "09999001", "Musterstadt")
    source = data.data_source_add(commune=commune, name=REGISTER, content=read(REGISTER),
                                  by=None)
    assert source.layout == DataSource.OWN_DATA and not source.is_official
    assert source.source_line.startswith("Eigene Daten der Kommune (Melderegister-Auszug")
    client = login(world, "coordinator")
    html = client.get(reverse("profile_data", args=[commune.pk])).content.decode()
    assert '<span class="tag">eigene Daten der Kommune</span>' in html
    assert '<span class="tag">amtlich</span>' not in html
    text = pdf_text(client.get(reverse("profile_pdf", args=[commune.pk])).content)
    sources = text[text.rindex("Quellen und Lizenz"):]
    assert "Eigene Daten der Kommune (Melderegister-Auszug" in sources
    assert LICENCE not in sources and "Amtliche Daten" not in sources


def test_official_file_is_labelled_and_credited(world, login):
    commune = rekey(world.commune, "05958020", "Hallenberg")
    source = data.data_source_add(commune=commune, name=OFFICIAL, content=read(OFFICIAL),
                                  by=None)
    assert source.layout == "amtlich" and source.is_official
    client = login(world, "coordinator")
    html = client.get(reverse("profile_data", args=[commune.pk])).content.decode()
    assert '<span class="tag">amtlich</span>' in html
    text = pdf_text(client.get(reverse("profile_pdf", args=[commune.pk])).content)
    sources = text[text.rindex("Quellen und Lizenz"):]
    assert LICENCE in sources and "Amtliche Daten" in sources
