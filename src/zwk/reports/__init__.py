"""Framework-free reports: Typst PDFs, Word documents and Excel workbooks. See docs/reports.md."""

from zwk.reports.docx import profile_docx
from zwk.reports.model import (
    LICENCE,
    OFFICIAL_SOURCE,
    SYNTHETIC_BANNER,
    THEMATIC_CHAPTERS,
    ActionFieldCandidate,
    Chapter,
    Figure,
    InventoryRow,
    KeyFigure,
    ProfileReport,
    Source,
    Swot,
    SwotItem,
    text_blocks,
)
from zwk.reports.pdf import ReportError, profile_pdf, render_pdf, template_names
from zwk.reports.xlsx import workbook_bytes

__all__ = [
    "LICENCE",
    "OFFICIAL_SOURCE",
    "SYNTHETIC_BANNER",
    "THEMATIC_CHAPTERS",
    "ActionFieldCandidate",
    "Chapter",
    "Figure",
    "InventoryRow",
    "KeyFigure",
    "ProfileReport",
    "ReportError",
    "Source",
    "Swot",
    "SwotItem",
    "profile_docx",
    "profile_pdf",
    "render_pdf",
    "template_names",
    "text_blocks",
    "workbook_bytes",
]
