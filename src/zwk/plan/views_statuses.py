"""The programme office's page for the statuses of measures (per programme): list, add,
rename, change the default progress, reorder, retire or delete an unused one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zwk.communes.models import Programme
from zwk.core.forms import add_errors
from zwk.core.permissions import require
from zwk.plan import selectors, services
from zwk.plan.forms import StatusForm
from zwk.plan.models import MeasureStatus

MANAGE = "plan.manage_statuses"


def _programme(request, slug) -> Programme:
    programme = get_object_or_404(Programme, slug=slug)
    require(request, MANAGE, programme)
    return programme


@login_required
def statuses(request, slug):
    programme = _programme(request, slug)
    services.statuses_ensure(programme=programme)
    form = StatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            status = services.status_create(programme=programme, by=request.user,
                                            **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Der Status „%(name)s“ ist angelegt.")
                             % {"name": status.name})
            return redirect("plan_statuses", slug=programme.slug)
    return render(request, "plan/statuses.html", {
        "programme": programme, "statuses": selectors.statuses_of(programme), "form": form},
        status=400 if form.errors else 200)


@login_required
def status_edit(request, slug, status_pk):
    programme = _programme(request, slug)
    status = get_object_or_404(MeasureStatus, pk=status_pk, programme=programme)
    form = StatusForm(request.POST or None, initial={
        "name": status.name, "default_progress": status.default_progress,
        "chart_key": status.chart_key})
    if request.method == "POST" and form.is_valid():
        try:
            services.status_update(status=status, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Der Status ist gespeichert."))
            return redirect("plan_statuses", slug=programme.slug)
    return render(request, "plan/status_form.html", {
        "programme": programme, "status": status, "form": form,
        "following": selectors.status_usage(status)}, status=400 if form.errors else 200)


@login_required
@require_POST
def status_action(request, slug, status_pk, action):
    programme = _programme(request, slug)
    status = get_object_or_404(MeasureStatus, pk=status_pk, programme=programme)
    try:
        if action in ("hoch", "runter"):
            services.status_move(status=status, direction="up" if action == "hoch" else "down",
                                 by=request.user)
        elif action == "zurueckziehen":
            services.status_set_active(status=status, active=False, by=request.user)
            messages.success(request, _("„%(name)s“ wird nicht mehr angeboten; Maßnahmen mit "
                                        "diesem Status behalten ihn.") % {"name": status.name})
        elif action == "wieder-anbieten":
            services.status_set_active(status=status, active=True, by=request.user)
            messages.success(request, _("„%(name)s“ wird wieder angeboten.")
                             % {"name": status.name})
        elif action == "loeschen":
            services.status_delete(status=status, by=request.user)
            messages.success(request, _("„%(name)s“ ist gelöscht.") % {"name": status.name})
        else:
            raise Http404
    except services.PlanError as error:
        messages.error(request, str(error))
    url = reverse("plan_statuses", args=[programme.slug])
    return redirect(f"{url}#status-{status.pk}" if action in ("hoch", "runter") else url)
