"""The analysis half through its functions and pages: key figures with comparisons and trend,
charts with tables, projection and scenarios, towns, typology, PDF/DOCX, synopsis."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory, add_member, make_commune, make_office
from tests.profile.test_data import demo_files, media  # noqa: F401  (fixtures)
from zwk.communes.models import Membership
from zwk.demography.projection import get_scenario
from zwk.profile import analysis, data
from zwk.profile.models import DataSource, Profile, Scenario, SwotItem


@pytest.fixture
def hsk(world):
    """The Hochsauerlandkreis with three of its towns and the synthetic data, in the world's
    programme; the world's coordinator coordinates Brilon."""
    kreis = make_commune(world.programme, name="Hochsauerlandkreis", kind="kreis", ags="05958")
    towns = {name: make_commune(world.programme, name=name, kind="stadt", ags=ags, parent=kreis)
             for name, ags in (("Arnsberg", "05958004"), ("Brilon", "05958012"),
                               ("Winterberg", "05958048"))}
    data.demo_data_load(programme=world.programme, by=None)
    add_member(towns["Brilon"], world.user("coordinator"), Membership.Role.COORDINATOR)
    add_member(kreis, world.user("coordinator"), Membership.Role.COORDINATOR)
    return {"kreis": kreis, **towns}


def page(client, world, name, commune, **query):
    from tests.factories import PASSWORD

    client.login(username=world.user("coordinator").username, password=PASSWORD)
    url = reverse(name, args=[commune.pk])
    return client.get(url, query)


def test_key_figures_compare_with_kreis_and_show_trend(hsk):
    a = analysis.analysis_for(hsk["Brilon"])
    figures = analysis.key_figures(a)
    assert figures["year"] == 2023
    by_key = {f["indicator"].key: f for f in figures["figures"]}
    assert {"bevoelkerung", "medianalter", "altenquotient", "jugendquotient",
            "wanderungssaldo_je_1000"} <= set(by_key)
    assert figures["columns"][0]["name"] == "Hochsauerlandkreis"
    population = by_key["bevoelkerung"]
    assert population["comparisons"][0]["display"] != "–"
    assert population["trend"]["arrow"] in "↑↓→" and "Seit" in population["trend"]["text"]
    assert all(f["indicator"].formula and f["indicator"].explanation for f in figures["figures"])


def test_overview_page_has_tables_charts_and_explanations(client, world, hsk):
    response = page(client, world, "profile_overview", hsk["Brilon"])
    html = response.content.decode()
    assert response.status_code == 200
    assert "Synthetische Demodaten" in html
    assert html.count('class="zwk-chart"') == 6 and html.count("<caption>Daten: ") == 6
    assert '<th scope="col">Hochsauerlandkreis</th>' in html
    assert "<details" in html and "Formel:" in html
    assert '<script id="spec-pyramide" type="application/json">' in html
    assert "Typisierung" in html
    assert "<script>" not in html  # no inline script (CSP)


def test_chart_downloads(client, world, hsk):
    from tests.factories import PASSWORD

    client.login(username=world.user("coordinator").username, password=PASSWORD)
    base = reverse("profile_chart", args=[hsk["Brilon"].pk, "entwicklung", "svg"])[:-4]
    svg = client.get(base + ".svg")
    assert svg.status_code == 200 and svg.content.startswith(b"<svg")
    csv = client.get(base + ".csv").content.decode("utf-8-sig")
    assert "Jahr" in csv and ";" in csv
    png = client.get(base + ".png")
    assert png.content.startswith(b"\x89PNG")
    assert client.get(base + ".exe").status_code == 404


def test_projection_scenario_form_and_saving(client, world, hsk):
    brilon = hsk["Brilon"]
    ok = page(client, world, "profile_projection", brilon, preset="basis", horizon="2045",
              fertility_factor="1,1", e0_gain="", in_migration_factor="",
              out_migration_factor="")
    assert ok.status_code == 200
    assert re.search(r"Einwohner:innen im Jahr 2045", ok.content.decode())
    bad = page(client, world, "profile_projection", brilon, preset="basis", horizon="2060",
               fertility_factor="-0,5", e0_gain="7", in_migration_factor="",
               out_migration_factor="")
    html = bad.content.decode()
    assert bad.status_code == 400
    assert "Fertilitätsfaktor muss größer als 0" in html
    assert "nicht plausibel" in html and "2050" in html
    saved = client.post(reverse("profile_scenario_save", args=[brilon.pk]), {
        "preset": "zuwanderung_hoch", "horizon": "2045", "fertility_factor": "1,1",
        "name": "Mehr Zuzug"})
    assert saved.status_code == 302
    scenario = Scenario.objects.get(commune=brilon)
    assert scenario.parameters == {"fertility_factor": 1.1} and scenario.horizon == 2045
    refused = client.post(reverse("profile_scenario_save", args=[brilon.pk]), {
        "preset": "basis", "horizon": "2045", "fertility_factor": "-1", "name": "Kaputt"})
    assert refused.status_code == 400 and Scenario.objects.filter(commune=brilon).count() == 1
    compared = client.get(saved["Location"]).content.decode()
    assert "Szenarien im Vergleich" in compared and "Mehr Zuzug" in compared


def test_scenarios_differ_as_expected(hsk):
    a = analysis.analysis_for(hsk["Brilon"])
    low = analysis.run_projection(a, get_scenario("zuwanderung_niedrig"), 2040)
    high = analysis.run_projection(a, get_scenario("zuwanderung_hoch"), 2040)
    assert low.totals[0] == high.totals[0] and low.totals[-1] < high.totals[-1]
    assert all(lo <= hi for lo, hi in zip(high.low, high.high, strict=True))
    with pytest.raises(Exception, match="2050"):
        analysis.run_projection(a, get_scenario("basis"), 2060)


def test_towns_of_the_kreis(client, world, hsk):
    response = page(client, world, "profile_towns", hsk["kreis"])
    html = response.content.decode()
    assert response.status_code == 200
    for town in ("Arnsberg", "Brilon", "Winterberg", "Meschede"):
        assert town in html
    assert 'id="spec-stadt-pyramiden"' in html and 'id="spec-stadt-prognosen"' in html
    assert page(client, world, "profile_towns", hsk["Brilon"]).status_code == 404


def test_upload_view_shows_german_error_and_stores_nothing(client, world, hsk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import PASSWORD

    client.login(username=world.user("coordinator").username, password=PASSWORD)
    before = DataSource.objects.count()
    response = client.post(reverse("profile_data", args=[world.commune.pk]), {
        "file": SimpleUploadedFile("12411-02-03-5_flat.csv", b"Nichts;hier\n1;2\n")})
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert DataSource.objects.count() == before


def test_typology_names_type_and_peers(hsk):
    result = analysis.typology(hsk["Brilon"])
    assert result is not None
    if "error" not in result:
        assert result["name"] and result["profile"]
        assert all(m["name"] != "Brilon" for m in result["members"])


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def test_pdf_contains_name_figures_swot_and_sources(client, world, hsk):
    brilon = hsk["Brilon"]
    SwotItem.objects.create(commune=brilon, quadrant="strength",
                            text="Starke Vereinslandschaft <b>#panic()</b>",
                            indicator_key="altenquotient")
    SwotItem.objects.create(commune=brilon, quadrant="threat",
                            text="Abwanderung junger Erwachsener")
    SwotItem.objects.create(commune=brilon, quadrant="weakness", text="Verworfener Punkt",
                            status=SwotItem.Status.DISMISSED)
    Profile.objects.create(commune=brilon, outlook="Mobilität als erstes Handlungsfeld.",
                           chapters={"wohnen": "Viel Leerstand im Ortskern."})
    response = page(client, world, "profile_pdf", brilon)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(_pdf_text(response.content).split())
    assert "Brilon" in text
    figures = analysis.key_figures(analysis.analysis_for(brilon))
    population = next(f for f in figures["figures"] if f["indicator"].key == "bevoelkerung")
    assert population["display"] in text
    assert "Starke Vereinslandschaft <b>#panic()</b>" in text
    assert "Abwanderung junger Erwachsener" in text and "Verworfener Punkt" not in text
    assert "Viel Leerstand im Ortskern." in text and "Mobilität als erstes" in text
    assert "SYNTHETISCHE DEMODATEN" in text


def test_docx_has_the_same_content(client, world, hsk):
    from docx import Document

    brilon = hsk["Brilon"]
    SwotItem.objects.create(commune=brilon, quadrant="opportunity", text="Neue Radwege")
    response = page(client, world, "profile_docx", brilon)
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Brilon" in text and "Neue Radwege" in (text + cells)


def test_synopsis_table_chart_and_xlsx(client, world, hsk):
    from openpyxl import load_workbook

    from tests.factories import PASSWORD

    office = make_office(world.programme, UserFactory(username="gs2"))
    client.login(username=office.username, password=PASSWORD)
    response = client.get(reverse("profile_synopsis", args=[world.programme.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Brilon" in html and "keine Daten geladen" in html  # Bergstadt has none
    assert 'id="spec-synopse"' in html
    xlsx = client.get(reverse("profile_synopsis_xlsx", args=[world.programme.slug]))
    sheet = load_workbook(io.BytesIO(xlsx.content))["Synopse"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Kommune"
    brilon = next(r for r in rows if r[0] == "Brilon")
    assert isinstance(brilon[4], (int, float))


def test_synopsis_and_typology_queries_do_not_grow_with_communes(world, hsk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            analysis.synopsis(world.programme)
            analysis.typology(hsk["Brilon"])
        return len(ctx.captured_queries)

    before = queries()
    for name, ags in (("Bestwig", "05958008"), ("Medebach", "05958028"),
                      ("Olsberg", "05958036")):
        make_commune(world.programme, name=name, kind="stadt", ags=ags, parent=hsk["kreis"])
    assert queries() == before
