"""The evidence ("Beleg") of a SWOT item reads as plain German everywhere it is shown: the
SWOT page, the Kommunalprofil PDF (read back with pypdf) and the DOCX (issue 11, item 1).
German numbers: thousands dot, decimal comma, a real minus sign."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest
from django.urls import reverse

from tests.profile.test_swot_rules import TOWN, projection, table
from zwk.profile import services as s
from zwk.profile import swot_rules
from zwk.profile.evidence import figures_text, swot_evidence
from zwk.profile.models import SwotItem

pytestmark = pytest.mark.django_db
WORKING_AGE = ("Personen im Erwerbsalter (18 bis 64 Jahre) 2023: 15.261; 2038 (Prognose): "
               "12.827; Veränderung: −15,9 % (Regel: höchstens −10 % in 15 Jahren)")
RAW = ("rows", "{'", "'label'", "[{", "threshold")


def working_age_finding() -> swot_rules.Finding:
    t = table({TOWN: {"altenquotient": math.nan}})
    found = swot_rules.evaluate(t, TOWN, (), projection(15261.0, 12827.0, start_old=1e6,
                                                        end_old=1e6))
    [finding] = [f for f in found if f.rule_key == "erwerbsalter_rueckgang"]
    return finding


def store(commune, finding: swot_rules.Finding, **extra) -> SwotItem:
    """As `swot_proposals_refresh` stores a finding, then accepted."""
    return SwotItem.objects.create(
        commune=commune, quadrant=finding.quadrant, text=finding.text, rule_key=finding.rule_key,
        figures=finding.figures_json(), indicator_key=finding.indicator_key,
        status=SwotItem.Status.ACCEPTED, **extra)


def test_figures_of_a_rule_read_as_german_text():
    assert figures_text(working_age_finding().figures_json()) == WORKING_AGE


def test_population_decline_uses_the_real_minus_sign():
    t = table({TOWN: {"veraenderung_prozent": -3.25}}, years=(2011, 2023))
    [finding] = swot_rules.evaluate(t, TOWN)
    assert figures_text(finding.figures_json()) == (
        "Veränderung der Bevölkerung 2011–2023: −3,3 % (Regel: höchstens −2 %)")  # half up


@pytest.mark.parametrize("stored, expected", [
    # rows stored before units were kept: the text is taken, its hyphen made a minus sign
    ({"rows": [{"label": "Veränderung", "value": -15.94, "text": "-15,9 %"}],
      "threshold": ""}, "Veränderung: −15,9 %"),
    # a flat mapping (hand-made or imported): German numbers, nested values skipped
    ({"Bevölkerung 2023": 25452, "Altenquotient": 41.25, "roh": {"a": 1}},
     "Bevölkerung 2023: 25.452; Altenquotient: 41,3"),  # half up, as published
    ({}, ""), (None, ""), ({"rows": []}, ""),
])
def test_every_stored_shape_reads_as_text(stored, expected):
    assert figures_text(stored) == expected


def test_evidence_names_indicator_interview_and_inventory_in_german(world):
    interview = s.interview_create(commune=world.commune, by=None, data=s.InterviewData(
        role="Leitung Kita", held_on=pd.Timestamp("2024-05-02").date()))
    statement = s.statement_add(interview=interview, text="Zu wenige Plätze", by=None)
    item = SwotItem.objects.create(commune=world.commune, quadrant="weakness", text="Kita",
                                   indicator_key="jugendquotient", interview_statement=statement)
    text = swot_evidence(item)
    assert text == 'Kennzahl „Jugendquotient“ · Interview (Leitung Kita): „Zu wenige Plätze“'


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
                    .split())


def test_pdf_docx_and_page_print_the_same_german_evidence(world, login):
    from docx import Document

    store(world.commune, working_age_finding())
    client = login(world, "coordinator")
    response = client.get(reverse("profile_pdf", args=[world.commune.pk]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Beleg: " + WORKING_AGE in text
    assert not any(raw in text for raw in RAW)

    response = client.get(reverse("profile_docx", args=[world.commune.pk]))
    document = Document(io.BytesIO(response.content))
    cells = [p.text for t in document.tables for row in t.rows for c in row.cells
             for p in c.paragraphs]
    assert "Beleg: " + WORKING_AGE in cells
    assert not any(raw in " ".join(cells) for raw in RAW)

    html = client.get(reverse("profile_swot", args=[world.commune.pk])).content.decode()
    assert WORKING_AGE in " ".join(html.split())
    assert "jugendquotient" not in html and "prognose_erwerbsalter" not in html
