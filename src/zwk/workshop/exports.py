"""The workshop record as PDF (Typst, data as JSON) and XLSX (zwk.reports.workbook_bytes).

`zwk.reports.render_pdf` only compiles templates of its own package; the workshop keeps its
template beside this module and compiles it the same way: the shared style `zwk.typ` is copied
in, user text travels only in data.json and is never evaluated (docs/decisions/0202).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import typst
from django.utils import timezone

from zwk import formatting
from zwk.reports import SYNTHETIC_BANNER, ReportError, workbook_bytes
from zwk.reports.pdf import TEMPLATES as REPORT_TEMPLATES
from zwk.workshop import selectors
from zwk.workshop.models import Card, Session

TEMPLATE = Path(__file__).parent / "templates" / "workshop" / "werkstatt.typ"


def record_data(session: Session) -> dict:
    """Everything the record holds, as plain JSON-ready data (German labels)."""
    cards = list(Card.objects.filter(session=session).select_related("phase", "cluster")
                 .order_by("phase__position", "created_at", "id"))
    phases = []
    for phase in session.phases.all():
        phases.append({"title": phase.title, "prompt": phase.prompt, "cards": [
            {"text": c.text, "status": str(c.get_status_display()),
             "source": str(c.get_source_display()), "cluster": c.cluster.title if c.cluster else ""}
            for c in cards if c.phase_id == phase.pk]})
    clusters = [{"title": c.title, "action_field": str(c.action_field or "–"),
                 "cards": "; ".join(card.text for card in c.cards.all())}
                for c in selectors.clusters_with_cards(session=session)]
    rounds = []
    for number in selectors.rounds_with_votes(session=session):
        res = selectors.results(session=session, round=number)
        rounds.append({
            "round": str(number),
            "summary": f"{res.total_points} Punkte von {res.voters} Personen (digital) "
                       f"sowie analog erfasste Punkte.",
            "cards": [{"rank": str(i), "text": c.text, "points": str(c.points),
                       "analogue": str(c.analogue_points)}
                      for i, c in enumerate(res.cards, start=1) if c.points],
            "clusters": [{"rank": str(i), "title": c.title, "points": str(c.points)}
                         for i, c in enumerate(res.clusters, start=1)],
        })
    mix = selectors.age_mix_for(session=session)
    synthetic = bool(session.commune.programme.is_demo)
    meeting = session.meeting
    facts = [str(session.get_kind_display())]
    if meeting:
        facts += [f"{meeting.date:%d.%m.%Y}", meeting.location or "", meeting.participant_groups]
    return {
        "title": session.title, "commune": session.commune.name,
        "subtitle": "Protokoll der Zukunftswerkstatt", "author": "",
        "as_of": timezone.localdate().strftime("%d.%m.%Y"),
        "synthetic": synthetic, "banner": SYNTHETIC_BANNER,
        "facts": " · ".join(f for f in facts if f),
        "key_figures": [
            {"label": "Teilnehmende (Geräte)", "value": str(mix.participants), "unit": "",
             "note": f"{mix.with_band} mit Altersangabe"},
            {"label": "Karten", "value": str(len(cards)), "unit": "",
             "note": f"{sum(c.source == Card.Source.ANALOGUE for c in cards)} analog erfasst"},
            {"label": "Abstimmungsrunden", "value": str(len(rounds)), "unit": "",
             "note": f"{session.points_per_person} Punkte pro Person, höchstens "
                     f"{session.max_per_card} pro Karte"},
        ],
        "phases": phases, "clusters": clusters, "rounds": rounds,
        "age_note": mix.data_note, "age_rows": [
            {"label": r.label, "count": str(r.count),
             "share": formatting.percent(r.share, empty="–"),
             "population": formatting.percent(r.population_share, empty="–"),
             "flag": "deutlich unterrepräsentiert" if r.flagged else ""} for r in mix.rows],
        "candidates": [
            {"kind": str(c.get_kind_display()), "rank": str(c.rank), "title": c.title,
             "action_field": str(c.action_field or "–"), "points": str(c.points)}
            for c in selectors.candidates_of(session=session)],
    }


def record_pdf(session: Session) -> bytes:
    data = record_data(session)
    with tempfile.TemporaryDirectory(prefix="zwk-werkstatt-") as tmp:
        root = Path(tmp)
        shutil.copyfile(REPORT_TEMPLATES / "zwk.typ", root / "zwk.typ")
        shutil.copyfile(TEMPLATE, root / TEMPLATE.name)
        (root / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        try:
            return typst.compile(str(root / TEMPLATE.name), root=str(root))
        except RuntimeError as error:
            raise ReportError(str(error)) from error


def record_xlsx(session: Session) -> bytes:
    cards = list(Card.objects.filter(session=session).select_related("phase", "cluster",
                                                                      "merged_into")
                 .order_by("phase__position", "created_at", "id"))
    sheets: dict[str, tuple[list[str], list[list[Any]]]] = {
        "Karten": (["Nr.", "Phase", "Karte", "Status", "Quelle", "Thema", "Handlungsfeld",
                    "zusammengeführt in", "ursprünglicher Text", "erstellt"],
                   [[c.pk, c.phase.title, c.text, str(c.get_status_display()),
                     str(c.get_source_display()), c.cluster.title if c.cluster else "",
                     str(c.cluster.action_field or "") if c.cluster else "",
                     c.merged_into_id or "", c.original_text,
                     timezone.localtime(c.created_at).strftime("%d.%m.%Y %H:%M")]
                    for c in cards]),
    }
    vote_rows: list[list[Any]] = []
    cluster_rows: list[list[Any]] = []
    for number in selectors.rounds_with_votes(session=session):
        res = selectors.results(session=session, round=number)
        vote_rows += [[number, c.id, c.text, c.points, c.analogue_points] for c in res.cards]
        cluster_rows += [[number, c.title, c.action_field, c.points, len(c.card_ids)]
                         for c in res.clusters]
    sheets["Punkte je Runde"] = (["Runde", "Karte Nr.", "Karte", "Punkte", "davon analog"],
                                 vote_rows)
    sheets["Themen"] = (["Runde", "Thema", "Handlungsfeld", "Punkte", "Karten"], cluster_rows)
    mix = selectors.age_mix_for(session=session)
    sheets["Altersmischung"] = (
        ["Altersgruppe", "Personen", "Anteil im Raum", "Anteil Bevölkerung", "Hinweis"],
        [[r.label, r.count, r.share, r.population_share,
          "deutlich unterrepräsentiert" if r.flagged else ""] for r in mix.rows]
        + [["Teilnehmende insgesamt", mix.participants, None, None, mix.data_note]])
    sheets["Übergabe Werkstattplan"] = (
        ["Art", "Rang", "Titel", "Handlungsfeld", "Punkte", "Runde", "Karten Nr."],
        [[str(c.get_kind_display()), c.rank, c.title, str(c.action_field or ""), c.points,
          c.round, ", ".join(map(str, c.card_ids))]
         for c in selectors.candidates_of(session=session).order_by("kind", "rank")])
    return workbook_bytes(sheets)


__all__ = ["record_data", "record_pdf", "record_xlsx"]
