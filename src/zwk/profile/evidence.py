"""The evidence ("Beleg") of a SWOT item as one plain German sentence.

The same text is shown on the SWOT page, in the Kommunalprofil PDF and in the DOCX, so it is
built here once. `SwotItem.figures` holds what a data rule found
(`swot_rules.Finding.figures_json`: ``{"rows": [{label, value, text, unit, digits}],
"threshold": ...}``); rows stored before units were kept have only a preformatted text, and
hand-edited or imported items may hold a flat ``{label: value}`` mapping. Every shape is read
into "Label: 15.261; 2038 (Prognose): 12.827; Veränderung: −15,9 %" with German number
formatting and never shows the stored structure itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from zwk.profile.swot_rules import MINUS, figure_text


def _row_text(row: Mapping[str, Any]) -> str:
    value = row.get("value")
    if "unit" in row and isinstance(value, int | float) and not isinstance(value, bool):
        return figure_text(value, str(row.get("unit") or ""), int(row.get("digits", 1)))
    text = str(row.get("text") or "").strip()
    if text.startswith("-"):            # rows stored before the minus sign was typographic
        text = MINUS + text[1:]
    if not text and isinstance(value, int | float) and not isinstance(value, bool):
        text = figure_text(value, "", 0 if float(value).is_integer() else 1)
    return text


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return figure_text(value, "", 0 if float(value).is_integer() else 1)
    return str(value).strip() if isinstance(value, str) else ""


def figures_text(figures: Any) -> str:
    """The numbers behind a data proposal, e.g. 'Bevölkerung 2023: 25.452; 2038 (Prognose):
    23.101; Veränderung: −9,2 % (Regel: höchstens −5 % in 15 Jahren)'; '' without numbers."""
    if not isinstance(figures, Mapping) or not figures:
        return ""
    rows = figures.get("rows")
    if isinstance(rows, list):
        parts = [f"{row['label']}: {text}" if row.get("label") else text
                 for row in rows if isinstance(row, Mapping) and (text := _row_text(row))]
        threshold = str(figures.get("threshold") or "").strip()
        text = "; ".join(parts)
        if text and threshold:
            text += f" ({_('Regel:')} {threshold})"
        return text
    # a flat mapping of label -> number (older or hand-made items); nested values are skipped
    return "; ".join(f"{label}: {text}" for label, value in figures.items()
                     if (text := _scalar_text(value)))


def indicator_label(key: str) -> str:
    """The German name of an indicator key, as the SWOT form offers it."""
    from zwk.profile.forms_qualitative import SwotForm

    return str(dict(SwotForm.INDICATORS).get(key, key.replace("_", " ")))


def swot_evidence(item, *, quote_chars: int | None = None) -> str:
    """Everything a SWOT item rests on, as one line of plain German ('' when nothing):
    the figures (or else the indicator it names), an interview statement, an inventory
    entry. `quote_chars` shortens a long interview quote (the page; the PDF quotes whole)."""
    parts = []
    if numbers := figures_text(item.figures):
        parts.append(numbers)
    elif item.indicator_key:
        parts.append(f"{_('Kennzahl')} „{indicator_label(item.indicator_key)}“")
    if item.interview_statement_id:
        statement = item.interview_statement
        quote = statement.text
        if quote_chars:
            quote = Truncator(quote).chars(quote_chars)
        parts.append(f"{_('Interview')} ({statement.interview.role}): „{quote}“")
    if item.inventory_entry_id:
        parts.append(f"{_('Bestandsaufnahme:')} {item.inventory_entry.title}")
    return " · ".join(parts)
