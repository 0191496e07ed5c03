"""CSV/XLSX export and the validated import; PDF and timeline."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.plan.conftest import goal, measure
from zwk.plan import exports, selectors, services
from zwk.plan.exports import ImportRejected
from zwk.plan.models import Goal, Measure

pytestmark = pytest.mark.django_db


def build_plan(commune):
    fields = list(commune.action_fields.all()[:2])
    top = goal(commune, "Gut wohnen im Alter", field=fields[0], indicator_key="altenquotient",
               baseline_value=Decimal("38.5"), baseline_year=2023, target_value=Decimal("36"),
               target_date=dt.date(2030, 12, 31), weight=Decimal("2"))
    sub = goal(commune, "-Barrierefreie Wohnungen", parent=top, description="Zeile 1\nZeile 2")
    other = goal(commune, "Mobil bleiben", field=fields[1], indicator_name="Fahrgäste",
                 indicator_unit="Personen/Tag", indicator_source="Verkehrsbetrieb")
    a = measure(commune, sub, "Wohnberatung", key="umsetzung", lead="Sozialamt",
                partners="Seniorenbeirat; VdK", start=dt.date(2025, 1, 1),
                end=dt.date(2026, 6, 30), budget=Decimal("12000.50"),
                funding_source="Landesprogramm", priority="hoch", weight=Decimal("1.5"),
                target_groups="Ältere, Angehörige")
    b = measure(commune, other, "=Bürgerbus", progress_override=30, start=dt.date(2025, 3, 1),
                links={"dependencies": [a]})
    measure(commune, other, "Mitfahrbank", links={"dependencies": [a, b]})
    return top


def normalised(commune):
    """The plan without database ids: what a round trip must keep."""
    return exports.plan_rows(commune)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip_export_import_gives_identical_plan(world, fmt):
    build_plan(world.commune)
    content = (exports.plan_csv if fmt == "csv" else exports.plan_xlsx)(world.commune)
    before, snap_before = normalised(world.commune), selectors.plan_snapshot(world.commune)
    result = services.plan_import(commune=world.commune, name=f"plan.{fmt}", content=content,
                                  by=None)
    assert result.counts == {"goals": 0, "measures": 0, "created": 0, "updated": 0,
                             "unchanged": 6, "not_in_file": 0}
    assert normalised(world.commune) == before
    assert selectors.plan_snapshot(world.commune) == snap_before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_of_another_commune_is_rejected_by_its_ids(world, fmt):
    build_plan(world.commune)
    content = (exports.plan_csv if fmt == "csv" else exports.plan_xlsx)(world.commune)
    with pytest.raises(ImportRejected) as rejected:
        services.plan_import(commune=world.other_commune, name=f"plan.{fmt}", content=content,
                             by=None)
    assert "gibt es in dieser Kommune nicht" in rejected.value.errors[0]
    assert not Goal.objects.filter(commune=world.other_commune).exists()


def test_csv_guards_formula_injection_and_uses_german_formats(world):
    build_plan(world.commune)
    text = exports.plan_csv(world.commune).decode("utf-8-sig")
    assert "'=Bürgerbus" in text and "'-Barrierefreie" in text
    assert "12000,5" in text and "01.01.2025" in text
    assert text.splitlines()[0].split(";") == list(exports.COLUMNS)


def csv_file(*rows, header=exports.COLUMNS):
    lines = [";".join(header)] + [";".join(r) for r in rows]
    return ("\n".join(lines)).encode("utf-8")


def row(**cells):
    return [cells.get(c, "") for c in exports.COLUMNS]


def test_import_rejects_whole_file_with_messages_per_row(world):
    field = world.commune.action_fields.first().name
    content = csv_file(
        row(Typ="Ziel", ID="z1", Handlungsfeld=field, Titel="Gut"),
        row(Typ="Ziel", ID="z2", Handlungsfeld="Mondfahrt", Titel="x"),
        row(Typ="Maßnahme", ID="m1", Handlungsfeld=field, Übergeordnet="z9", Titel="a",
            Status="geplant"),
        row(Typ="Maßnahme", ID="m2", Handlungsfeld=field, Übergeordnet="z1", Titel="b",
            Status="geplant", Beginn="31.02.2025", **{"Budget in Euro": "viel"}),
        row(Typ="Maßnahme", ID="m3", Handlungsfeld=field, Übergeordnet="z1", Titel="c",
            Status="irgendwie", **{"Abhängig von": "m4"}),
        row(Typ="Maßnahme", ID="m4", Handlungsfeld=field, Übergeordnet="z1", Titel="d",
            Status="geplant", **{"Abhängig von": "m3"}),
    )
    with pytest.raises(ImportRejected) as rejected:
        services.plan_import(commune=world.commune, name="p.csv", content=content, by=None)
    text = "\n".join(rejected.value.errors)
    assert "Zeile 3, Spalte „Handlungsfeld“: „Mondfahrt“ ist kein Handlungsfeld" in text
    assert ("Zeile 4, Spalte „Übergeordnet“: Das Ziel „z9“ gibt es weder in der Datei noch in "
            "dieser Kommune." in text)
    assert "Zeile 5, Spalte „Beginn“: „31.02.2025“ ist kein Datum" in text
    assert "Zeile 5, Spalte „Budget in Euro“: „viel“ ist keine Zahl." in text
    assert "Zeile 6, Spalte „Status“: „irgendwie“ ist kein bekannter Status" in text
    assert "bilden einen Kreis: m3 → m4 → m3" in text
    assert not Goal.objects.exists() and not Measure.objects.exists()


def test_import_rejects_unknown_columns(world):
    content = csv_file(header=list(exports.COLUMNS) + ["Geheim"])
    with pytest.raises(ImportRejected) as rejected:
        services.plan_import(commune=world.commune, name="p.csv", content=content, by=None)
    assert "Unbekannte Spalten: „Geheim“" in rejected.value.errors[0]


def test_import_rejects_broken_xlsx_and_non_utf8(world):
    with pytest.raises(ImportRejected):
        services.plan_import(commune=world.commune, name="p.xlsx", content=b"kein zip", by=None)
    with pytest.raises(ImportRejected) as rejected:
        services.plan_import(commune=world.commune, name="p.csv",
                             content="Typ;Titel\nZiel;Größe".encode("latin-1"), by=None)
    assert "UTF-8" in rejected.value.errors[0]


def test_import_view_shows_errors_and_writes_nothing(world, login):
    client = login(world, "team_member")
    upload = SimpleUploadedFile("p.csv", csv_file(row(Typ="Idee", ID="X", Titel="<b>")))
    response = client.post(reverse("plan_import", args=[world.commune.pk]), {"datei": upload})
    assert response.status_code == 400
    assert "„Idee“ ist weder „Ziel“ noch „Maßnahme“" in response.content.decode()
    assert not Goal.objects.exists()


def test_import_view_permission(world, login):
    client = login(world, "consultant_other_commune")
    upload = SimpleUploadedFile("p.csv", csv_file())
    assert client.post(reverse("plan_import", args=[world.commune.pk]),
                       {"datei": upload}).status_code == 404


@pytest.mark.parametrize("fmt, magic", [("csv", b"\xef\xbb\xbfTyp"), ("xlsx", b"PK"),
                                        ("pdf", b"%PDF")])
def test_downloads(world, login, fmt, magic):
    build_plan(world.commune)
    client = login(world, "team_member")
    response = client.get(reverse("plan_export", args=[world.commune.pk, fmt]))
    assert response.status_code == 200 and response.content.startswith(magic)
    assert login(world, "consultant_other_commune").get(
        reverse("plan_export", args=[world.commune.pk, fmt])).status_code == 404


def test_unknown_export_format_404(world, login):
    client = login(world, "team_member")
    assert client.get(reverse("plan_export", args=[world.commune.pk, "doc"])).status_code == 404


def test_pdf_data_is_json_not_markup(world):
    from zwk.plan.pdf import plan_data, plan_pdf

    g = goal(world.commune, '#set page(fill: red) "]')
    measure(world.commune, g, "#eval(\"1\")", start=dt.date(2025, 1, 1))
    data, files = plan_data(world.commune)
    assert data["fields"][0]["goals"][0]["title"] == '#set page(fill: red) "]'
    assert "zeitplan.svg" in files
    assert plan_pdf(world.commune).startswith(b"%PDF")


def test_timeline_page_has_data_table(world, login):
    build_plan(world.commune)
    client = login(world, "team_member")
    response = client.get(reverse("plan_timeline", args=[world.commune.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Daten des Zeitplans" in text and "Wohnberatung" in text and "01.01.2025" in text
