"""Inventory, interviews, SWOT, chapter texts, comments and approval of the Kommunalprofil.

Thin views: look the commune up (404 for others' communes), check the permission (403), find
objects through the commune of the URL (404 for tampered IDs), call a service, render.
"""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from zwk.core.concurrency import VersionConflict, conflict_context
from zwk.core.forms import add_errors
from zwk.core.outcome import run_and_report
from zwk.core.permissions import require, visible_commune
from zwk.process.uploads import ALLOWED_TYPES
from zwk.profile import selectors, services
from zwk.profile.forms_qualitative import (
    CommentForm,
    GuideForm,
    InterviewForm,
    InventoryFilterForm,
    InventoryForm,
    StatementForm,
    SwotForm,
    TextsForm,
)
from zwk.profile.models import (
    Interview,
    InterviewStatement,
    InventoryEntry,
    Profile,
    SwotItem,
)
from zwk.profile.tabs import profile_context

VIEW, CHANGE = "profile.view_profile", "profile.change_profile"
COMMENT, APPROVE = "profile.comment_profile", "profile.approve_profile"
T = "profile/qualitative/"


def _commune(request, pk, perm=VIEW):
    commune = visible_commune(request, pk)
    require(request, perm, commune)
    return commune


def _url_or_none(name: str, pk: int) -> str | None:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


def _context(request, commune, tab: str, **extra) -> dict:
    context = profile_context(commune, tab)
    # Tabs of the analysis half appear as soon as their views are registered.
    context["profile_tabs"] = [t for t in context["profile_tabs"]
                               if _url_or_none(t[2], commune.pk) is not None]
    profile = Profile.objects.filter(commune=commune).select_related("approved_by").first()
    context.update({
        "profile": profile,
        "is_approved": profile is not None and profile.status == Profile.Status.APPROVED,
        "can_change": request.user.has_perm(CHANGE, commune),
        "approved_message": services.APPROVED_MESSAGE,
        **extra,
    })
    return context


def _render(request, template, context, form_errors=False):
    conflict = any(getattr(value, "conflict", None) for value in context.values())
    return render(request, T + template, context,
                  status=409 if conflict else 400 if form_errors else 200)


def _frozen(request, commune, back: str):
    """While approved, content forms send people back with the reason (see services)."""
    if Profile.objects.filter(commune=commune, status=Profile.Status.APPROVED).exists():
        messages.error(request, services.APPROVED_MESSAGE)
        return redirect(back, pk=commune.pk)
    return None


def _apply(form, call, saved_values=None):
    """Run a service; its German messages land on the form. True when it wrote.

    A stale edit (someone saved in between) puts both versions on the form (`form.conflict`,
    shown by _form_page.html); `saved_values(current)` gives the saved values by field name."""
    try:
        return call() or True
    except VersionConflict as error:
        form.conflict = conflict_context(
            form, error, saved_values(error.current) if saved_values else None)
    except ValidationError as error:
        add_errors(form, error)
    except services.ProfileError as error:
        form.add_error(None, str(error))
    return False


# --- inventory -------------------------------------------------------------------------------

@login_required
def inventory(request, pk):
    commune = _commune(request, pk)
    filters = InventoryFilterForm(request.GET or None, commune=commune)
    action_field = kind = None
    if filters.is_valid():
        action_field = filters.cleaned_data["action_field"]
        kind = filters.cleaned_data["kind"] or None
    entries = selectors.inventory_of(commune=commune,
                                     action_field=action_field.pk if action_field else None,
                                     kind=kind)
    return _render(request, "inventory.html", _context(
        request, commune, "inventory", entries=entries, filters=filters,
        filtered=bool(action_field or kind)))


def _entry(commune, entry_pk) -> InventoryEntry:
    return get_object_or_404(InventoryEntry.objects.prefetch_related("action_fields"),
                             pk=entry_pk, commune=commune)


def _version(form) -> int:
    return form.cleaned_data.get("version") or 0


def _entry_values(entry: InventoryEntry) -> dict:
    return {"title": entry.title, "kind": entry.kind, "status": entry.status,
            "action_fields": list(entry.action_fields.all()), "responsible": entry.responsible,
            "description": entry.description, "url": entry.url, "version": entry.version}


@login_required
def inventory_form(request, pk, entry_pk=None):
    commune = _commune(request, pk, CHANGE)
    if (frozen := _frozen(request, commune, "profile_inventory")) is not None:
        return frozen
    entry = _entry(commune, entry_pk) if entry_pk else None
    initial = _entry_values(entry) if entry is not None else None
    form = InventoryForm(request.POST or None, request.FILES or None, commune=commune,
                         entry=entry, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("attachment")
        if entry is None:
            done = _apply(form, lambda: services.inventory_create(
                commune=commune, data=form.data_object(), by=request.user, attachment=upload))
        else:
            done = _apply(form, lambda: services.inventory_update(
                entry=entry, data=form.data_object(), by=request.user, attachment=upload,
                remove_attachment=form.cleaned_data.get("remove_attachment", False),
                expected_version=_version(form)), _entry_values)
        if done:
            messages.success(request, _("Der Eintrag ist gespeichert."))
            return redirect("profile_inventory", pk=commune.pk)
    return _render(request, "inventory_form.html",
                   _context(request, commune, "inventory", form=form, entry=entry),
                   form_errors=bool(form.errors))


@login_required
@require_POST
def inventory_delete(request, pk, entry_pk):
    commune = _commune(request, pk, CHANGE)
    entry = _entry(commune, entry_pk)
    run_and_report(request, lambda: services.inventory_delete(entry=entry, by=request.user),
                   _("Der Eintrag ist gelöscht."), services.ProfileError)
    return redirect("profile_inventory", pk=commune.pk)


@login_required
def inventory_attachment(request, pk, entry_pk):
    commune = _commune(request, pk)
    entry = _entry(commune, entry_pk)
    if not entry.attachment:
        raise Http404
    file_type = ALLOWED_TYPES.get(PurePath(entry.attachment_name).suffix.lower())
    return FileResponse(entry.attachment.open("rb"), as_attachment=True,
                        filename=entry.attachment_name or "anhang",
                        content_type=file_type.content_type if file_type
                        else "application/octet-stream")


# --- interviews ------------------------------------------------------------------------------

@login_required
def interviews(request, pk):
    commune = _commune(request, pk)
    guide = services.interview_guide_of(commune=commune)
    return _render(request, "interviews.html", _context(
        request, commune, "interviews", guide=guide,
        questions=[q for q in guide.questions.splitlines() if q.strip()],
        interviews=selectors.interviews_of(commune=commune)))


@login_required
def guide_edit(request, pk):
    commune = _commune(request, pk, CHANGE)
    if (frozen := _frozen(request, commune, "profile_interviews")) is not None:
        return frozen
    guide = services.interview_guide_of(commune=commune)
    form = GuideForm(request.POST or None,
                     initial={"questions": guide.questions, "version": guide.version})
    if request.method == "POST" and form.is_valid() and _apply(
            form, lambda: services.interview_guide_update(
                commune=commune, questions=form.cleaned_data["questions"], by=request.user,
                expected_version=_version(form))):
        messages.success(request, _("Der Leitfaden ist gespeichert."))
        return redirect("profile_interviews", pk=commune.pk)
    return _render(request, "guide_form.html", _context(request, commune, "interviews",
                                                        form=form),
                   form_errors=bool(form.errors))


def _interview(commune, interview_pk) -> Interview:
    return get_object_or_404(selectors.interviews_of(commune=commune), pk=interview_pk)


@login_required
def interview_form(request, pk, interview_pk=None):
    commune = _commune(request, pk, CHANGE)
    if (frozen := _frozen(request, commune, "profile_interviews")) is not None:
        return frozen
    interview = _interview(commune, interview_pk) if interview_pk else None
    initial = ({"role": interview.role, "held_on": interview.held_on,
                "summary": interview.summary, "version": interview.version} if interview
               else {"held_on": timezone.localdate()})
    form = InterviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if interview is None:
            saved = _apply(form, lambda: services.interview_create(
                commune=commune, data=form.data_object(), by=request.user))
        else:
            saved = _apply(form, lambda: services.interview_update(
                interview=interview, data=form.data_object(), by=request.user,
                expected_version=_version(form)))
        if saved:
            messages.success(request, _("Das Interview ist gespeichert."))
            if interview is None:  # next: its key statements
                return redirect("profile_interview_edit", pk=commune.pk,
                                interview_pk=saved.pk)
            return redirect("profile_interviews", pk=commune.pk)
    return _render(request, "interview_form.html", _context(
        request, commune, "interviews", form=form, interview=interview,
        statement_form=StatementForm(commune=commune) if interview else None),
        form_errors=bool(form.errors))


@login_required
@require_POST
def interview_delete(request, pk, interview_pk):
    commune = _commune(request, pk, CHANGE)
    interview = _interview(commune, interview_pk)
    run_and_report(request,
                   lambda: services.interview_delete(interview=interview, by=request.user),
                   _("Das Interview ist gelöscht."), services.ProfileError)
    return redirect("profile_interviews", pk=commune.pk)


def _statement(commune, interview_pk, statement_pk) -> InterviewStatement:
    return get_object_or_404(selectors.statements_of(commune=commune), pk=statement_pk,
                             interview_id=interview_pk)


@login_required
def statement_form(request, pk, interview_pk, statement_pk=None):
    commune = _commune(request, pk, CHANGE)
    if (frozen := _frozen(request, commune, "profile_interviews")) is not None:
        return frozen
    interview = _interview(commune, interview_pk)
    statement = _statement(commune, interview_pk, statement_pk) if statement_pk else None
    initial = ({"text": statement.text, "action_field": statement.action_field}
               if statement else None)
    form = StatementForm(request.POST or None, commune=commune, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {"text": form.cleaned_data["text"],
                  "action_field": form.cleaned_data["action_field"], "by": request.user}
        if statement is None:
            saved = _apply(form, lambda: services.statement_add(interview=interview, **values))
        else:
            saved = _apply(form, lambda: services.statement_update(statement=statement,
                                                                   **values))
        if saved:
            messages.success(request, _("Die Kernaussage ist gespeichert."))
            return redirect("profile_interview_edit", pk=commune.pk, interview_pk=interview.pk)
    return _render(request, "statement_form.html", _context(
        request, commune, "interviews", form=form, interview=interview, statement=statement),
        form_errors=bool(form.errors))


@login_required
@require_POST
def statement_delete(request, pk, interview_pk, statement_pk):
    commune = _commune(request, pk, CHANGE)
    statement = _statement(commune, interview_pk, statement_pk)
    run_and_report(request,
                   lambda: services.statement_delete(statement=statement, by=request.user),
                   _("Die Kernaussage ist gelöscht."), services.ProfileError)
    return redirect("profile_interview_edit", pk=commune.pk, interview_pk=interview_pk)


# --- SWOT ------------------------------------------------------------------------------------

@login_required
def swot(request, pk):
    commune = _commune(request, pk)
    quadrants = selectors.swot_quadrants(commune=commune)
    proposals = [item for q in quadrants.values() for item in q["proposed"]]
    dismissed = [item for q in quadrants.values() for item in q["dismissed"]]
    return _render(request, "swot.html", _context(
        request, commune, "swot", quadrants=quadrants.values(), proposals=proposals,
        dismissed=dismissed, has_data=commune.data_sources.exists()))


@login_required
@require_POST
def swot_refresh(request, pk):
    commune = _commune(request, pk, CHANGE)
    try:
        created = services.swot_proposals_refresh(commune=commune, by=request.user)
    except services.ProfileError as error:
        messages.error(request, str(error))
    else:
        if created:
            messages.success(request, ngettext(
                "%(count)d neuer Vorschlag aus den Daten.", "%(count)d neue Vorschläge aus den "
                "Daten.", len(created)) % {"count": len(created)})
        else:
            messages.info(request, _("Keine neuen Vorschläge: Die Daten ergeben nichts, was "
                                     "nicht schon in der SWOT steht oder verworfen wurde."))
    return redirect("profile_swot", pk=commune.pk)


def _item(commune, item_pk) -> SwotItem:
    return get_object_or_404(selectors.swot_items_of(commune=commune), pk=item_pk)


def _swot_values(item: SwotItem) -> dict:
    return {"quadrant": item.quadrant, "text": item.text,
            "action_fields": list(item.action_fields.all()), "indicator_key": item.indicator_key,
            "interview_statement": item.interview_statement,
            "inventory_entry": item.inventory_entry, "version": item.version}


@login_required
def swot_form(request, pk, item_pk=None):
    commune = _commune(request, pk, CHANGE)
    if (frozen := _frozen(request, commune, "profile_swot")) is not None:
        return frozen
    item = _item(commune, item_pk) if item_pk else None
    initial = {"quadrant": request.GET.get("feld", "strength")}
    if item is not None:
        initial = _swot_values(item)
    form = SwotForm(request.POST or None, commune=commune, initial=initial,
                    current_indicator=item.indicator_key if item else "")
    if request.method == "POST" and form.is_valid():
        if item is None:
            saved = _apply(form, lambda: services.swot_item_create(
                commune=commune, data=form.data_object(), by=request.user))
        else:
            saved = _apply(form, lambda: services.swot_item_update(
                item=item, data=form.data_object(), by=request.user,
                accept=bool(request.POST.get("accept")), expected_version=_version(form)),
                _swot_values)
        if saved:
            messages.success(request, _("Der SWOT-Punkt ist gespeichert."))
            return redirect("profile_swot", pk=commune.pk)
    return _render(request, "swot_form.html", _context(request, commune, "swot", form=form,
                                                       item=item),
                   form_errors=bool(form.errors))


@login_required
@require_POST
def swot_status(request, pk, item_pk):
    commune = _commune(request, pk, CHANGE)
    item = _item(commune, item_pk)
    decision = request.POST.get("decision")
    service = {"accept": services.swot_item_accept,
               "dismiss": services.swot_item_dismiss}.get(decision)
    if service is None:
        messages.error(request, _("Bitte wählen Sie „Übernehmen“ oder „Verwerfen“."))
    else:
        try:
            service(item=item, by=request.user)
        except services.ProfileError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Übernommen: „%(text)s“") % {"text": item.text}
                             if decision == "accept"
                             else _("Verworfen: „%(text)s“") % {"text": item.text})
    return redirect(reverse("profile_swot", args=[commune.pk]) + f"#feld-{item.quadrant}")


@login_required
@require_POST
def swot_delete(request, pk, item_pk):
    commune = _commune(request, pk, CHANGE)
    item = _item(commune, item_pk)
    run_and_report(request, lambda: services.swot_item_delete(item=item, by=request.user),
                   _("Der SWOT-Punkt ist gelöscht."), services.ProfileError)
    return redirect("profile_swot", pk=commune.pk)


# --- chapter texts, outlook, comments, approval ----------------------------------------------

@login_required
def document(request, pk, texts_form=None, comment_form=None):
    commune = _commune(request, pk)
    profile = Profile.objects.filter(commune=commune).first()
    chapters = (profile.chapters if profile else {}) or {}
    if texts_form is None:
        # no profile row yet: the first save creates it at version 1
        texts_form = TextsForm(initial=_texts_values(profile) if profile else {"version": 1})
    context = _context(
        request, commune, "document", texts_form=texts_form,
        comment_form=comment_form or CommentForm(),
        chapters=[(key, title, chapters.get(key, "")) for key, title in services.CHAPTERS],
        candidates=selectors.candidate_action_fields(commune=commune),
        comments=_labelled(selectors.comments_of(commune=commune)),
        pdf_url=_url_or_none("profile_pdf", commune.pk),
        docx_url=_url_or_none("profile_docx", commune.pk),
        can_comment=request.user.has_perm(COMMENT, commune),
        can_approve=request.user.has_perm(APPROVE, commune))
    return _render(request, "document.html", context,
                   form_errors=bool((texts_form and texts_form.errors)
                                    or (comment_form and comment_form.errors)))


def _texts_values(profile: Profile) -> dict:
    return {**(profile.chapters or {}), "outlook": profile.outlook, "version": profile.version}


def _labelled(comments) -> list:
    labels = dict(services.COMMENT_SECTIONS)
    comments = list(comments)
    for comment in comments:
        comment.section_label = labels.get(comment.section, comment.section)
    return comments


@login_required
@require_POST
def texts_save(request, pk):
    commune = _commune(request, pk, CHANGE)
    if (frozen := _frozen(request, commune, "profile_document")) is not None:
        return frozen
    form = TextsForm(request.POST)
    if form.is_valid() and _apply(form, lambda: services.profile_texts_update(
            commune=commune, chapters=form.chapters(), outlook=form.cleaned_data["outlook"],
            by=request.user, expected_version=_version(form)), _texts_values):
        messages.success(request, _("Die Texte sind gespeichert."))
        return redirect("profile_document", pk=commune.pk)
    return document(request, pk, texts_form=form)


@login_required
@require_POST
def comment_add(request, pk):
    commune = _commune(request, pk, COMMENT)
    form = CommentForm(request.POST)
    if form.is_valid() and _apply(form, lambda: services.comment_add(
            commune=commune, section=form.cleaned_data["section"] or "",
            text=form.cleaned_data["text"], by=request.user)):
        messages.success(request, _("Ihr Kommentar ist gespeichert."))
        return redirect(reverse("profile_document", args=[commune.pk]) + "#kommentare")
    return document(request, pk, comment_form=form)


@login_required
@require_POST
def approve(request, pk):
    commune = _commune(request, pk, APPROVE)
    run_and_report(request, lambda: services.profile_approve(commune=commune, by=request.user),
                   _("Das Kommunalprofil ist freigegeben."), services.ProfileError)
    return redirect("profile_document", pk=commune.pk)


@login_required
@require_POST
def reopen(request, pk):
    commune = _commune(request, pk, APPROVE)
    run_and_report(request, lambda: services.profile_reopen(commune=commune, by=request.user),
                   _("Die Freigabe ist zurückgenommen; das Profil ist wieder ein Entwurf."),
                   services.ProfileError)
    return redirect("profile_document", pk=commune.pk)
