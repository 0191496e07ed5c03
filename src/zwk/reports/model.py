"""Input of the Kommunalprofil report: plain dataclasses, shared by PDF and DOCX output.

Everything user-visible is a plain string here. Numbers are formatted the German way before
they reach a template, so Typst and Word show identical figures.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from zwk import formatting

LICENCE = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"
OFFICIAL_SOURCE = "Statistische Ämter des Bundes und der Länder, Regionaldatenbank Deutschland"
SYNTHETIC_BANNER = "SYNTHETISCHE DEMODATEN – keine amtlichen Zahlen"

# The thematic chapters of section 3 in the order of the published DWK profiles.
THEMATIC_CHAPTERS = (
    "Bildung",
    "Arbeit, Wirtschaft und Sozialleistungen",
    "Wohnen",
    "Engagement und Partizipation",
    "Gesundheit, Pflege und Inklusion",
    "Nahversorgung",
    "Kultur, Begegnung, Freizeit, Naherholung",
    "Verkehr",
)


def german_number(value: Any, digits: int | None = None) -> str:
    """12345.6 -> '12.345,6'; integers without decimals; None -> ''; text passes unchanged."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return formatting.number(value, digits)


def display_cell(value: Any) -> str:
    """Table cells: like `german_number`, but four-digit integers stay ungrouped so years
    read as 2023, not 2.023; at most two decimals."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10000:
        return str(value)
    if isinstance(value, float) and not value.is_integer():
        return german_number(round(value, 2), 2).rstrip("0").rstrip(",")
    if isinstance(value, float) and abs(value) < 10000:
        return str(int(value))
    return german_number(value)


def text_blocks(text: str) -> list[dict[str, Any]]:
    """Split free text into paragraphs and bullet lists.

    Blank lines separate paragraphs; lines starting with "-", "*" or "•" form a list. The text
    itself is never interpreted as markup by any output format.
    """
    blocks: list[dict[str, Any]] = []
    for chunk in re.split(r"\n\s*\n", (text or "").strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        if all(re.match(r"^[-*•]\s+", line) for line in lines):
            blocks.append(
                {"kind": "list", "items": [re.sub(r"^[-*•]\s+", "", line) for line in lines]}
            )
        else:
            blocks.append({"kind": "paragraph", "text": " ".join(lines)})
    return blocks


@dataclass
class KeyFigure:
    """One number in a key-figure box, e.g. Einwohner:innen 25.452 (30.06.2020)."""

    label: str
    value: Any
    unit: str = ""
    note: str = ""

    def display_value(self) -> str:
        number = german_number(self.value)
        return f"{number} {self.unit}".strip()


@dataclass
class Figure:
    """A chart in the report: SVG for the PDF, PNG for Word, and its data as a table."""

    caption: str
    svg: bytes
    table_headers: list[str]
    table_rows: list[list[Any]]
    png: bytes | None = None
    description: str = ""
    source: str = ""

    @classmethod
    def from_chart(
        cls, chart: Any, caption: str | None = None, *, source: str = "", with_png: bool = True
    ) -> Figure:
        """Build from a `zwk.charts.Chart` (duck-typed so reports do not depend on charts)."""
        return cls(
            caption=caption or chart.title,
            svg=chart.to_svg().encode("utf-8"),
            png=chart.to_png() if with_png else None,
            table_headers=list(chart.table.headers),
            table_rows=[list(r) for r in chart.table.rows],
            description=chart.description,
            source=source,
        )


@dataclass
class Chapter:
    title: str
    text: str = ""


@dataclass
class InventoryRow:
    """One entry of the Bestandsaufnahme: an existing measure, project, concept or structure."""

    title: str
    action_field: str = ""
    lead: str = ""
    period: str = ""
    status: str = ""
    note: str = ""


@dataclass
class SwotItem:
    text: str
    evidence: str = ""


@dataclass
class Swot:
    strengths: list[SwotItem] = field(default_factory=list)
    weaknesses: list[SwotItem] = field(default_factory=list)
    opportunities: list[SwotItem] = field(default_factory=list)
    threats: list[SwotItem] = field(default_factory=list)

    QUADRANTS = (
        ("strengths", "Stärken"),
        ("weaknesses", "Schwächen"),
        ("opportunities", "Chancen"),
        ("threats", "Risiken"),
    )


@dataclass
class ActionFieldCandidate:
    title: str
    reason: str = ""


@dataclass
class Source:
    title: str
    publisher: str = ""
    licence: str = ""
    url: str = ""
    retrieved: str = ""


@dataclass
class ProfileReport:
    """Everything the Kommunalprofil shows. Plain fields only; no Django objects.

    - `commune`, `commune_type` (e.g. "Stadt"), `ags` (8-digit key as string), `state` (Land)
    - `key_figures`: the boxes on the first pages
    - `basics` / `geography`: free text for chapters 1 and 2
    - `demography_text` + `figures`: chapter 3.1 with charts and their data tables
    - `chapters`: thematic chapters 3.2 ff. (title + free text)
    - `policy_text` + `inventory`: chapter 4, the Bestandsaufnahme
    - `swot`: chapter 5, items with their evidence
    - `action_fields`: chapter 6, candidate Handlungsfelder for the Zukunftswerkstatt
    - `sources`: listed with the licence section; official data adds the Regionaldatenbank line
    - `synthetic`: True for demo data, prints a banner on every page
    """

    commune: str
    commune_type: str = ""
    ags: str = ""
    state: str = ""
    title: str = "Kommunalprofil"
    subtitle: str = "Zukunftswerkstatt Kommunen – Attraktiv im Wandel"
    author: str = ""
    as_of: str = field(default_factory=lambda: date.today().strftime("%d.%m.%Y"))
    key_figures: list[KeyFigure] = field(default_factory=list)
    basics: str = ""
    geography: str = ""
    demography_text: str = ""
    figures: list[Figure] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    policy_text: str = ""
    inventory: list[InventoryRow] = field(default_factory=list)
    swot: Swot = field(default_factory=Swot)
    action_fields: list[ActionFieldCandidate] = field(default_factory=list)
    outlook_text: str = ""
    sources: list[Source] = field(default_factory=list)
    uses_official_data: bool = True
    synthetic: bool = False

    def figure_filename(self, index: int) -> str:
        return f"abbildung-{index + 1}.svg"

    def to_dict(self) -> dict[str, Any]:
        """Template data: text split into blocks, numbers formatted, images named by file."""
        return {
            "commune": self.commune,
            "commune_type": self.commune_type,
            "ags": self.ags,
            "state": self.state,
            "title": self.title,
            "subtitle": self.subtitle,
            "author": self.author,
            "as_of": self.as_of,
            "synthetic": self.synthetic,
            "banner": SYNTHETIC_BANNER,
            "key_figures": [
                {"label": k.label, "value": k.display_value(), "note": k.note}
                for k in self.key_figures
            ],
            "basics": text_blocks(self.basics),
            "geography": text_blocks(self.geography),
            "demography": text_blocks(self.demography_text),
            "figures": [
                {
                    "caption": f.caption,
                    "file": self.figure_filename(i),
                    "description": f.description,
                    "source": f.source,
                    "headers": [str(h) for h in f.table_headers],
                    "rows": [[display_cell(c) for c in row] for row in f.table_rows],
                }
                for i, f in enumerate(self.figures)
            ],
            "chapters": [{"title": c.title, "blocks": text_blocks(c.text)} for c in self.chapters],
            "policy": text_blocks(self.policy_text),
            "inventory": [asdict(r) for r in self.inventory],
            "swot": [
                {"title": title, "items": [asdict(i) for i in getattr(self.swot, key)]}
                for key, title in Swot.QUADRANTS
            ],
            "action_fields": [asdict(a) for a in self.action_fields],
            "outlook": text_blocks(self.outlook_text),
            "sources": [asdict(s) for s in self.all_sources()],
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "uses_official_data": self.uses_official_data,
        }

    def all_sources(self) -> list[Source]:
        official = Source(
            title="Regionaldatenbank Deutschland",
            publisher=OFFICIAL_SOURCE,
            licence=LICENCE,
            url="https://www.regionalstatistik.de",
        )
        if self.uses_official_data and not any(
            s.publisher == OFFICIAL_SOURCE for s in self.sources
        ):
            return [official, *self.sources]
        return list(self.sources)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)

    def figure_files(self) -> dict[str, bytes]:
        return {self.figure_filename(i): f.svg for i, f in enumerate(self.figures)}
