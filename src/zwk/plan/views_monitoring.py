"""Views of the monitoring half of the Werkstattplan: timeline, progress log, indicator
measurements (by hand or from the Kommunalprofil) and the Zwischenbilanz with its PDF report.
Thin: parse input, check the permission, call a service or read, render."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zwk.core.permissions import require
from zwk.plan import milestones, monitoring, services
from zwk.plan import review as review_services
from zwk.plan.forms import AdoptForm
from zwk.plan.models import Goal, Measure, MeasureReview, Milestone, Review
from zwk.plan.views import ADOPT, CHANGE, VIEW, _commune, _download, _slug


def _date(value):
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def _errors(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


@login_required
def timeline(request, pk):
    commune = _commune(request, pk, VIEW)
    return render(request, "plan/timeline.html", {
        "commune": commune, "chart": monitoring.timeline_chart(commune)})


# --- Zwischenbilanz ------------------------------------------------------------------------------

@login_required
def reviews(request, pk):
    commune = _commune(request, pk, VIEW)
    errors: list[str] = []
    if request.method == "POST":
        require(request, CHANGE, commune)
        held_on = _date(request.POST.get("held_on"))
        if held_on is None:
            errors.append(_("Bitte geben Sie ein gültiges Datum ein."))
        else:
            try:
                item = review_services.review_create(commune=commune, by=request.user,
                                                     title=request.POST.get("title", "")[:200],
                                                     held_on=held_on)
            except ValidationError as error:
                errors += _errors(error)
            else:
                return redirect("plan_review", pk=commune.pk, review_pk=item.pk)
    return render(request, "plan/reviews.html", {
        "commune": commune, "reviews": Review.objects.filter(commune=commune),
        "errors": errors, "can_change": request.user.has_perm(CHANGE, commune)},
        status=400 if errors else 200)


@login_required
def review_detail(request, pk, review_pk, errors=None):
    commune = _commune(request, pk, VIEW)
    item = get_object_or_404(Review.objects.select_related("revised_version"), pk=review_pk,
                             commune=commune)
    can_change_plan = request.user.has_perm(CHANGE, commune)
    return render(request, "plan/review_detail.html", {
        "commune": commune, "review": item, **review_services.review_page_with_charts(item),
        "population": monitoring.population_check(commune),
        "states": MeasureReview.State.choices, "errors": errors or [],
        "can_change": can_change_plan and not item.revised_version_id,
        "can_measure": can_change_plan,
        "can_adopt": request.user.has_perm(ADOPT, commune) and not item.revised_version_id,
        "adopt_form": AdoptForm(initial={"label": _("Fortschreibung nach der Zwischenbilanz")}),
    }, status=400 if errors else 200)


@login_required
@require_POST
def review_action(request, pk, review_pk, action):
    commune = _commune(request, pk, ADOPT if action == "fortschreibung" else CHANGE)
    item = get_object_or_404(Review, pk=review_pk, commune=commune)
    post = request.POST
    try:
        if action == "massnahmen":
            entries = {}
            for row in item.measure_reviews.all():
                entries[row.measure_id] = {
                    "state": post.get(f"state-{row.measure_id}"),
                    "progress": post.get(f"progress-{row.measure_id}"),
                    "barriers": post.get(f"barriers-{row.measure_id}", "")[:5000],
                    "enablers": post.get(f"enablers-{row.measure_id}", "")[:5000]}
            review_services.measure_reviews_save(review=item, entries=entries, by=request.user)
        elif action == "verstetigung":
            review_services.review_continuation_save(review=item, by=request.user, data={
                k: post.get(k) for k in ("has_structure", "has_budget_line",
                                         "has_responsible_post", "has_council_decision",
                                         "continuation_notes", "notes")})
        elif action == "beschluesse":
            review_services.review_decision_add(
                review=item, text=post.get("text", "")[:500],
                responsible=post.get("responsible", "")[:200], due=_date(post.get("due")),
                by=request.user)
        elif action == "fortschreibung":
            form = AdoptForm(post)
            if not form.is_valid():
                return review_detail(request, pk, review_pk,
                                     errors=[e for es in form.errors.values() for e in es])
            review_services.review_finish(review=item, by=request.user, **form.cleaned_data)
        else:
            raise Http404
    except ValidationError as error:
        return review_detail(request, pk, review_pk, errors=_errors(error))
    except services.PlanError as error:
        return review_detail(request, pk, review_pk, errors=[str(error)])
    messages.success(request, _("Gespeichert."))
    return redirect("plan_review", pk=commune.pk, review_pk=item.pk)


@login_required
def review_pdf(request, pk, review_pk):
    from zwk.plan.pdf import review_pdf as render_review

    commune = _commune(request, pk, VIEW)
    item = get_object_or_404(Review.objects.select_related("revised_version", "commune"),
                             pk=review_pk, commune=commune)
    return _download(render_review(item),
                     f"zwischenbilanz-{_slug(commune)}-{item.held_on:%Y-%m-%d}.pdf",
                     "application/pdf")


# --- progress log and indicator measurements ----------------------------------------------------

def _dated_progress(request) -> tuple[dt.date, int | None]:
    """The date and optional percentage of a progress form, or a German ValidationError."""
    on = _date(request.POST.get("date"))
    raw = request.POST.get("progress", "").strip()
    if on is None:
        raise ValidationError(_("Bitte geben Sie ein gültiges Datum ein."))
    if raw and not raw.isdigit():
        raise ValidationError(_("Der Fortschritt muss eine ganze Zahl zwischen 0 und 100 sein."))
    return on, int(raw) if raw else None


@login_required
@require_POST
def progress_log(request, pk, measure_pk):
    commune = _commune(request, pk, CHANGE)
    measure = get_object_or_404(Measure, pk=measure_pk, commune=commune)
    try:
        on, progress = _dated_progress(request)
        entry = review_services.progress_entry_add(measure=measure, on=on, progress=progress,
                                                   note=request.POST.get("note", "")[:5000],
                                                   by=request.user)
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        measure.refresh_from_db()
        if entry.progress is not None and measure.progress_override != entry.progress:
            messages.success(request, _(
                "Der Eintrag ist festgehalten. Es gibt einen neueren Eintrag; der Fortschritt "
                "der Maßnahme bleibt bei %(p)s %%.") % {"p": measure.progress})
        else:
            messages.success(request, _("Der Fortschritt ist festgehalten."))
    return redirect(f"{_measure_url(commune, measure)}#verlauf")


@login_required
@require_POST
def milestone_action(request, pk, measure_pk, action, milestone_pk=None):
    """Plan a milestone (action "neu"), mark one reached ("erreicht") or remove an unreached
    one ("entfernen"); back to the measure's progress section with a message."""
    commune = _commune(request, pk, CHANGE)
    measure = get_object_or_404(Measure, pk=measure_pk, commune=commune)
    if (action == "neu") != (milestone_pk is None):
        raise Http404
    item = None if milestone_pk is None else get_object_or_404(Milestone, pk=milestone_pk,
                                                                measure=measure)
    try:
        message = _milestone_write(request, measure, action, item)
    except ValidationError as error:
        for text in _errors(error):
            messages.error(request, text)
    else:
        messages.success(request, message)
    return redirect(f"{_measure_url(commune, measure)}#meilensteine")


def _milestone_write(request, measure, action, item) -> str:
    if action == "neu":
        due = _date(request.POST.get("due"))
        if due is None:
            raise ValidationError(_("Bitte geben Sie ein gültiges Datum ein."))
        milestones.milestone_add(measure=measure, title=request.POST.get("title", "")[:500],
                                 due=due, by=request.user)
        return _("Der Meilenstein ist geplant.")
    if action == "erreicht":
        on, progress = _dated_progress(request)
        milestones.milestone_reach(milestone=item, on=on, progress=progress, by=request.user)
        return _("Der Meilenstein ist als erreicht festgehalten.")
    if action == "entfernen":
        milestones.milestone_delete(milestone=item, by=request.user)
        return _("Der Meilenstein ist entfernt.")
    raise Http404


def _measure_url(commune, measure) -> str:
    return reverse("plan_measure_edit", args=[commune.pk, measure.pk])


def _back(request, commune, goal, fallback: str):
    """Back to the review page the form was sent from, else to the goal's page."""
    review_pk = request.POST.get("zwischenbilanz", "")
    if review_pk.isdigit() and Review.objects.filter(pk=int(review_pk),
                                                     commune=commune).exists():
        return redirect(f"{_review_url(commune, int(review_pk))}#kennzahlen")
    return redirect("plan_goal_edit", pk=commune.pk, goal_pk=goal.pk) if fallback == "goal" \
        else redirect("plan_outline", pk=commune.pk)


def _review_url(commune, review_pk: int) -> str:
    return reverse("plan_review", args=[commune.pk, review_pk])


@login_required
@require_POST
def indicator_measure(request, pk, goal_pk):
    commune = _commune(request, pk, CHANGE)
    goal = get_object_or_404(Goal, pk=goal_pk, commune=commune)
    on = _date(request.POST.get("measured_on"))
    try:
        value = Decimal(request.POST.get("value", "").replace(",", ".").strip())
        if not value.is_finite() or abs(value) >= Decimal("1e11"):
            raise InvalidOperation
    except InvalidOperation:
        value = None
    if on is None or value is None:
        messages.error(request, _("Bitte geben Sie einen Wert (Zahl) und ein gültiges Datum "
                                  "ein."))
    else:
        try:
            review_services.indicator_measurement_add(
                goal=goal, value=value, measured_on=on,
                source=request.POST.get("source", "")[:200], by=request.user)
        except services.PlanError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Die Messung ist gespeichert."))
    return _back(request, commune, goal, "goal")


@login_required
@require_POST
def indicator_from_profile(request, pk, goal_pk):
    commune = _commune(request, pk, CHANGE)
    goal = get_object_or_404(Goal, pk=goal_pk, commune=commune)
    try:
        item = review_services.indicator_from_profile(goal=goal, by=request.user)
    except services.PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Aus dem Kommunalprofil übernommen: %(value)s (Stand "
                                    "%(date)s).") % {
            "value": f"{item.value.normalize():f}".replace(".", ","),
            "date": item.measured_on.strftime("%d.%m.%Y")})
    return _back(request, commune, goal, "goal")
