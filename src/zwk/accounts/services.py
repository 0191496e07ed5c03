"""Writes about people: unlock a login, delete an account (with its traces in the history),
and the account writes of the Django admin."""

from __future__ import annotations

import json
import re
from typing import Any

from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from zwk.accounts.models import User
from zwk.communes.models import Programme
from zwk.core.counters import fingerprint
from zwk.history.models import HistoryEvent
from zwk.history.services import record


class AccountError(ValueError):
    """A write that is not allowed; str() is a German message."""


@transaction.atomic
def login_unlock(*, user: User, by: User, programme: Programme | None = None) -> int:
    """Lift a login lockout of the account (django-axes); returns the attempt rows removed."""
    from axes.utils import reset

    removed: int = reset(username=user.username)
    record(verb="user.login_unlocked", actor=by, subject=user, programme=programme,
           attempts=removed)
    return removed


def pseudonym(user: User) -> str:
    return f"Gelöschte Person {fingerprint(f'user:{user.pk}')[:8]}"


def _identifying_texts(user: User) -> list[str]:
    texts = {user.username, user.email, user.get_full_name(), str(user)}
    return sorted((t for t in texts if t and len(t) >= 3), key=len, reverse=True)


def _pseudonymised(value: Any, texts: list[str], alias: str) -> Any:
    if isinstance(value, str):
        for text in texts:
            # whole words only: the username "team" must not change the role "team_member"
            value = re.sub(rf"(?<!\w){re.escape(text)}(?!\w)", alias, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, list):
        return [_pseudonymised(item, texts, alias) for item in value]
    if isinstance(value, dict):
        return {key: _pseudonymised(item, texts, alias) for key, item in value.items()}
    return value


def history_pseudonymise(*, user: User) -> int:
    """Replace the person's username, e-mail address and name in the history (labels and
    parameters) by a pseudonym; the events themselves stay, as the audit trail needs them."""
    texts, alias = _identifying_texts(user), pseudonym(user)
    match = Q(subject_type="accounts.user", subject_id=str(user.pk))
    for text in texts:
        # JSON may store non-ASCII characters escaped; search for both spellings
        for spelling in {text, json.dumps(text)[1:-1]}:
            match |= Q(data_text__contains=spelling) | Q(subject_label__contains=spelling)
    events = HistoryEvent.objects.annotate(data_text=Cast("data", TextField())).filter(match)
    changed = []
    for event in events:
        event.subject_label = _pseudonymised(event.subject_label, texts, alias)
        if event.subject_type == "accounts.user" and event.subject_id == str(user.pk):
            event.subject_label = alias
        event.data = _pseudonymised(event.data, texts, alias)
        changed.append(event)
    HistoryEvent.objects.bulk_update(changed, ["subject_label", "data"])
    return len(changed)


@transaction.atomic
def user_delete(*, user: User, by: User | None, programme: Programme | None = None) -> str:
    """Delete an account and its memberships; the history keeps its events under a pseudonym.
    Rows the person created (meetings, SWOT points, …) stay, without the link to them."""
    if user.is_superuser and (by is None or by.pk != user.pk):
        raise AccountError(_("Administrationskonten werden in der Administration gelöscht."))
    from axes.utils import reset

    alias, self_service = pseudonym(user), by is not None and by.pk == user.pk
    reset(username=user.username)
    history_pseudonymise(user=user)
    user.delete()
    record(verb="user.deleted", actor=None if self_service else by, programme=programme,
           person=alias, self_service=self_service)
    return alias


@transaction.atomic
def user_admin_saved(*, user: User, by: User | None, created: bool,
                     changed: list[str]) -> User:
    """The Django admin's form filled an account's fields: store them and record what changed
    (staff and superuser flags, groups and permissions are grants, so they must be traceable)."""
    user.save()
    record(verb="user.created" if created else "user.updated", actor=by, subject=user,
           changed=sorted(changed), is_active=user.is_active, is_staff=user.is_staff,
           is_superuser=user.is_superuser, via="admin")
    return user


@transaction.atomic
def user_password_set(*, user: User, by: User | None) -> None:
    """Record that someone set another account's password in the admin (never the value)."""
    record(verb="user.password_set", actor=by, subject=user, via="admin")
