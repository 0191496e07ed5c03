"""Cells of data tables: numbers the German way, and a missing value as a dash that screen
readers read as "kein Wert" (never "None" or "nan").

`{{ cell|data_cell }}` renders one cell; `{% if rows|has_gaps %}` tells whether a table needs
the note that explains the dash (`_table_gap_note.html`).
"""

from __future__ import annotations

import math
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from zwk.reports.model import display_cell

register = template.Library()
DASHES = ("", "–", "-", "—", "None", "nan", "NaN")


def is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return not math.isfinite(value)
    return isinstance(value, str) and value.strip() in DASHES


@register.filter
def data_cell(value: Any):
    if is_missing(value):
        return format_html('<span aria-hidden="true">–</span><span class="visually-hidden">{}'
                           '</span>', _("kein Wert"))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return display_cell(value)
    return value


@register.filter
def has_gaps(rows) -> bool:
    """True when any cell of any row (a list, or a dict's "cells"/"display") is missing."""
    for row in rows or ():
        if isinstance(row, dict):
            cells = [*row.get("cells", ()), *(c.get("display") for c in row.get("comparisons", ()))]
        else:
            cells = row
        if any(is_missing(cell) for cell in cells):
            return True
    return False
