"""Reads about people: who belongs to a programme, who is locked out, a person's data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone

from zwk.accounts.models import User
from zwk.communes.models import Programme


def programme_people(programme: Programme) -> models.QuerySet[User]:
    """Everyone with a role in the programme: its office or a membership in one of its
    communes. Superusers are not managed here."""
    return (User.objects.filter(Q(programme_roles__programme=programme)
                                | Q(memberships__commune__programme=programme))
            .filter(is_superuser=False).distinct()
            .order_by("last_name", "first_name", "username"))


def locked_usernames(usernames: Iterable[str]) -> set[str]:
    """The accounts a login lockout currently applies to (django-axes' attempt rows)."""
    from axes.models import AccessAttempt

    since = timezone.now() - dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    # django-axes adds up the failures of all rows of an account (one row per client)
    return set(AccessAttempt.objects.filter(username__in=list(usernames), attempt_time__gte=since)
               .values("username").annotate(failures=Sum("failures_since_start"))
               .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
               .values_list("username", flat=True))


def _rows_created_by(user: User) -> list[dict[str, Any]]:
    """Every row of any app that names the person in a foreign key (created_by, approved_by,
    …): found through the models, so a new app's rows are included without changes here."""
    rows = []
    for model in apps.get_models():
        if model._meta.app_label in {"admin", "axes", "auth", "sessions", "history",
                                     "communes"}:
            continue
        for field in model._meta.get_fields():
            if (isinstance(field, models.ForeignKey) and field.related_model is User):
                for obj in model._default_manager.filter(**{field.name: user}):
                    rows.append({"art": str(model._meta.verbose_name), "feld": field.name,
                                 "id": obj.pk, "bezeichnung": str(obj)[:300]})
    return rows


def user_data(user: User) -> dict[str, Any]:
    """What the platform keeps about a person (export for Art. 15/20 GDPR)."""
    from zwk.communes.models import Membership, ProgrammeRole
    from zwk.history.models import HistoryEvent

    return {
        "konto": {"benutzername": user.username, "vorname": user.first_name,
                  "nachname": user.last_name, "e_mail": user.email,
                  "angelegt": user.date_joined.isoformat(),
                  "letzte_anmeldung": user.last_login.isoformat() if user.last_login else None,
                  "aktiv": user.is_active},
        "mitgliedschaften": [
            {"kommune": m.commune.name, "rolle": m.get_role_display()}
            for m in Membership.objects.filter(user=user).select_related("commune")],
        "geschaeftsstelle": [
            {"programm": r.programme.name, "rolle": r.get_role_display()}
            for r in ProgrammeRole.objects.filter(user=user).select_related("programme")],
        "verlauf": [
            {"zeit": e.created_at.isoformat(), "aktion": e.verb, "objekt": e.subject_label,
             "kommune": e.commune.name if e.commune else None, "daten": e.data}
            for e in HistoryEvent.objects.filter(Q(actor=user) | Q(
                subject_type="accounts.user", subject_id=str(user.pk))
            ).select_related("commune").order_by("created_at", "id")],
        "eintraege": _rows_created_by(user),
    }
