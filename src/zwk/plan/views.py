from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zwk.core.concurrency import VersionConflict, conflict_context
from zwk.core.forms import add_errors
from zwk.core.params import query_int, query_year
from zwk.core.permissions import require, visible_commune
from zwk.plan import diff, exports, selectors, services
from zwk.plan.exports import COLUMNS, ImportRejected
from zwk.plan.forms import AdoptForm, GoalForm, MeasureForm
from zwk.plan.models import Goal, Measure, MeasureStatus, PlanVersion

VIEW, CHANGE, ADOPT = "plan.view_plan", "plan.change_plan", "plan.adopt_plan"


def _commune(request, pk, perm):
    commune = visible_commune(request, pk)
    require(request, perm, commune)
    return commune


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def outline(request, pk):
    commune = _commune(request, pk, VIEW)
    services.statuses_ensure(programme=commune.programme)
    return render(request, "plan/outline.html", {
        "commune": commune, "blocks": selectors.plan_outline(commune),
        "can_change": request.user.has_perm(CHANGE, commune),
        "can_adopt": request.user.has_perm(ADOPT, commune),
        "open_candidates": selectors.open_candidates(commune).count(),
        "versions": selectors.versions_of(commune)})


@login_required
def table(request, pk):
    commune = _commune(request, pk, VIEW)
    filters = {"action_field": query_int(request, "feld"),
               "status": query_int(request, "status"),
               "lead": request.GET.get("federfuehrung", "").strip()[:200],
               "year": query_year(request, "jahr")}
    return render(request, "plan/table.html", {
        "commune": commune, "measures": selectors.measures_table(commune, **filters),
        "filters": filters, "action_fields": commune.action_fields.all(),
        "statuses": MeasureStatus.objects.filter(programme=commune.programme),
        "leads": selectors.leads_of(commune)})


def _edit(request, commune, form, instance, create, update, template, back, extra):
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        m2m = {k: data.pop(k) for k in ("swot_items", "dependencies", "inventory_entries",
                                        "cards")
               if k in data}
        try:
            obj = create(data, m2m) if instance is None else update(data, m2m, version or 0)
        except VersionConflict as error:
            conflict = conflict_context(form, error)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("„%(title)s“ ist gespeichert.") % {"title": obj.title})
            return redirect(back(obj))
    return render(request, template, {"commune": commune, "form": form, "object": instance,
                                      "conflict": conflict, **extra},
                  status=409 if conflict else 400 if form.errors else 200)


@login_required
def goal_edit(request, pk, goal_pk=None):
    commune = _commune(request, pk, CHANGE)
    goal = get_object_or_404(Goal, pk=goal_pk, commune=commune) if goal_pk else None
    initial = {"version": goal.version} if goal else {
        "action_field": query_int(request, "feld"), "parent": query_int(request, "ziel")}
    form = GoalForm(request.POST or None, instance=goal, initial=initial, commune=commune)

    def create(data, m2m):
        return services.goal_create(commune=commune, data=data, by=request.user,
                                    swot_items=m2m.get("swot_items") or ())

    def update(data, m2m, version):
        return services.goal_update(goal=goal, data=data, expected_version=version,
                                    by=request.user, swot_items=m2m.get("swot_items"))

    return _edit(request, commune, form, goal, create, update, "plan/goal_form.html",
                 lambda g: f"{_outline_url(commune)}#ziel-{g.pk}",
                 {"measurements": list(goal.measurements.all()) if goal else []})


@login_required
def measure_edit(request, pk, measure_pk=None):
    commune = _commune(request, pk, CHANGE)
    services.statuses_ensure(programme=commune.programme)
    measure = (get_object_or_404(Measure, pk=measure_pk, commune=commune)
               if measure_pk else None)
    initial = {"version": measure.version} if measure else {
        "goal": query_int(request, "ziel"),
        "status": MeasureStatus.objects.filter(programme=commune.programme,
                                               is_active=True).first()}
    form = MeasureForm(request.POST or None, instance=measure, initial=initial, commune=commune)

    def create(data, m2m):
        return services.measure_create(commune=commune, data=data, by=request.user, links=m2m)

    def update(data, m2m, version):
        return services.measure_update(measure=measure, data=data, expected_version=version,
                                       by=request.user, links=m2m)

    return _edit(request, commune, form, measure, create, update, "plan/measure_form.html",
                 lambda m: f"{_outline_url(commune)}#massnahme-{m.pk}",
                 {"log": list(measure.progress_log.all()) if measure else []})


def _outline_url(commune) -> str:
    return reverse("plan_outline", args=[commune.pk])


@login_required
@require_POST
def move(request, pk, kind, obj_pk):
    commune = _commune(request, pk, CHANGE)
    direction = request.POST.get("richtung")
    if direction not in ("up", "down") or kind not in ("ziel", "massnahme"):
        raise Http404
    if kind == "ziel":
        obj = get_object_or_404(Goal, pk=obj_pk, commune=commune)
        services.goal_move(goal=obj, direction=direction, by=request.user)
        anchor = f"ziel-{obj.pk}"
    else:
        obj = get_object_or_404(Measure, pk=obj_pk, commune=commune)
        services.measure_move(measure=obj, direction=direction, by=request.user)
        anchor = f"massnahme-{obj.pk}"
    return redirect(f"{_outline_url(commune)}#{anchor}")


@login_required
def takeover(request, pk):
    commune = _commune(request, pk, CHANGE)
    candidates = list(selectors.open_candidates(commune))
    swot = list(selectors.open_swot_items(commune))
    goals = Goal.objects.filter(commune=commune).select_related("action_field")
    error = None
    if request.method == "POST":
        chosen_c = {_int(v) for v in request.POST.getlist("kandidat")}
        chosen_s = {_int(v) for v in request.POST.getlist("swot")}
        field_id, goal_id = _int(request.POST.get("feld")), _int(request.POST.get("ziel"))
        picked = [c for c in candidates if c.pk in chosen_c]
        picked_swot = [s for s in swot if s.pk in chosen_s]
        if len(picked) != len(chosen_c) or len(picked_swot) != len(chosen_s):
            error = _("Mindestens ein gewählter Vorschlag ist nicht mehr offen. Bitte laden Sie "
                      "die Seite neu.")
        elif not picked and not picked_swot:
            error = _("Bitte wählen Sie mindestens einen Vorschlag aus.")
        else:
            try:
                created = services.takeover(
                    commune=commune, candidates=picked, swot_items=picked_swot, by=request.user,
                    fallback_field=commune.action_fields.filter(pk=field_id).first(),
                    fallback_goal=goals.filter(pk=goal_id).first())
            except services.PlanError as exc:
                error = str(exc)
            else:
                messages.success(request, _("Übernommen: %(goals)s Ziele und %(measures)s "
                                            "Maßnahmen.") % created)
                return redirect("plan_outline", pk=commune.pk)
    return render(request, "plan/takeover.html", {
        "commune": commune, "candidates": candidates, "swot_items": swot, "goals": goals,
        "action_fields": commune.action_fields.all(), "error": error},
        status=400 if error else 200)


@login_required
def versions(request, pk):
    commune = _commune(request, pk, VIEW)
    can_adopt = request.user.has_perm(ADOPT, commune)
    form = AdoptForm(request.POST or None)
    if request.method == "POST":
        require(request, ADOPT, commune)
        if form.is_valid():
            try:
                version = services.plan_adopt(commune=commune, by=request.user,
                                              **form.cleaned_data)
            except services.PlanError as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Fassung %(n)s ist beschlossen und eingefroren.")
                                 % {"n": version.number})
                return redirect("plan_version", pk=commune.pk, number=version.number)
    from zwk.plan.models import PlanPublication

    return render(request, "plan/versions.html", {
        "commune": commune, "versions": selectors.versions_of(commune), "form": form,
        "can_adopt": can_adopt,
        "can_publish": request.user.has_perm("plan.publish_plan", commune),
        "published": PlanPublication.objects.filter(commune=commune, is_published=True).exists()},
        status=400 if form.errors else 200)


def _version(commune, number):
    return get_object_or_404(PlanVersion, commune=commune, number=number)


@login_required
def version_detail(request, pk, number):
    commune = _commune(request, pk, VIEW)
    version = _version(commune, number)
    snapshot = version.snapshot
    goals_by_field: dict[str, list] = {}
    for g in snapshot.get("goals", []):
        goals_by_field.setdefault(g["action_field"], []).append(g)
    measures_by_goal: dict[int, list] = {}
    for m in snapshot.get("measures", []):
        measures_by_goal.setdefault(m["goal"], []).append(m)
    for goals in goals_by_field.values():
        for g in goals:
            g["measure_list"] = measures_by_goal.get(g["id"], [])
    return render(request, "plan/version_detail.html", {
        "commune": commune, "version": version, "goals_by_field": goals_by_field})


@login_required
def compare(request, pk):
    commune = _commune(request, pk, VIEW)
    all_versions = list(selectors.versions_of(commune))
    a, b = request.GET.get("a", ""), request.GET.get("b", "aktuell")

    def snapshot_of(key):
        if key == "aktuell":
            return _("aktueller Entwurf"), selectors.plan_snapshot(commune)
        number = _int(key)
        version = next((v for v in all_versions if v.number == number), None)
        if version is None:
            return None, None
        return str(version), version.snapshot

    label_a, snap_a = snapshot_of(a) if a else (None, None)
    if snap_a is None and all_versions:
        a = str(all_versions[0].number)
        label_a, snap_a = snapshot_of(a)
    label_b, snap_b = snapshot_of(b)
    result = diff.diff_plans(snap_a, snap_b) if snap_a is not None and snap_b is not None else None
    return render(request, "plan/compare.html", {
        "commune": commune, "versions": all_versions, "a": a, "b": b, "label_a": label_a,
        "label_b": label_b, "diff": result})


# --- export, import, PDF, timeline -------------------------------------------------------------

def _download(content: bytes, filename: str, content_type: str):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _slug(commune) -> str:
    return slugify(commune.name) or "kommune"


@login_required
def export(request, pk, fmt):
    commune = _commune(request, pk, VIEW)
    if fmt == "csv":
        return _download(exports.plan_csv(commune), f"werkstattplan-{_slug(commune)}.csv",
                         "text/csv; charset=utf-8")
    if fmt == "xlsx":
        return _download(exports.plan_xlsx(commune), f"werkstattplan-{_slug(commune)}.xlsx",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if fmt == "docx":
        return _download(exports.plan_docx(commune), f"werkstattplan-{_slug(commune)}.docx",
                         "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    if fmt == "pdf":
        from zwk.plan.pdf import plan_pdf

        return _download(plan_pdf(commune), f"werkstattplan-{_slug(commune)}.pdf",
                         "application/pdf")
    raise Http404


MAX_IMPORT_BYTES = 2 * 1024 * 1024


IMPORT_RESULT = "plan_import_result"


@login_required
def import_plan(request, pk):
    """Upload a CSV/XLSX (the export's columns): check only, or import. After an import the
    page shows what happened (redirect first, so reloading does not import twice)."""
    commune = _commune(request, pk, CHANGE)
    errors: list[str] = []
    checked = None
    if request.method == "POST":
        upload = request.FILES.get("datei")
        dry_run = request.POST.get("aktion") == "pruefen"
        if upload is None:
            errors = [_("Bitte wählen Sie eine CSV- oder XLSX-Datei.")]
        elif not upload.name.lower().endswith((".csv", ".xlsx")):
            errors = [_("Bitte laden Sie eine CSV- oder XLSX-Datei hoch.")]
        elif upload.size > MAX_IMPORT_BYTES:
            errors = [_("Die Datei ist größer als 2 MB.")]
        else:
            try:
                result = services.plan_import(commune=commune, name=upload.name,
                                              content=upload.read(), by=request.user,
                                              dry_run=dry_run)
            except ImportRejected as rejected:
                errors = rejected.errors
            else:
                summary = {**result.counts, "file": upload.name[:200],
                           "changes": [{"ref": c.ref, "title": c.title, "fields": c.fields}
                                       for c in result.updated[:500]]}
                if dry_run:
                    checked = summary
                else:
                    request.session[IMPORT_RESULT] = {"commune": commune.pk, **summary}
                    return redirect(f"{reverse('plan_import', args=[commune.pk])}?ergebnis=1")
    done = None
    if request.method == "GET" and request.GET.get("ergebnis"):
        done = request.session.get(IMPORT_RESULT)
        if not done or done.get("commune") != commune.pk:
            done = None
    return render(request, "plan/import.html", {"commune": commune, "errors": errors,
                                                "columns": COLUMNS, "checked": checked,
                                                "done": done},
                  status=400 if errors else 200)


# --- public page ---------------------------------------------------------------------------------

@login_required
@require_POST
def publish(request, pk):
    commune = _commune(request, pk, "plan.publish_plan")
    publish_it = request.POST.get("veroeffentlichen") == "1"
    try:
        services.plan_publish(commune=commune, publish=publish_it, by=request.user)
    except services.PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Der Plan ist jetzt öffentlich.") if publish_it
                         else _("Der Plan ist nicht mehr öffentlich."))
    return redirect("plan_versions", pk=commune.pk)


def public_plan(request, pk):
    data = selectors.public_plan(pk)
    if data is None:
        raise Http404
    return render(request, "plan/public.html", data)


@login_required
@require_POST
def goal_delete(request, pk, goal_pk):
    commune = _commune(request, pk, CHANGE)
    goal = get_object_or_404(Goal, pk=goal_pk, commune=commune)
    try:
        services.goal_delete(goal=goal, by=request.user)
    except services.PlanError as error:
        messages.error(request, str(error))
        return redirect("plan_goal_edit", pk=commune.pk, goal_pk=goal.pk)
    messages.success(request, _("Das Ziel ist gelöscht."))
    return redirect("plan_outline", pk=commune.pk)
