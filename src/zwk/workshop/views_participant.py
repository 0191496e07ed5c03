"""Participant views: no account; a device is known by a signed cookie per session.

Every write also needs an open session (checked in the services). Pages work without
JavaScript (plain forms, redirect after POST); live.js enhances them with polling and fetch.
"""

from __future__ import annotations

import copy
import json
from collections import OrderedDict
from threading import Lock
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from zwk.core import counters
from zwk.workshop import live, personal_data, selectors, services
from zwk.workshop.forms import CardForm, JoinForm, ProfileForm
from zwk.workshop.models import Participant, Session

COOKIE_SALT = "zwk.workshop.participant"
COOKIE_AGE = 14 * 24 * 3600


def cookie_name(session_id: int) -> str:
    return f"zwk_ws_{session_id}"


def _participant(request, session: Session) -> Participant | None:
    key = request.get_signed_cookie(cookie_name(session.pk), default=None, salt=COOKIE_SALT,
                                    max_age=COOKIE_AGE)
    if not key:
        return None
    return Participant.objects.filter(session=session, key=key, is_analogue=False).first()


def _session_id_for(code: str) -> int | None:
    """Code → session id, cached so that a poll with no news needs no database query."""
    key = f"zwk:ws:code:{code}"
    found = cache.get(key)
    if found is None:
        found = Session.objects.filter(code=code).values_list("pk", flat=True).first() or 0
        cache.set(key, found, 60 if found else 5)
    return found or None


def _wrong_code(request, code: str, status=404):
    form = JoinForm(initial={"code": code})
    return render(request, "workshop/join.html", {"form": form, "wrong_code": code},
                  status=status)


def join(request):
    """Enter a code by hand (or arrive from the short address shown on the projector)."""
    form = JoinForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = services.normalise_code(form.cleaned_data["code"])
        if _session_id_for(code):
            return redirect("workshop_join_code", code=code)
        return _wrong_code(request, form.cleaned_data["code"])
    return render(request, "workshop/join.html", {"form": form})


def _is_fetch(request) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def participate(request, code):
    code = services.normalise_code(code)
    session = selectors.session_by_code(code)
    if session is None:
        return _wrong_code(request, code)
    participant = _participant(request, session)
    if participant is None:
        form = ProfileForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                participant = services.participant_join(
                    session=session, display_name=form.cleaned_data["display_name"],
                    age_band=form.cleaned_data["age_band"],
                    client_address=counters.client_address(request))
            except services.WorkshopError as error:
                form.add_error(None, str(error))
            else:
                response = redirect("workshop_join_code", code=code)
                response.set_signed_cookie(
                    cookie_name(session.pk), participant.key, salt=COOKIE_SALT,
                    max_age=COOKIE_AGE, httponly=True, samesite="Lax",
                    secure=request.is_secure(), path="/w/")
                return response
        return render(request, "workshop/participant_join.html",
                      {"session": session, "form": form}, status=400 if form.errors else 200)
    return render(request, "workshop/participant.html",
                  _participant_context(session, participant, card_form=CardForm()))


# ("html", …) keys hold rendered fragments, the others (cards, results)
_SHARED: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_SHARED_LOCK = Lock()


def _shared(session, version: int):
    """What every phone sees alike (approved cards, revealed results), read once per version
    and process: when a change reaches 300 phones, 300 polls need not read it 300 times."""
    key = (session.pk, session.code, version, session.round, session.results_visible)
    with _SHARED_LOCK:
        if key in _SHARED:
            return _SHARED[key]
    cards = list(selectors.approved_cards(session=session))
    results = selectors.results(session=session) if session.results_visible else None
    with _SHARED_LOCK:
        _SHARED[key] = (cards, results)
        while len(_SHARED) > 32:
            _SHARED.popitem(last=False)
    return cards, results


def _participant_context(session, participant, **extra):
    version = live.current(session.pk)  # read before the data: never newer than what is shown
    state = selectors.participant_state(participant=participant, session=session)
    shared_cards, results = _shared(session, version)
    cards = [copy.copy(card) for card in shared_cards]
    for card in cards:
        card.my_points = state.votes.get(card.pk, 0)
    return {
        "session": session, "participant": participant, "version": version,
        "state": state, "cards": cards, "results": results,
        "my_pending": participant.cards.filter(status="pending").count(),
        "now": timezone.now(), "retention_days": settings.ZWK_PARTICIPANT_RETENTION_DAYS,
        **extra,
    }


def _live_fragment(request, session, participant, status=200):
    context = _participant_context(session, participant)
    response = render(request, "workshop/_participant_live.html", context, status=status)
    response["X-Stand-Version"] = str(context["version"])
    return response


def _shared_fragment(request, session, version: int) -> str:
    """The live part as every phone gets it by polling, rendered once per version and process:
    no CSRF tokens (live.js sends the page's token as a header) and zero points; the person's
    own points travel as JSON in X-My-State and live.js fills them in."""
    key = ("html", session.pk, session.code, version, session.round, session.results_visible)
    with _SHARED_LOCK:
        if key in _SHARED:
            return _SHARED[key]
    cards, results = _shared(session, version)
    cards = [copy.copy(card) for card in cards]
    for card in cards:
        card.my_points = 0
    html = render(request, "workshop/_participant_live.html", {
        "session": session, "version": version, "cards": cards, "results": results,
        "state": selectors.ParticipantState(votes={}, spent=0,
                                            budget=session.points_per_person),
        "my_pending": 0, "shared": True, "now": timezone.now()}).content.decode()
    with _SHARED_LOCK:
        _SHARED[key] = html
        while len(_SHARED) > 32:
            _SHARED.popitem(last=False)
    return html


def my_state(session, participant) -> dict:
    state = selectors.participant_state(participant=participant, session=session)
    pending = participant.cards.filter(status="pending").count()
    return {"votes": {str(k): v for k, v in state.votes.items()}, "left": state.left,
            "max": session.max_per_card, "error": "",
            "pending": ngettext("%(n)s Karte von Ihnen wartet auf Freigabe.",
                                "%(n)s Karten von Ihnen warten auf Freigabe.",
                                pending) % {"n": pending} if pending else "",
            "now": timezone.now().isoformat()}


def stand(request, code):
    """Conditional poll: 204 while nothing changed (no database query), else the live part."""
    code = services.normalise_code(code)
    session_id = _session_id_for(code)
    if session_id is None:
        return HttpResponse(status=404)
    if request.GET.get("v") == str(live.current(session_id)):
        return HttpResponse(status=204)
    version = live.current(session_id)  # before the data, as everywhere
    session = selectors.session_by_code(code)
    participant = _participant(request, session)
    if participant is None:
        return HttpResponse(status=403)
    response = HttpResponse(_shared_fragment(request, session, version))
    response["X-Stand-Version"] = str(version)
    response["X-My-State"] = json.dumps(my_state(session, participant))  # ASCII-escaped
    response["Cache-Control"] = "no-store"
    return response


def _for_participant(request, code):
    session = selectors.session_by_code(services.normalise_code(code))
    if session is None:
        return None, None
    return session, _participant(request, session)


@require_POST
def card_submit(request, code):
    session, participant = _for_participant(request, code)
    if session is None:
        return _wrong_code(request, code)
    if participant is None:
        return redirect("workshop_join_code", code=session.code)
    form = CardForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.card_submit(participant=participant, text=form.cleaned_data["text"])
        except services.WorkshopError as exc:
            error = str(exc)
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)
    ok = _("Danke! Ihre Karte ist angekommen und erscheint nach der Freigabe.")
    if _is_fetch(request):
        return HttpResponse(error or ok, status=400 if error else 200,
                            content_type="text/plain; charset=utf-8")
    if error:
        messages.error(request, error)
    else:
        messages.success(request, ok)
    return redirect("workshop_join_code", code=session.code)


@require_POST
def vote(request, code):
    session, participant = _for_participant(request, code)
    if session is None:
        return _wrong_code(request, code)
    if participant is None:
        return redirect("workshop_join_code", code=session.code)
    error = None
    try:
        card_id, points = int(request.POST.get("card", "")), int(request.POST.get("points", ""))
    except ValueError:
        error = _("Diese Stimme konnten wir nicht lesen. Bitte versuchen Sie es noch einmal.")
    else:
        try:
            services.vote_set(participant=participant, card_id=card_id, points=points)
        except services.WorkshopError as exc:
            error = str(exc)
    if _is_fetch(request):
        # A small answer: live.js updates the counter and the buttons in place.
        session.refresh_from_db()
        state = selectors.participant_state(participant=participant, session=session)
        return JsonResponse({"votes": {str(k): v for k, v in state.votes.items()},
                             "left": state.left, "max": session.max_per_card,
                             "error": error or ""}, status=400 if error else 200)
    if error:
        messages.error(request, error)
    return redirect(reverse("workshop_join_code", args=[session.code]) + "#karten")


@require_POST
def profile(request, code):
    session, participant = _for_participant(request, code)
    if session is None:
        return _wrong_code(request, code)
    if participant is None:
        return redirect("workshop_join_code", code=session.code)
    form = ProfileForm(request.POST)
    if form.is_valid():
        services.participant_update(participant=participant,
                                    display_name=form.cleaned_data["display_name"],
                                    age_band=form.cleaned_data["age_band"])
        messages.success(request, _("Ihre Angaben sind gespeichert."))
    return redirect("workshop_join_code", code=session.code)


def my_data(request, code):
    """The device's own data as a JSON download; only with the device's cookie."""
    session, participant = _for_participant(request, code)
    if participant is None:
        raise Http404
    response = JsonResponse(personal_data.participant_data(participant=participant),
                            json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="werkstatt-{session.code}.json"'
    return response


@require_POST
def my_data_delete(request, code):
    """Delete the device's name, age band and link to it; cards and votes stay anonymous."""
    session, participant = _for_participant(request, code)
    if participant is None:
        raise Http404
    if not request.POST.get("confirm"):
        messages.error(request, _("Bitte bestätigen Sie, dass Ihre Angaben gelöscht werden "
                                  "sollen."))
        return redirect("workshop_join_code", code=session.code)
    personal_data.participant_anonymise(participant=participant)
    response = render(request, "workshop/participant_deleted.html", {"session": session})
    response.delete_cookie(cookie_name(session.pk), path="/w/")
    return response
