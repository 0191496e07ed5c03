"""Admin building blocks shared by the apps.

The Django admin writes models directly, past the services: no history event, no gates, no
derived rows (a commune without stages). So every ModelAdmin either routes its writes through
a service or is read-only; see docs/DANGEROUS.md ("Admin writes").
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from zwk.accounts.models import User


def admin_user(request: HttpRequest) -> User:
    """The person acting in the admin (the admin site lets only logged-in staff in), as the
    `by` of the services."""
    user = request.user
    if not isinstance(user, User):
        raise TypeError("the admin acts only for a logged-in user")
    return user


class ReadOnlyAdminMixin:
    """Shows rows in the admin but refuses add, change and delete: the app's own pages (through
    the services) are where these are written."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
