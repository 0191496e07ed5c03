"""The guided way to get data in: which official tables to fetch and where, the register
extract template, and "Nur prüfen" (what a file would load, nothing stored)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from zwk.core.permissions import require, visible_commune
from zwk.profile import data
from zwk.profile.forms_analysis import DataUploadForm
from zwk.profile.services import ProfileError
from zwk.profile.tabs import profile_context
from zwk.profile.upload_check import OFFICIAL_TABLES, REGISTER_COLUMNS, register_template

VIEW = "profile.view_profile"
MANAGE = "profile.manage_data"


def _guide_page(request, commune, *, form=None, check=None, status=200):
    context = profile_context(commune, "data")
    context.update({
        "tables": OFFICIAL_TABLES, "columns": REGISTER_COLUMNS,
        "can_manage": request.user.has_perm(MANAGE, commune),
        "upload_form": form or DataUploadForm(commune=commune), "check": check})
    return render(request, "profile/analysis/data_guide.html", context, status=status)


@login_required
def data_guide(request, pk: int):
    commune = visible_commune(request, pk)
    require(request, VIEW, commune)
    return _guide_page(request, commune)


@login_required
def data_template(request, pk: int):
    commune = visible_commune(request, pk)
    require(request, VIEW, commune)
    content = "\ufeff" + register_template(commune.ags or "", commune.name)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    name = f"vorlage-melderegister-{slugify(commune.name) or 'kommune'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def data_check(request, pk: int):
    """Read and check an uploaded file like an upload, show what it would load; store
    nothing."""
    commune = visible_commune(request, pk)
    require(request, MANAGE, commune)
    form = DataUploadForm(request.POST, request.FILES, commune=commune)
    check = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check = data.data_source_check(commune=commune, name=upload.name,
                                           content=upload.read(),
                                           replacing=form.cleaned_data["replacing"])
        except ProfileError as error:
            form.add_error("file", str(error))
    return _guide_page(request, commune, form=form, check=check,
                       status=200 if check is not None else 400)
