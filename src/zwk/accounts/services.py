"""Writes about accounts that happen outside the invitation flow (the Django admin)."""

from __future__ import annotations

from django.db import transaction

from zwk.accounts.models import User
from zwk.history.services import record


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
