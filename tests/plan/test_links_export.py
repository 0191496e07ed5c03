"""A measure's origins (workshop cards, SWOT items, inventory) travel in the DOCX export; goal
details read as German numbers in the documents."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse

from tests.plan.conftest import goal
from tests.plan.test_import_roundtrip import plan  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def docx_text(content: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    parts += [p.text for s in document.sections for p in s.header.paragraphs]
    return "\n".join(parts)


def test_docx_has_goals_measures_and_their_origins(world, plan, login):  # noqa: F811
    client = login(world, "team_member")
    response = client.get(reverse("plan_export", args=[world.commune.pk, "docx"]))
    assert response.status_code == 200 and response.content.startswith(b"PK")
    assert response["Content-Disposition"].endswith('.docx"')
    text = docx_text(response.content)
    assert "Werkstattplan Bergstadt" in text
    assert "Barrierefreie Wohnungen" in text and "Wohnberatung" in text
    assert "Karten: Dorfcafé [Treffpunkte]; SWOT: Starkes Vereinsleben; " \
           "Bestandsaufnahme: Seniorenbüro" in text
    assert "12.000,5" in text and "01.01.2025 – 30.06.2026" in text
    assert "DEMO" not in text
    assert login(world, "consultant_other_commune").get(
        reverse("plan_export", args=[world.commune.pk, "docx"])).status_code == 404


def test_docx_of_a_demo_programme_says_so(world, login):
    from zwk.communes.models import Programme

    Programme.objects.filter(pk=world.programme.pk).update(is_demo=True)
    response = login(world, "coordinator").get(
        reverse("plan_export", args=[world.commune.pk, "docx"]))
    text = docx_text(response.content)
    assert "DEMO – synthetische Daten" in text and "Der Plan hat noch keine Ziele." in text


def test_goal_facts_read_as_german_numbers_in_documents(world):
    from decimal import Decimal

    from zwk.plan.exports import goal_facts

    g = goal(world.commune, "Hausärzte halten", indicator_name="Hausärzt:innen je 10.000",
             indicator_unit="je 10.000", baseline_value=Decimal("5.250"), baseline_year=2022,
             target_value=Decimal("6.5"), target_date=dt.date(2030, 12, 31))
    assert goal_facts(g, 33.3333) == [
        "Kennzahl: Hausärzt:innen je 10.000 (je 10.000)", "Ausgangswert 5,25 (2022)",
        "Zielwert 6,5 bis 31.12.2030", "Fortschritt 33,3 %"]
    assert goal_facts(goal(world.commune), None) == []


def test_pdf_says_where_the_measures_come_from(world, plan):  # noqa: F811
    from pypdf import PdfReader

    from zwk.plan.pdf import plan_pdf

    reader = PdfReader(io.BytesIO(plan_pdf(world.commune)))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Herkunft: Wohnberatung – Karten: Dorfcafé [Treffpunkte]" in text
    assert "SWOT: Starkes Vereinsleben" in text and "Bestandsaufnahme: Seniorenbüro" in text
    assert "Bürgerbus –" not in text  # a measure without origins is not listed
