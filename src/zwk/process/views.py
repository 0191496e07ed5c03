from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zwk.core.concurrency import VersionConflict, conflict_context
from zwk.core.outcome import run_and_report
from zwk.core.permissions import require, visible_commune
from zwk.process import selectors, services
from zwk.process.forms import (
    BlockForm,
    CompleteForm,
    DecisionForm,
    DocumentForm,
    MeetingForm,
    StageDatesForm,
)
from zwk.process.models import Document, Meeting
from zwk.process.stages import STAGE_TYPES
from zwk.process.uploads import UploadRejected


def _stage(request, pk, key, perm="process.view_stage"):
    commune = visible_commune(request, pk)
    if key not in STAGE_TYPES:
        raise Http404
    stage = selectors.stage_for_page(commune=commune, key=key)
    require(request, perm, stage)
    return commune, stage


def _back(stage):
    return redirect("stage_detail", pk=stage.commune_id, key=stage.key)


@login_required
def stage_detail(request, pk, key, forms=None):
    commune, stage = _stage(request, pk, key)
    forms = forms or {}
    context = {
        "commune": commune,
        "stage": stage,
        "signal": selectors.stage_signal(stage, today=timezone.localdate()),
        "checklist": selectors.stage_checklist(stage=stage),
        "missing": [] if stage.is_done else selectors.stage_missing_items(stage=stage),
        "stages": selectors.stages_of(commune=commune),
        "dates_form": forms.get("dates") or StageDatesForm(initial={
            f: getattr(stage, f) for f in StageDatesForm.base_fields}),
        "block_form": forms.get("block") or BlockForm(),
        "complete_form": forms.get("complete") or CompleteForm(),
        "document_form": forms.get("document") or DocumentForm(),
        "decision_form": forms.get("decision") or DecisionForm(),
    }
    return render(request, "process/stage_detail.html", context,
                  status=400 if forms else 200)


@login_required
@require_POST
def checklist_toggle(request, pk, key, item):
    commune, stage = _stage(request, pk, key, "process.change_stage")
    try:
        services.checklist_tick(stage=stage, item_key=item, done=request.POST.get("done") == "1",
                                by=request.user)
    except services.ProcessError as error:
        messages.error(request, str(error))
    if request.htmx:
        stage = selectors.stage_for_page(commune=commune, key=key)
        return render(request, "process/_checklist.html", {
            "commune": commune, "stage": stage,
            "checklist": selectors.stage_checklist(stage=stage),
            "missing": [] if stage.is_done else selectors.stage_missing_items(stage=stage)})
    return _back(stage)


@login_required
@require_POST
def stage_dates(request, pk, key):
    commune, stage = _stage(request, pk, key, "process.change_stage")
    form = StageDatesForm(request.POST)
    if not form.is_valid():
        return stage_detail(request, pk, key, forms={"dates": form})
    services.stage_set_dates(stage=stage, dates=form.dates(), by=request.user)
    messages.success(request, _("Die Termine sind gespeichert."))
    return _back(stage)


@login_required
@require_POST
def stage_block(request, pk, key):
    commune, stage = _stage(request, pk, key, "process.change_stage")
    if request.POST.get("unblock"):
        return _run(request, stage, services.stage_unblock, _("Die Blockade ist aufgehoben."))
    form = BlockForm(request.POST)
    if not form.is_valid():
        return stage_detail(request, pk, key, forms={"block": form})
    return _run(request, stage, services.stage_block, _("Der Schritt ist als blockiert markiert."),
                reason=form.cleaned_data["reason"])


@login_required
@require_POST
def stage_complete(request, pk, key):
    commune, stage = _stage(request, pk, key, "process.complete_stage")
    form = CompleteForm(request.POST)
    if not form.is_valid():
        return stage_detail(request, pk, key, forms={"complete": form})
    reason = form.cleaned_data["override_reason"]
    if reason:
        require(request, "process.override_gate", stage)
    return _run(request, stage, services.stage_complete, _("Der Schritt ist abgeschlossen."),
                override_reason=reason)


@login_required
@require_POST
def stage_reopen(request, pk, key):
    commune, stage = _stage(request, pk, key, "process.reopen_stage")
    return _run(request, stage, services.stage_reopen, _("Der Schritt ist wieder geöffnet."),
                reason=request.POST.get("reason", ""))


def _run(request, stage, service, success: str, **kwargs):
    run_and_report(request, lambda: service(stage=stage, by=request.user, **kwargs), success,
                   services.ProcessError)
    return _back(stage)


@login_required
def meeting_create(request, pk, key):
    commune, stage = _stage(request, pk, key, "process.add_meeting")
    form = MeetingForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_record(stage=stage, data=form.meeting_data(),
                                              by=request.user)
        except services.ProcessError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Die Veranstaltung ist dokumentiert."))
            return redirect("meeting_detail", pk=commune.pk, meeting_pk=meeting.pk)
    return render(request, "process/meeting_form.html",
                  {"commune": commune, "stage": stage, "form": form}, status=400 if form.errors else 200)


def _meeting(request, pk, meeting_pk, perm):
    commune = visible_commune(request, pk)
    meeting = get_object_or_404(Meeting.objects.select_related("stage", "created_by"),
                                pk=meeting_pk, stage__commune=commune)
    require(request, perm, meeting)
    return commune, meeting


@login_required
def meeting_detail(request, pk, meeting_pk):
    commune, meeting = _meeting(request, pk, meeting_pk, "process.view_stage")
    return render(request, "process/meeting_detail.html",
                  {"commune": commune, "stage": meeting.stage, "meeting": meeting})


@login_required
def meeting_edit(request, pk, meeting_pk):
    commune, meeting = _meeting(request, pk, meeting_pk, "process.change_meeting")
    form = MeetingForm(request.POST or None, instance=meeting,
                       initial={"version": meeting.version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, data=form.meeting_data(), by=request.user,
                                    expected_version=form.cleaned_data["version"] or 0)
        except VersionConflict as error:
            conflict = conflict_context(form, error)
        except services.ProcessError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Die Veranstaltung ist gespeichert."))
            return redirect("meeting_detail", pk=commune.pk, meeting_pk=meeting.pk)
    return render(request, "process/meeting_form.html",
                  {"commune": commune, "stage": meeting.stage, "form": form, "meeting": meeting,
                   "conflict": conflict},
                  status=409 if conflict else 400 if form.errors else 200)


@login_required
@require_POST
def document_upload(request, pk, key):
    commune, stage = _stage(request, pk, key, "process.add_document")
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_upload(stage=stage, upload=form.cleaned_data["file"],
                                     title=form.cleaned_data["title"],
                                     kind=form.cleaned_data["kind"], by=request.user)
        except (UploadRejected, services.ProcessError) as error:
            form.add_error("file", str(error))
    if form.errors:
        return stage_detail(request, pk, key, forms={"document": form})
    messages.success(request, _("Das Dokument ist gespeichert."))
    return _back(stage)


@login_required
def document_download(request, pk, document_pk):
    commune = visible_commune(request, pk)
    document = get_object_or_404(Document.objects.select_related("stage"), pk=document_pk,
                                 stage__commune=commune)
    require(request, "process.view_document", document)
    return FileResponse(document.file.open("rb"), as_attachment=True,
                        filename=document.original_name, content_type=document.content_type)


@login_required
@require_POST
def decision_create(request, pk, key):
    commune, stage = _stage(request, pk, key, "process.add_decision")
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decision_record(stage=stage, data=form.decision_data(), by=request.user)
        except services.ProcessError as error:
            form.add_error(None, str(error))
    if form.errors:
        return stage_detail(request, pk, key, forms={"decision": form})
    messages.success(request, _("Der Beschluss ist festgehalten."))
    return _back(stage)
