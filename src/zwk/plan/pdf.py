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

from zwk import formatting
from zwk.plan import monitoring, selectors
from zwk.plan.exports import goal_facts, origin_text
from zwk.reports.model import german_number
from zwk.reports.pdf import TEMPLATES as REPORT_TEMPLATES
from zwk.reports.pdf import ReportError

TEMPLATE = Path(__file__).parent / "werkstattplan.typ"


def _percent(value) -> str:
    """50 -> '50 %', 33.33 -> '33,3 %', None -> '–'."""
    return "–" if value is None else f"{formatting.number_trimmed(value, 1)} %"


def _money(value) -> str:
    return "" if value is None else formatting.number(value, 0) + " €"


def _overview(block) -> dict[str, Any]:
    """One page per action field: its goals with measure count and progress, and the sums."""
    measures = [m for row in block.rows for m in row.measures]
    budgets = [m.budget for m in measures if m.budget is not None]
    return {
        "name": block.action_field.name,
        "figures": [
            {"label": "Ziele und Unterziele", "value": str(len(block.rows)), "note": ""},
            {"label": "Maßnahmen", "value": str(len(measures)), "note": ""},
            {"label": "Fortschritt (gewichtet)",
             "value": _percent(block.progress),
             "note": ""},
            {"label": "Budget", "value": _money(sum(budgets)) if budgets else "–",
             "note": f"{len(budgets)} von {len(measures)} Maßnahmen mit Budget"
             if measures else ""},
        ],
        "goals": [[("Unterziel: " if row.depth else "") + row.goal.title, str(len(row.measures)),
                   _percent(row.progress),
                   _money(sum(m.budget for m in row.measures if m.budget is not None))
                   if any(m.budget is not None for m in row.measures) else "–"]
                  for row in block.rows],
    }


def plan_data(commune) -> tuple[dict[str, Any], dict[str, bytes]]:
    fields, overviews = [], []
    links = selectors.export_links(commune)
    for block in selectors.plan_outline(commune):
        if not block.rows:
            continue
        overviews.append(_overview(block))
        goals = []
        for row in block.rows:
            g = row.goal
            goals.append({"title": g.title, "depth": row.depth,
                          "details": " · ".join(goal_facts(g, row.progress)),
                          "measures": [{
                              "title": m.title, "lead": m.lead,
                              "period": " – ".join(d.strftime("%m/%Y") for d in (m.start, m.end)
                                                   if d),
                              "budget": _money(m.budget), "status": m.status.name,
                              "progress": f"{m.progress} %"} for m in row.measures],
                          "origins": [{"title": m.title, "origin": origin}
                                      for m in row.measures
                                      if (origin := origin_text(links, m.pk))]})
        fields.append({"name": block.action_field.name, "goals": goals,
                       "progress": "" if block.progress is None
                       else f"{german_number(block.progress)} %"})
    files: dict[str, bytes] = {}
    # The same rendered (and cached) timeline as on the timeline page.
    chart = monitoring.timeline_chart(commune)
    timeline = None
    if chart is not None:
        files["zeitplan.svg"] = chart.svg.encode("utf-8")
        timeline = {"file": "zeitplan.svg", "caption": chart.title,
                    "description": chart.description, "source": "",
                    "headers": chart.headers, "rows": [[str(c) for c in r] for r in chart.rows]}
    data = {**_frame(commune, "Werkstattplan", "Handlungsfelder, Ziele und Maßnahmen",
                     timezone.localdate()),
            "fields": fields, "timeline": timeline, "overviews": overviews}
    return data, files


def _frame(commune, title: str, subtitle: str, as_of) -> dict[str, Any]:
    """What the shared page frame (zwk.typ) needs: title page, commune, demo banner."""
    return {"title": title, "commune": commune.name, "subtitle": subtitle,
            "as_of": _date(as_of), "author": "", "commune_type": commune.get_kind_display(),
            "state": commune.get_land_display(), "ags": commune.ags,
            "synthetic": bool(commune.programme.is_demo),
            "banner": "Demodaten – synthetisch erzeugt"}


def plan_pdf(commune) -> bytes:
    data, files = plan_data(commune)
    return _compile(TEMPLATE, data, files)


def _compile(template: Path, data: dict[str, Any], files: dict[str, bytes]) -> bytes:
    """Compile one of our templates beside the shared frame, with data.json and chart files."""
    with tempfile.TemporaryDirectory(prefix="zwk-plan-") as tmp:
        root = Path(tmp)
        shutil.copyfile(REPORT_TEMPLATES / "zwk.typ", root / "zwk.typ")
        shutil.copyfile(template, root / template.name)
        (root / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        for name, content in files.items():
            (root / name).write_bytes(content)
        try:
            return typst.compile(str(root / template.name), root=str(root))
        except RuntimeError as error:
            raise ReportError(str(error)) from error


# --- Zwischenbilanz report ----------------------------------------------------------------------

REVIEW_TEMPLATE = Path(__file__).parent / "zwischenbilanz.typ"


def _text(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    return str(value)


def _date(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _number(value) -> str:
    return formatting.number_trimmed(value, 3, empty="–")


def _version_label(version) -> str:
    resolution = f", Beschluss-Nr. {version.resolution}" if version.resolution else ""
    return f"{version} (beschlossen am {_date(version.adopted_on)}{resolution})"


def review_data(review) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The Zwischenbilanz as plain JSON for zwischenbilanz.typ: the review, every measure's
    state, the indicators, population against the projection, decisions, the continuation
    checklist and the changes from the baseline version to the revision."""
    from zwk.plan import diff
    from zwk.plan import review as review_services
    from zwk.plan.models import PlanVersion

    commune = review.commune
    page = review_services.review_page_with_charts(review)
    files: dict[str, bytes] = {}
    indicator_figures = []
    for n, i in enumerate((i for i in page["indicators"] if i["chart"] is not None), start=1):
        name = f"kennzahl-{n}.svg"
        files[name] = i["chart"].svg.encode("utf-8")
        indicator_figures.append({
            "file": name, "caption": f"{i['goal'].title}: {i['chart'].title}",
            "description": i["chart"].description, "source": "",
            "headers": i["chart"].headers,
            "rows": [[_text(c) if not isinstance(c, float) else formatting.number_trimmed(c, 3)
                      for c in r] for r in i["chart"].rows]})
    measures = [[r.measure.title, r.measure.goal.action_field.name, str(r.get_state_display()),
                 f"{r.progress} %", r.barriers or "–", r.enablers or "–"] for r in page["rows"]]
    indicators = []
    for i in page["indicators"]:
        g, latest = i["goal"], i["latest"]
        indicators.append([
            g.title, _text(i["name"]) + (f" ({i['unit']})" if i["unit"] else ""),
            _number(g.baseline_value) + (f" ({g.baseline_year})" if g.baseline_year else ""),
            (f"{_number(latest.value)} ({_date(latest.measured_on)})" if latest else "–"),
            _number(g.target_value) + (f" ({_date(g.target_date)})" if g.target_date else ""),
            _percent(i["share"]),
            i["trend"]["text"] or "–"])
    check = monitoring.population_check(commune)
    population = {"sentence": check.get("sentence", ""), "hint": check.get("hint", ""),
                  "figure": None, "headers": [], "rows": []}
    if check.get("chart") is not None:
        chart = check["chart"]
        files["bevoelkerung.svg"] = chart.svg.encode("utf-8")
        projection = check["projection"]
        population.update(
            figure={"caption": chart.title, "description": chart.description,
                    "source": f"Vorausberechnung „{projection.get('scenario_label', '')}“ vom "
                              f"{check['version'].adopted_on:%d.%m.%Y} (Fassung "
                              f"{check['version'].number}), Daten: {projection.get('source', '')}; "
                              f"tatsächlich: {check.get('actual_source') or '–'}"},
            headers=chart.headers, rows=[[_text(c) for c in r] for r in chart.rows])
    versions = list(PlanVersion.objects.filter(commune=commune).order_by("number"))
    baseline = versions[0] if versions else None
    if review.revised_version_id:
        revised = review.revised_version
        revised_label = _version_label(revised)
        if baseline is not None and baseline.pk == revised.pk:
            baseline = None
        revised_snapshot = revised.snapshot
    else:
        revised_label = "aktueller Entwurf (noch nicht beschlossen)"
        revised_snapshot = selectors.plan_snapshot(commune)
    comparison = None
    if baseline is not None:
        result = diff.diff_plans(baseline.snapshot, revised_snapshot)
        kinds = {"goal": "Ziel", "measure": "Maßnahme"}
        comparison = {
            "baseline": _version_label(baseline),
            "revised": revised_label,
            "added": [[kinds[i.kind], i.title] for i in result.added],
            "removed": [[kinds[i.kind], i.title] for i in result.removed],
            "changed": [[f"{kinds[i.kind]}: {i.title}", c.label, _text(c.old), _text(c.new)]
                        for i in result.changed for c in i.changes],
        }
    checklist = [[str(review._meta.get_field(key).verbose_name),
                  "ja" if getattr(review, key) else "nein"]
                 for key in ("has_structure", "has_budget_line", "has_responsible_post",
                             "has_council_decision")]
    data = {
        **_frame(commune, "Zwischenbilanz", review.title, review.held_on),
        "review": {"title": review.title, "held_on": _date(review.held_on),
                   "notes": review.notes,
                   "status": (f"abgeschlossen, Fortschreibung: "
                              f"{_version_label(review.revised_version)}"
                              if review.revised_version_id else "offen"),
                   "counts": [[str(label), str(n)] for label, n in page["counts"].items()]},
        "measures": measures, "indicators": indicators, "population": population,
        "indicator_figures": indicator_figures,
        "decisions": [[d.text, d.responsible or "–", _date(d.due) or "–"]
                      for d in page["decisions"]],
        "checklist": checklist, "continuation_notes": review.continuation_notes,
        "comparison": comparison,
    }
    return data, files


def review_pdf(review) -> bytes:
    data, files = review_data(review)
    return _compile(REVIEW_TEMPLATE, data, files)
