"""Login lockout page, throttled password-reset mails, the account page (own data export and
deletion) and the programme office's people page (unlock, export, delete)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zwk.accounts import selectors, services
from zwk.accounts.models import User
from zwk.communes.models import Programme
from zwk.core import counters
from zwk.core.permissions import require

RESET_WINDOW = 3600


def _signed_in(request: HttpRequest) -> User:
    """The person behind a request that passed login_required (never anonymous here)."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def locked_out(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """What django-axes answers while an account or client is locked (AXES_LOCKOUT_CALLABLE)."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


class ThrottledPasswordResetView(auth.PasswordResetView):
    """Sends at most a few reset mails per requested address and per client an hour. The
    answer does not say whether the address has an account."""

    def form_valid(self, form: Any) -> HttpResponse:
        address = form.cleaned_data["email"]
        client = counters.client_address(self.request)
        by_address = counters.hit(f"reset:addr:{counters.fingerprint(address)}",
                                  window_seconds=RESET_WINDOW)
        by_client = counters.hit(f"reset:client:{counters.fingerprint(client)}",
                                 window_seconds=RESET_WINDOW)
        if (by_address > settings.ZWK_RESET_MAILS_PER_ADDRESS
                or by_client > settings.ZWK_RESET_MAILS_PER_CLIENT):
            form.add_error(None, _("Für diese Adresse oder von diesem Gerät wurden gerade "
                                   "mehrere Links angefordert. Bitte prüfen Sie Ihr Postfach "
                                   "und versuchen Sie es in einer Stunde noch einmal."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


def _json_download(data: dict[str, Any], name: str) -> HttpResponse:
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2, default=str),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _export_name(user: User) -> str:
    return f"zwk-daten-{user.pk}-{timezone.localdate():%Y-%m-%d}.json"


# --- own account ------------------------------------------------------------------------------

@login_required
def account(request: HttpRequest) -> HttpResponse:
    require(request, "accounts.manage_own_account")
    return render(request, "accounts/account.html", {"person": request.user})


@login_required
def account_export(request: HttpRequest) -> HttpResponse:
    require(request, "accounts.manage_own_account")
    return _json_download(selectors.user_data(_signed_in(request)),
                          _export_name(_signed_in(request)))


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    require(request, "accounts.manage_own_account")
    error = ""
    if request.method == "POST":
        if not request.user.check_password(request.POST.get("password", "")):
            error = _("Das Passwort stimmt nicht. Ihr Konto wurde nicht gelöscht.")
        else:
            try:
                services.user_delete(user=_signed_in(request), by=_signed_in(request))
            except services.AccountError as failure:
                error = str(failure)
            else:
                logout(request)
                messages.success(request, _("Ihr Konto und Ihre persönlichen Daten sind "
                                            "gelöscht."))
                return redirect("login")
    return render(request, "accounts/account_delete.html", {"error": error, "own": True},
                  status=400 if error else 200)


# --- people of a programme (programme office) --------------------------------------------------

def _programme(request: HttpRequest, slug: str) -> Programme:
    from zwk.communes.models import Programme

    programme = get_object_or_404(Programme, slug=slug)
    if not request.user.has_perm("accounts.manage_people", programme):
        raise Http404  # other programmes' people do not leak
    return programme


def _person(programme: Programme, user_pk: int) -> User:
    return get_object_or_404(selectors.programme_people(programme), pk=user_pk)


@login_required
def people(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    persons = list(selectors.programme_people(programme))
    locked = selectors.locked_usernames(p.username for p in persons)
    return render(request, "accounts/people.html", {
        "programme": programme, "people": [(p, p.username in locked) for p in persons]})


@login_required
@require_POST
def person_unlock(request: HttpRequest, slug: str, user_pk: int) -> HttpResponse:
    programme = _programme(request, slug)
    person = _person(programme, user_pk)
    services.login_unlock(user=person, by=_signed_in(request), programme=programme)
    messages.success(request, _("Die Anmeldesperre von %(name)s ist aufgehoben.")
                     % {"name": person.display_name})
    return redirect("programme_people", slug=programme.slug)


@login_required
def person_export(request: HttpRequest, slug: str, user_pk: int) -> HttpResponse:
    programme = _programme(request, slug)
    person = _person(programme, user_pk)
    return _json_download(selectors.user_data(person), _export_name(person))


@login_required
def person_delete(request: HttpRequest, slug: str, user_pk: int) -> HttpResponse:
    programme = _programme(request, slug)
    person = _person(programme, user_pk)
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") != person.username:
            error = _("Bitte geben Sie zur Bestätigung den Benutzernamen ein.")
        elif person.pk == request.user.pk:
            error = _("Ihr eigenes Konto löschen Sie auf Ihrer Kontoseite.")
        else:
            try:
                services.user_delete(user=person, by=_signed_in(request), programme=programme)
            except services.AccountError as failure:
                error = str(failure)
            else:
                messages.success(request, _("Das Konto und die persönlichen Daten sind "
                                            "gelöscht."))
                return redirect("programme_people", slug=programme.slug)
    return render(request, "accounts/account_delete.html",
                  {"error": error, "own": False, "person": person, "programme": programme},
                  status=400 if error else 200)
