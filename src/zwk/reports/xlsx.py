"""Spreadsheet export with openpyxl: one sheet per table, ready to filter and sum."""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

MAX_WIDTH = 60
# Excel forbids these in sheet names and cuts names at 31 characters.
FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def sheet_title(name: str, taken: set[str]) -> str:
    base = (name.translate(FORBIDDEN).strip() or "Tabelle")[:31]
    title, counter = base, 2
    while title.lower() in taken:
        suffix = f" ({counter})"
        title, counter = base[: 31 - len(suffix)] + suffix, counter + 1
    taken.add(title.lower())
    return title


def cell_value(value: Any) -> Any:
    """Numbers stay numbers (so Excel can compute); numpy scalars become Python numbers."""
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None     # a missing value is an empty cell, not "nan" or an Excel error
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")) and not _is_number(value):
        # Guard against formula injection from user text (CSV/XLSX injection).
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def workbook_bytes(sheets: Mapping[str, tuple[Sequence[str], Sequence[Sequence[Any]]]]) -> bytes:
    """XLSX with one sheet per entry `name: (headers, rows)`: bold, frozen header row,
    auto filter and column widths fitted to the content."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for name, (headers, rows) in sheets.items():
        sheet = workbook.create_sheet(sheet_title(name, taken))
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([cell_value(v) for v in row])
        sheet.freeze_panes = "A2"
        if headers:
            sheet.auto_filter.ref = sheet.dimensions
        _fit_columns(sheet)
    if not taken:
        workbook.create_sheet("Tabelle")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fit_columns(sheet: Any) -> None:
    for index, column in enumerate(sheet.iter_cols(values_only=True), start=1):
        width = max((len(str(v)) for v in column if v is not None), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, width + 2)
