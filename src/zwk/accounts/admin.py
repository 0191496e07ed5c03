"""Accounts in the admin: every save is recorded (staff and superuser flags, groups and
permissions are grants); accounts are deactivated, never deleted, so their history and
memberships stay readable."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from zwk.accounts import services
from zwk.accounts.models import User
from zwk.core.admin import ReadOnlyAdmin, admin_user

# ZWK's roles are memberships and programme roles (zwk.communes.roles), not Django groups; an
# editable group admin would be a second, unrecorded way to grant permissions.
admin.site.unregister(Group)

# Login attempts and lockouts (django-axes) are shown, never edited here: a lockout is lifted on
# the programme office's people page, through accounts.services.login_unlock, which records it.
for axes_model in (AccessAttempt, AccessFailureLog, AccessLog):
    admin.site.register(axes_model, ReadOnlyAdmin)

if TYPE_CHECKING:  # the admin classes are generic only in django-stubs, not at runtime
    UserAdminBase = DjangoUserAdmin[User]
else:
    UserAdminBase = DjangoUserAdmin


@admin.register(User)
class UserAdmin(UserAdminBase):
    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm[Any],
                   change: bool) -> None:
        services.user_admin_saved(user=obj, by=admin_user(request), created=not change,
                                  changed=list(form.changed_data))

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def user_change_password(self, request: HttpRequest, id: str,
                             form_url: str = "") -> HttpResponse:
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                services.user_password_set(user=User.objects.get(pk=id), by=admin_user(request))
        return response
