"""The Werkstattplan as PDF: our own Typst template beside zwk.reports' shared page frame,
fed with JSON only (the approach of zwk.reports.pdf: user text never becomes Typst source)."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import typst
from django.utils import timezone

from zwk.charts.timeline import measures_timeline
from zwk.plan import selectors
from zwk.reports.pdf import TEMPLATES as REPORT_TEMPLATES
from zwk.reports.pdf import ReportError

TEMPLATE = Path(__file__).parent / "werkstattplan.typ"


def _money(value) -> str:
    return "" if value is None else f"{value:,.0f} €".replace(",", ".")


def timeline_of(commune):
    """The Gantt chart of all measures with a start date, or None."""
    rows = [{"title": m.title, "start": m.start, "end": m.end, "status": m.status.name,
             "action_field": m.goal.action_field.name}
            for m in selectors.measures_table(commune) if m.start]
    if not rows:
        return None
    return measures_timeline(rows, today=timezone.localdate())


def plan_data(commune) -> tuple[dict[str, Any], dict[str, bytes]]:
    fields = []
    for block in selectors.plan_outline(commune):
        if not block.rows:
            continue
        goals = []
        for row in block.rows:
            g = row.goal
            details = []
            if g.target_value is not None:
                details.append(f"Zielwert {g.target_value.normalize():f} {g.indicator_unit}".strip()
                               + (f" bis {g.target_date:%d.%m.%Y}" if g.target_date else ""))
            if g.baseline_value is not None:
                details.append(f"Ausgangswert {g.baseline_value.normalize():f}"
                               + (f" ({g.baseline_year})" if g.baseline_year else ""))
            if row.progress is not None:
                details.append(f"Fortschritt {row.progress:g} %")
            goals.append({"title": g.title, "depth": row.depth, "details": " · ".join(details),
                          "measures": [{
                              "title": m.title, "lead": m.lead,
                              "period": " – ".join(d.strftime("%m/%Y") for d in (m.start, m.end)
                                                   if d),
                              "budget": _money(m.budget), "status": m.status.name,
                              "progress": f"{m.progress} %"} for m in row.measures]})
        fields.append({"name": block.action_field.name, "goals": goals,
                       "progress": "" if block.progress is None else f"{block.progress:g} %"})
    files: dict[str, bytes] = {}
    chart = timeline_of(commune)
    timeline = None
    if chart is not None:
        files["zeitplan.svg"] = chart.to_svg().encode("utf-8")
        timeline = {"file": "zeitplan.svg", "caption": chart.title,
                    "description": chart.description, "source": "",
                    "headers": chart.table.headers,
                    "rows": [[str(c) for c in r] for r in chart.table.rows]}
    data = {
        "title": "Werkstattplan", "commune": commune.name,
        "subtitle": "Handlungsfelder, Ziele und Maßnahmen",
        "as_of": timezone.localdate().strftime("%d.%m.%Y"), "author": "",
        "commune_type": commune.get_kind_display(), "state": commune.get_land_display(),
        "ags": commune.ags, "synthetic": bool(commune.programme.is_demo),
        "banner": "Demodaten – synthetisch erzeugt", "fields": fields, "timeline": timeline,
    }
    return data, files


def plan_pdf(commune) -> bytes:
    data, files = plan_data(commune)
    with tempfile.TemporaryDirectory(prefix="zwk-plan-") as tmp:
        root = Path(tmp)
        shutil.copyfile(REPORT_TEMPLATES / "zwk.typ", root / "zwk.typ")
        shutil.copyfile(TEMPLATE, root / TEMPLATE.name)
        (root / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        for name, content in files.items():
            (root / name).write_bytes(content)
        try:
            return typst.compile(str(root / TEMPLATE.name), root=str(root))
        except RuntimeError as error:
            raise ReportError(str(error)) from error
