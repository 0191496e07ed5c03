"""Views of the analysis half of the Kommunalprofil: data, key figures, charts, projection,
towns of a Kreis, PDF/DOCX, and the programme office's synopsis. Thin: permission, parse,
call `zwk.profile.data` (writes) or `zwk.profile.analysis` (reads), render."""

from __future__ import annotations

import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zwk.communes.models import Programme
from zwk.communes.selectors import commune_ids_visible_to
from zwk.core.permissions import require, visible_commune
from zwk.demography.projection import get_scenario
from zwk.profile import analysis, data
from zwk.profile.forms_analysis import (
    ApiFetchForm,
    ComparisonForm,
    DataUploadForm,
    ScenarioForm,
    ScenarioSaveForm,
)
from zwk.profile.services import ProfileError
from zwk.profile.tabs import profile_context
from zwk.reports.model import display_cell

VIEW = "profile.view_profile"
MANAGE = "profile.manage_data"
ADD_SCENARIO = "profile.add_scenario"
DEFAULT_HORIZON = 2040


def _context(request, commune, tab: str, a, **extra) -> dict:
    context = profile_context(commune, tab)
    context.update({
        "analysis": a, "synthetic": bool(a and a.synthetic),
        "can_manage": request.user.has_perm(MANAGE, commune),
        "can_add_scenario": request.user.has_perm(ADD_SCENARIO, commune), **extra})
    return context


def _cell(value):
    """A number the German way; a missing value (None, NaN) stays None for `data_cell`."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return display_cell(value) if math.isfinite(value) else None
    return value


def _table(chart) -> dict:
    return {"headers": list(chart.table.headers),
            "rows": [[_cell(c) for c in row] for row in chart.table.rows]}


def _browser_spec(chart) -> dict:
    """The page's spec, computed once per (cached) chart."""
    if "browser_spec" not in chart.extras:
        chart.extras["browser_spec"] = analysis.browser_spec(chart.spec)
    return chart.extras["browser_spec"]


def chart_block(commune, key: str, chart, *, query: str = "") -> dict | None:
    """What templates/profile/analysis/_chart.html needs for one chart."""
    if chart is None:
        return None
    base = reverse("profile_chart", args=[commune.pk, key, "svg"])[:-4]
    return {"key": key, "spec": _browser_spec(chart), "spec_id": f"spec-{key}",
            "title": chart.title, "description": chart.description, "table": _table(chart),
            "downloads": [(fmt.upper(), f"{base}.{fmt}{query}") for fmt in ("svg", "png", "csv")]}


def _scenario_from_request(request, a):
    """(scenario, horizon, label, saved) from ?szenario=<id> or the basis variant."""
    saved = None
    if request.GET.get("szenario", "").isdigit():
        saved = a.commune.scenarios.filter(pk=int(request.GET["szenario"])).first()
    if saved is not None:
        try:
            return analysis.scenario_for(saved.preset, saved.parameters), saved.horizon, saved
        except Exception:  # a stored scenario the engine no longer accepts: fall back
            saved = None
    return get_scenario("basis"), DEFAULT_HORIZON, None


def _horizon(a, horizon: int) -> int:
    base = analysis.base_year_of(a) or 2023
    return min(analysis.MAX_HORIZON, max(horizon, base + 1))


# ------------------------------------------------------------------------------ overview

@login_required
def overview(request, pk: int):
    commune = visible_commune(request, pk)
    require(request, VIEW, commune)
    a = analysis.analysis_for(commune)
    context = _context(request, commune, "overview", a)
    if a is not None and a.region is not None:
        indicator = request.GET.get("kennzahl", "altenquotient")
        if indicator not in analysis.INDICATOR_BY_KEY:
            indicator = "altenquotient"
        context.update(overview_parts(commune, a, indicator))
        context["typology"] = _link_visible_members(request, context.get("typology"))
        context["comparison_area"] = data.comparison_area(commune)
    return render(request, "profile/analysis/overview.html", context)


def _link_visible_members(request, typology: dict | None) -> dict | None:
    """Only the other members of the type that the person may open are linked. Works on a
    copy: the typology comes from a cache that other requests read too."""
    if not typology:
        return typology
    visible = commune_ids_visible_to(user=request.user)
    members = [{**m, "linkable": m["pk"] in visible} for m in typology.get("members", [])]
    return {**typology, "members": members}


def overview_parts(commune, a, indicator: str = "altenquotient") -> dict:
    """Everything the overview computes: key figures, the basis projection, the charts and
    the typology (each through the profile's caches)."""
    parts: dict = {}
    run = None
    try:
        run = analysis.run_projection(a, get_scenario("basis"), _horizon(a, DEFAULT_HORIZON))
    except ProfileError as error:
        parts["projection_error"] = str(error)
    blocks = [chart_block(commune, key, analysis.build_chart(a, key, run, indicator),
                          query=f"?kennzahl={indicator}" if key == "vergleich" else "")
              for key in analysis.CHART_KEYS]
    parts.update(figures=analysis.key_figures(a), charts=[b for b in blocks if b], run=run,
                 typology=analysis.typology(commune), indicator=indicator,
                 indicators=[i for i in analysis.INDICATORS if i.key != "bevoelkerung"])
    return parts


def warm_overviews(communes) -> int:
    """Compute the overview of each commune with data once, so the profile's caches (and the
    shared one every app process reads, zwk.profile.cache) hold it before anyone asks: the
    first view of a fresh worker then reads results instead of parsing and projecting.
    Renders nothing (no chart renderer is started). Returns how many were computed."""
    done = 0
    for a in analysis.programme_analyses(communes).values():
        if a is not None and a.region is not None:
            overview_parts(a.commune, a)
            done += 1
    return done


@login_required
def chart_download(request, pk: int, key: str, fmt: str):
    commune = visible_commune(request, pk)
    require(request, VIEW, commune)
    a = analysis.analysis_for(commune)
    if a is None or key not in analysis.CHART_KEYS or fmt not in ("svg", "png", "csv"):
        raise Http404
    scenario, horizon, _saved = _scenario_from_request(request, a)
    run = None
    if key in ("pyramide", "entwicklung", "altersgruppen"):
        try:
            run = analysis.run_projection(a, scenario, _horizon(a, horizon))
        except ProfileError:
            run = None
    indicator = request.GET.get("kennzahl", "altenquotient")
    if indicator not in analysis.INDICATOR_BY_KEY:
        indicator = "altenquotient"
    chart = analysis.build_chart(a, key, run, indicator)
    if chart is None:
        raise Http404
    name = f"{slugify(commune.name)}-{key}.{fmt}"
    if fmt == "svg":
        response = HttpResponse(chart.to_svg(), content_type="image/svg+xml; charset=utf-8")
    elif fmt == "png":
        response = HttpResponse(chart.to_png(), content_type="image/png")
    else:
        response = HttpResponse("\ufeff" + chart.to_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ---------------------------------------------------------------------------------- data

def _data_page(request, commune, *, upload_form=None, fetch_form=None, comparison_form=None,
               status=200):
    a = analysis.analysis_for(commune)
    candidates = data.comparison_candidates(commune, a.dataset if a else None)
    current = [r["ags"] for r in data.comparison_regions(commune, a.dataset if a else None)]
    context = _context(
        request, commune, "data", a,
        own_sources=list(commune.data_sources.select_related("uploaded_by")),
        inherited=data.inherited_sources(commune),
        upload_form=upload_form or DataUploadForm(commune=commune),
        fetch_form=fetch_form or ApiFetchForm(), api_configured=data.api_configured(),
        comparison_form=comparison_form or ComparisonForm(
            candidates=candidates, initial={"regions": current}),
        comparison_current=data.comparison_regions(commune, a.dataset if a else None),
        comparison_automatic=not commune.comparison_regions.exists(),
        comparison_area=data.comparison_area(commune))
    return render(request, "profile/analysis/data.html", context, status=status)


@login_required
def data_sources(request, pk: int):
    commune = visible_commune(request, pk)
    require(request, VIEW, commune)
    if request.method != "POST":
        return _data_page(request, commune)
    require(request, MANAGE, commune)
    form = DataUploadForm(request.POST, request.FILES, commune=commune)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            source = data.data_source_add(
                commune=commune, name=upload.name, content=upload.read(), by=request.user,
                title=form.cleaned_data["title"], replacing=form.cleaned_data["replacing"])
        except ProfileError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("Der Datensatz „%(t)s“ ist geladen (%(y)s).") % {
                "t": source.title, "y": _years(source.years)})
            return redirect("profile_data", pk=commune.pk)
    return _data_page(request, commune, upload_form=form, status=400)


def _years(years: list[int]) -> str:
    return f"{min(years)}–{max(years)}" if years else "–"


@login_required
@require_POST
def data_fetch(request, pk: int):
    commune = visible_commune(request, pk)
    require(request, MANAGE, commune)
    form = ApiFetchForm(request.POST)
    if form.is_valid():
        try:
            source = data.data_source_fetch(commune=commune, table=form.cleaned_data["table"],
                                            by=request.user)
        except ProfileError as error:
            form.add_error("table", str(error))
        else:
            messages.success(request, _("Die Tabelle „%(t)s“ ist abgerufen und geladen.")
                             % {"t": source.title})
            return redirect("profile_data", pk=commune.pk)
    return _data_page(request, commune, fetch_form=form, status=400)


@login_required
@require_POST
def data_remove(request, pk: int, source_pk: int):
    commune = visible_commune(request, pk)
    require(request, MANAGE, commune)
    source = get_object_or_404(commune.data_sources, pk=source_pk)
    title = source.title
    data.data_source_remove(source=source, by=request.user)
    messages.success(request, _("Der Datensatz „%(t)s“ ist entfernt.") % {"t": title})
    return redirect("profile_data", pk=commune.pk)


@login_required
@require_POST
def comparison(request, pk: int):
    commune = visible_commune(request, pk)
    require(request, MANAGE, commune)
    if request.POST.get("automatisch"):
        data.comparison_regions_reset(commune=commune, by=request.user)
        messages.success(request, _("Die Vergleichsregionen werden wieder automatisch gewählt."))
        return redirect("profile_data", pk=commune.pk)
    a = analysis.analysis_for(commune)
    form = ComparisonForm(request.POST, candidates=data.comparison_candidates(
        commune, a.dataset if a else None))
    if form.is_valid():
        try:
            data.comparison_regions_set(commune=commune, keys=form.cleaned_data["regions"],
                                        by=request.user)
        except ProfileError as error:
            form.add_error("regions", str(error))
        else:
            messages.success(request, _("Die Vergleichsregionen sind gespeichert."))
            return redirect("profile_data", pk=commune.pk)
    return _data_page(request, commune, comparison_form=form, status=400)


# ---------------------------------------------------------------------------- projection

def _projection_page(request, commune, a, *, form, save_form=None, status=200):
    context = _context(request, commune, "projection", a, form=form,
                       scenarios=list(commune.scenarios.select_related("created_by")))
    if a is None or a.region is None:
        return render(request, "profile/analysis/projection.html", context, status=status)
    if form.is_bound and form.is_valid():
        scenario, horizon = form.scenario, form.cleaned_data["horizon"]
        context["parameters"] = form.parameters()
        if save_form is None:
            save_form = ScenarioSaveForm(commune=commune, initial={
                **{k: form.cleaned_data.get(k) for k in form.fields}, "name": ""})
    elif form.is_bound:
        scenario, horizon, status = None, None, 400
    else:
        scenario, horizon = get_scenario("basis"), _horizon(a, DEFAULT_HORIZON)
    if scenario is not None:
        try:
            run = analysis.run_projection(a, scenario, horizon)
        except ProfileError as error:
            context["projection_error"] = str(error)
        else:
            context["run"] = run
            context["summary"] = analysis.scenario_summary(a, run)
            context["charts"] = [b for b in (
                chart_block(commune, key, analysis.build_chart(a, key, run))
                for key in ("entwicklung", "pyramide", "altersgruppen")) if b]
    context["save_form"] = save_form
    compare_ids = [int(i) for i in request.GET.getlist("vergleich") if i.isdigit()]
    compared = []
    for saved in commune.scenarios.filter(pk__in=compare_ids):
        try:
            run = analysis.run_projection(a, analysis.scenario_for(saved.preset, saved.parameters),
                                          _horizon(a, saved.horizon))
        except Exception as error:  # noqa: BLE001 – shown beside the scenario
            compared.append({"scenario": saved, "error": str(error)})
            continue
        compared.append({"scenario": saved, "summary": analysis.scenario_summary(a, run),
                         "run": run})
    context["compared"] = compared
    if len(compared) >= 1:
        context["compare_chart"] = _plain_block(
            "szenarien", analysis.scenarios_chart(
                [(c["scenario"].name, c["run"]) for c in compared if "run" in c]))
    return render(request, "profile/analysis/projection.html", context, status=status)


@login_required
def projection(request, pk: int):
    commune = visible_commune(request, pk)
    require(request, VIEW, commune)
    a = analysis.analysis_for(commune)
    base = analysis.base_year_of(a) if a else None
    bound = "preset" in request.GET
    form = ScenarioForm(request.GET if bound else None, base_year=base,
                        initial={"preset": "basis", "horizon": DEFAULT_HORIZON})
    return _projection_page(request, commune, a, form=form)


@login_required
@require_POST
def scenario_save(request, pk: int):
    commune = visible_commune(request, pk)
    require(request, ADD_SCENARIO, commune)
    a = analysis.analysis_for(commune)
    if a is None or a.region is None:
        raise Http404
    base = analysis.base_year_of(a)
    form = ScenarioSaveForm(request.POST, commune=commune, base_year=base)
    if form.is_valid():
        try:
            saved = data.scenario_save(commune=commune, name=form.cleaned_data["name"],
                                       preset=form.cleaned_data["preset"],
                                       horizon=form.cleaned_data["horizon"],
                                       parameters=form.parameters(), by=request.user)
        except ProfileError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Das Szenario „%(n)s“ ist gespeichert.") % {
                "n": saved.name})
            return redirect(reverse("profile_projection", args=[commune.pk])
                            + f"?vergleich={saved.pk}")
    calc = ScenarioForm(request.POST, base_year=base)
    return _projection_page(request, commune, a, form=calc, save_form=form, status=400)


@login_required
@require_POST
def scenario_delete(request, pk: int, scenario_pk: int):
    commune = visible_commune(request, pk)
    require(request, ADD_SCENARIO, commune)
    scenario = get_object_or_404(commune.scenarios, pk=scenario_pk)
    name = scenario.name
    data.scenario_remove(scenario=scenario, by=request.user)
    messages.success(request, _("Das Szenario „%(n)s“ ist gelöscht.") % {"n": name})
    return redirect("profile_projection", pk=commune.pk)


# --------------------------------------------------------------------------------- towns

@login_required
def towns(request, pk: int):
    commune = visible_commune(request, pk)
    require(request, VIEW, commune)
    if commune.kind != "kreis":
        raise Http404
    a = analysis.analysis_for(commune)
    context = _context(request, commune, "towns", a)
    if a is not None and a.region is not None:
        overview_ = analysis.towns_overview(a, get_scenario("basis"),
                                            _horizon(a, DEFAULT_HORIZON))
        context["towns"] = overview_
        context["town_charts"] = [b for b in (
            _plain_block("stadt-pyramiden", overview_["pyramids"]),
            _plain_block("stadt-prognosen", overview_["projections"])) if b]
        visible = commune_ids_visible_to(user=request.user)
        children = {c.ags: c for c in commune.children.all() if c.pk in visible}
        for row in overview_["rows"]:
            row["commune"] = children.get(row["ags"])
            row["cells"] = [analysis.fmt(row["values"][c.key], c.digits)
                            for c in overview_["columns"]]
    return render(request, "profile/analysis/towns.html", context)


def _plain_block(key: str, chart) -> dict | None:
    """A chart block without download links (charts that exist only on this page)."""
    if chart is None:
        return None
    return {"key": key, "spec": _browser_spec(chart), "spec_id": f"spec-{key}",
            "title": chart.title, "description": chart.description, "table": _table(chart),
            "downloads": []}


# -------------------------------------------------------------------------------- report

def _report_response(content: bytes, commune, ext: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    name = f"kommunalprofil-{slugify(commune.name)}.{ext}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def report_pdf(request, pk: int):
    from zwk.reports import profile_pdf

    commune = visible_commune(request, pk)
    require(request, VIEW, commune)
    report = analysis.profile_report(commune, by=request.user)
    return _report_response(profile_pdf(report), commune, "pdf", "application/pdf")


@login_required
def report_docx(request, pk: int):
    from zwk.reports import profile_docx

    commune = visible_commune(request, pk)
    require(request, VIEW, commune)
    report = analysis.profile_report(commune, by=request.user, with_png=True)
    return _report_response(
        profile_docx(report), commune, "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


# ------------------------------------------------------------------------------ synopsis

def _programme(request, slug: str) -> Programme:
    programme = get_object_or_404(Programme, slug=slug)
    require(request, "profile.view_synopsis", programme)   # as the portfolio: 403
    return programme


@login_required
def synopsis(request, slug: str):
    programme = _programme(request, slug)
    overview_ = analysis.synopsis(programme)
    indicator = request.GET.get("kennzahl", "altenquotient")
    if indicator not in analysis.SYNOPSIS_KEYS:
        indicator = "altenquotient"
    for row in overview_["rows"]:
        row["cells"] = [analysis.fmt(row["values"].get(c.key), c.digits)
                        for c in overview_["columns"]]
    return render(request, "profile/analysis/synopsis.html", {
        "programme": programme, "synopsis": overview_, "indicator": indicator,
        "chart": _plain_block("synopse", analysis.synopsis_chart(overview_, indicator)),
        "synthetic": overview_["synthetic"], "indicators": overview_["columns"]})


@login_required
def synopsis_xlsx(request, slug: str):
    from zwk.reports import workbook_bytes

    programme = _programme(request, slug)
    content = workbook_bytes(analysis.synopsis_sheets(analysis.synopsis(programme)))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="synopse-{programme.slug}.xlsx"'
    return response
