"""Moderator console, projector and hand-over (commune roles via rules)."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zwk.core.outcome import run_and_report
from zwk.core.permissions import require, visible_commune
from zwk.process.models import Meeting
from zwk.workshop import exports, live, selectors, services
from zwk.workshop.forms import NewSessionForm, SessionForm
from zwk.workshop.models import Card, Cluster


def _session(request, pk, sid, perm="workshop.moderate_session"):
    commune = visible_commune(request, pk)
    session = selectors.session_for_page(commune=commune, pk=sid)
    if session is None:
        raise Http404
    require(request, perm, session)
    return commune, session


def _workshop_stage(commune):
    return commune.stages.get(key="workshop")


def _console(session):
    return redirect("workshop_console", pk=session.commune_id, sid=session.pk)


def _run(request, back_to, service, success: str, **kwargs):
    """Call a service, show its German error or the success message, back to the console."""
    run_and_report(request, lambda: service(by=request.user, **kwargs), success,
                   services.WorkshopError)
    return _console(back_to)


@login_required
def session_list(request, pk):
    commune = visible_commune(request, pk)
    require(request, "workshop.view_session", commune)
    return render(request, "workshop/session_list.html", {
        "commune": commune, "stage": _workshop_stage(commune), "subpage": _("Live-Werkstätten"),
        "sessions": selectors.sessions_of(commune=commune),
        "can_add": request.user.has_perm("workshop.add_session", commune)})


@login_required
def session_create(request, pk):
    commune = visible_commune(request, pk)
    require(request, "workshop.add_session", commune)
    stage = _workshop_stage(commune)
    meetings = list(Meeting.objects.filter(stage=stage).order_by("-date", "-id"))
    form = NewSessionForm(request.POST or None, commune=commune, meetings=meetings,
                          initial={"date": timezone.localdate(), "format": "onsite",
                                   "action_fields": list(commune.action_fields.filter(
                                       is_active=True))})
    if request.method == "POST" and form.is_valid():
        from zwk.process import services as process

        try:
            meeting = form.chosen_meeting()
            if meeting is None:
                d = form.cleaned_data
                meeting = process.meeting_record(stage=stage, by=request.user,
                                                 data=process.MeetingData(
                    title=d["title"], date=d["date"], format=d["format"] or "onsite",
                    location=d["location"], participant_groups=d["target_groups"]))
            session = services.session_create(commune=commune, data=form.session_data(),
                                              by=request.user, meeting=meeting)
        except (services.WorkshopError, process.ProcessError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Die Live-Werkstatt ist angelegt. Zugangscode: %s")
                             % session.code)
            return _console(session)
    return render(request, "workshop/session_form.html", {
        "commune": commune, "stage": stage, "form": form, "subpage": _("Neue Live-Werkstatt")},
        status=400 if form.errors else 200)


@login_required
def session_settings(request, pk, sid):
    commune, session = _session(request, pk, sid)
    form = SessionForm(request.POST or None, commune=commune,
                       phases=[(p.title, p.prompt) for p in session.phases.all()], initial={
        "title": session.title, "kind": session.kind,
        "action_fields": list(session.action_fields.all()),
        "points_per_person": session.points_per_person, "max_per_card": session.max_per_card,
        "rounds_planned": session.rounds_planned})
    if request.method == "POST" and form.is_valid():
        try:
            services.session_configure(session=session, data=form.session_data(),
                                       by=request.user)
        except services.WorkshopError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Die Einstellungen sind gespeichert."))
            return _console(session)
    return render(request, "workshop/session_form.html", {
        "commune": commune, "stage": _workshop_stage(commune), "form": form,
        "session": session, "subpage": session.title}, status=400 if form.errors else 200)


def _console_context(request, commune, session):
    cards = selectors.moderation_cards(session=session)
    approved = cards.get(Card.Status.APPROVED, [])
    return {
        "commune": commune, "session": session, "stage": _workshop_stage(commune),
        "subpage": session.title, "phases": selectors.phases_of(session=session),
        "pending": cards.get(Card.Status.PENDING, []), "approved": approved,
        "parked": cards.get(Card.Status.PARKED, []), "hidden": cards.get(Card.Status.HIDDEN, []),
        "merged": cards.get(Card.Status.MERGED, []),
        "clusters": selectors.clusters_with_cards(session=session),
        "unclustered": [c for c in approved if c.cluster_id is None],
        "results": selectors.results(session=session),
        "age_mix": selectors.age_mix_for(session=session),
        "candidates": selectors.candidates_of(session=session),
        "action_fields": session.action_fields.all() or commune.action_fields.filter(
            is_active=True),
        "join_url": request.build_absolute_uri(reverse("workshop_join_code", args=[session.code])),
        "staff_version": _staff_version(session),
        "participant_count": session.participants.filter(is_analogue=False).count(),
        "join_bursts": selectors.join_bursts(session=session,
                                             threshold=settings.ZWK_WORKSHOP_JOIN_BURST),
        "can_handover": request.user.has_perm("workshop.handover_session", session),
        "now": timezone.now(),
    }


@login_required
def console(request, pk, sid):
    commune, session = _session(request, pk, sid)
    return render(request, "workshop/console.html", _console_context(request, commune, session))



def _staff_version(session) -> str:
    """What the console and the projector compare: the staff counter and, as votes do not
    count up anything, a marker of the current round's votes."""
    return f"{live.current(session.pk, staff=True)}-{selectors.vote_marker(session=session)}"


@login_required
def console_stand(request, pk, sid):
    """Conditional poll for the console: 204 while nothing changed, else the live part."""
    commune, session = _session(request, pk, sid)
    version = _staff_version(session)
    if request.GET.get("v") == version:
        return HttpResponse(status=204)
    session = selectors.session_for_page(commune=commune, pk=sid)  # fresh after the version
    context = _console_context(request, commune, session)
    context["staff_version"] = version
    response = render(request, "workshop/_console_live.html", context)
    response["X-Stand-Version"] = str(version)
    return response


@login_required
@require_POST
def control(request, pk, sid):
    commune, session = _session(request, pk, sid)
    action = request.POST.get("action", "")
    if action in services.CONTROL_VERBS:
        return _run(request, session, services.session_control, "", session=session,
                    action=action)
    if action == "reopen":
        return _run(request, session, services.session_reopen,
                    _("Die Werkstatt ist wieder geöffnet."), session=session)
    if action == "phase":
        return _run(request, session, services.phase_go, "", session=session,
                    phase_id=_int(request.POST.get("phase")))
    if action == "timer":
        minutes = None if "stop" in request.POST else (_int(request.POST.get("minutes")) or 0)
        return _run(request, session, services.timer_set, "", session=session, minutes=minutes)
    if action in ("voting_open", "voting_close"):
        return _run(request, session, services.voting_set, "", session=session,
                    open=action == "voting_open")
    if action == "next_round":
        return _run(request, session, services.next_round,
                    _("Eine neue Abstimmungsrunde ist vorbereitet."), session=session)
    if action in ("reveal", "conceal"):
        return _run(request, session, services.results_show, "", session=session,
                    visible=action == "reveal")
    messages.error(request, _("Unbekannte Aktion."))
    return _console(session)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@login_required
@require_POST
def card_action(request, pk, sid, card_pk):
    commune, session = _session(request, pk, sid)
    card = get_object_or_404(Card, pk=card_pk, session=session)
    action = request.POST.get("action", "")
    try:
        if action in services.MODERATION:
            services.card_moderate(card=card, action=action, by=request.user)
        elif action == "edit":
            services.card_edit(card=card, text=request.POST.get("text", ""), by=request.user)
        elif action == "merge":
            services.card_merge(card=card, into_id=_int(request.POST.get("into")),
                                by=request.user)
        elif action == "cluster":
            services.card_cluster(card=card, cluster_id=_int(request.POST.get("cluster")) or None,
                                  by=request.user)
        elif action == "dots":
            services.analogue_votes_set(card=card, points=_int(request.POST.get("points")),
                                        by=request.user)
        else:
            raise services.WorkshopError(_("Unbekannte Aktion."))
    except services.WorkshopError as error:
        if request.headers.get("X-Requested-With") == "fetch":
            return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
        messages.error(request, str(error))
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    return redirect(reverse("workshop_console", args=[commune.pk, session.pk])
                    + f"#karte-{card.pk}")


@login_required
@require_POST
def cluster_action(request, pk, sid, cluster_pk=None):
    commune, session = _session(request, pk, sid)
    field_id = _int(request.POST.get("action_field")) or None
    if cluster_pk is None:
        return _run(request, session, services.cluster_create, "", session=session,
                    title=request.POST.get("title", ""), action_field_id=field_id)
    cluster = get_object_or_404(Cluster, pk=cluster_pk, session=session)
    return _run(request, session, services.cluster_set_field, "", cluster=cluster,
                action_field_id=field_id)


@login_required
@require_POST
def analogue_card(request, pk, sid):
    commune, session = _session(request, pk, sid)
    return _run(request, session, services.analogue_card_add,
                _("Die analoge Karte ist erfasst."), session=session,
                phase_id=_int(request.POST.get("phase")), text=request.POST.get("text", ""),
                cluster_id=_int(request.POST.get("cluster")) or None)


@login_required
@require_POST
def handover(request, pk, sid):
    commune, session = _session(request, pk, sid, "workshop.handover_session")
    return _run(request, session, services.handover_create,
                _("Die Kandidatenliste für den Werkstattplan ist erstellt."), session=session,
                goals=min(max(_int(request.POST.get("goals")) or 5, 1), 20),
                measures=min(max(_int(request.POST.get("measures")) or 10, 1), 50))


@login_required
def projector(request, pk, sid):
    commune, session = _session(request, pk, sid)
    version = _staff_version(session)
    session = selectors.session_for_page(commune=commune, pk=sid)
    return render(request, "workshop/projector.html",
                  _projector_context(request, session, version))


def _projector_context(request, session, version=None):
    return {
        "session": session, "version": version or _staff_version(session),
        "cards": selectors.approved_cards(session=session),
        "clusters": selectors.clusters_with_cards(session=session),
        "results": selectors.results(session=session) if session.results_visible else None,
        "join_url": request.build_absolute_uri(reverse("workshop_join_code", args=[session.code])),
        "join_base": request.build_absolute_uri(reverse("workshop_join")),
        "participant_count": session.participants.filter(is_analogue=False).count(),
        "now": timezone.now(),
    }


@login_required
def projector_stand(request, pk, sid):
    commune, session = _session(request, pk, sid)
    version = _staff_version(session)  # live results follow every vote
    if request.GET.get("v") == version:
        return HttpResponse(status=204)
    session = selectors.session_for_page(commune=commune, pk=sid)
    response = render(request, "workshop/_projector_live.html",
                      _projector_context(request, session, version))
    response["X-Stand-Version"] = str(version)
    return response


@login_required
def qr_code(request, pk, sid):
    commune, session = _session(request, pk, sid)
    url = request.build_absolute_uri(reverse("workshop_join_code", args=[session.code]))
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=2, dark="#000000",
                                    light="#ffffff", title=_("QR-Code zum Mitmachen"))
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@login_required
def record_pdf(request, pk, sid):
    commune, session = _session(request, pk, sid, "workshop.export_session")
    response = HttpResponse(exports.record_pdf(session), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="werkstatt-{session.code}.pdf"'
    return response


@login_required
def record_xlsx(request, pk, sid):
    commune, session = _session(request, pk, sid, "workshop.export_session")
    response = HttpResponse(
        exports.record_xlsx(session),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="werkstatt-{session.code}.xlsx"'
    return response
