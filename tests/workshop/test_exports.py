"""The workshop record: PDF (Typst, data as JSON) and XLSX, user text passed through safely."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from pypdf import PdfReader

from zwk.workshop import exports, services

TRICKY = '#panic("x") $a$ *fett* <label> ] \\ @ref =SUMME(A1)'


def _filled(ws, cards, world):
    cluster = services.cluster_create(session=ws, title="Mobilität",
                                      action_field_id=world.commune.action_fields.first().pk,
                                      by=None)
    services.card_cluster(card=cards[1], cluster_id=cluster.pk, by=None)
    services.analogue_card_add(session=ws, phase_id=ws.current_phase_id, text=TRICKY, by=None)
    person = services.participant_join(session=ws, age_band="18-29")
    services.vote_set(participant=person, card_id=cards[1].pk, points=3)
    services.analogue_votes_set(card=cards[0], points=4, by=None)
    services.handover_create(session=ws, by=None)


def test_pdf_record_contains_phases_votes_age_mix_and_tricky_text(ws, cards, world):
    _filled(ws, cards, world)
    pdf = exports.record_pdf(ws)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for expected in ("Zukunftswerkstatt Bergstadt", "Kritikphase", "Mobilität", "Runde 1",
                     "Altersgruppe", "Übergabe an den Werkstattplan", "Bus am Abend",
                     "fehlen Bevölkerungsdaten"):
        assert expected in text, expected
    assert '#panic("x")' in text and "*fett*" in text


def test_xlsx_record_has_a_sheet_per_part(ws, cards, world):
    _filled(ws, cards, world)
    book = load_workbook(io.BytesIO(exports.record_xlsx(ws)))
    assert book.sheetnames == ["Karten", "Punkte je Runde", "Themen", "Altersmischung",
                               "Übergabe Werkstattplan"]
    cards_sheet = [[c.value for c in row] for row in book["Karten"].iter_rows(min_row=2)]
    analogue = next(r for r in cards_sheet if r[4] == "analog")
    assert analogue[2] == "'" + TRICKY or analogue[2] == TRICKY  # not a formula
    votes = {r[2]: (r[3], r[4]) for r in
             ([c.value for c in row] for row in book["Punkte je Runde"].iter_rows(min_row=2))}
    assert votes["Bus am Abend"] == (3, 0) and votes["Bänke"] == (4, 4)
    handover = [[c.value for c in row] for row in
                book["Übergabe Werkstattplan"].iter_rows(min_row=2)]
    assert handover[0][:3] == ["Ziel (aus Thema)", 1, "Mobilität"]
