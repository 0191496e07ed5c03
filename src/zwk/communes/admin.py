"""Admin for programmes, communes and people: every write goes through the services.

A commune added here gets its five stages, its Handlungsfelder and a history event
(services.commune_create); a grant of the programme office is recorded
(services.programme_role_grant). Memberships are shown, not edited: the commune's people page
adds and removes them with history.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zwk.communes import services
from zwk.communes.models import Commune, Membership, Programme, ProgrammeRole
from zwk.core.admin import ReadOnlyInline, admin_user

COMMUNE_FIELDS = ("programme", "name", "kind", "ags", "ars", "land", "parent", "cluster",
                  "population")


class MembershipInline(ReadOnlyInline):
    model = Membership
    fields = ["user", "role", "created_at"]
    readonly_fields = ["user", "role", "created_at"]
    verbose_name_plural = _("Mitgliedschaften (bitte auf der Personenseite der Kommune ändern)")


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "starts_on", "ends_on", "is_demo"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request: HttpRequest, obj: Programme, form: forms.ModelForm[Any],
                   change: bool) -> None:
        services.programme_admin_saved(programme=obj, by=admin_user(request), created=not change,
                                       changed=list(form.changed_data))

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # deleting would take its communes' history with it


class ProgrammeRoleForm(forms.ModelForm):
    class Meta:
        model = ProgrammeRole
        fields = ["user", "programme", "role"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("user") and data.get("programme"):
            for field, message in services.programme_role_problems(
                    programme=data["programme"], user=data["user"]).items():
                self.add_error(field, message)
        return data


@admin.register(ProgrammeRole)
class ProgrammeRoleAdmin(admin.ModelAdmin):
    """Grants and revocations of the programme office, with history; a grant is not edited
    (revoke it and grant another)."""

    form = ProgrammeRoleForm
    list_display = ["user", "programme", "role"]
    autocomplete_fields = ["user"]

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ProgrammeRole, form: forms.ModelForm[Any],
                   change: bool) -> None:
        grant = services.programme_role_grant(programme=obj.programme, user=obj.user,
                                              role=obj.role, by=admin_user(request))
        obj.pk = grant.pk

    def delete_model(self, request: HttpRequest, obj: ProgrammeRole) -> None:
        services.programme_role_revoke(grant=obj, by=admin_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ProgrammeRole]) -> None:
        for grant in queryset.select_related("user", "programme"):
            services.programme_role_revoke(grant=grant, by=admin_user(request))


class CommuneForm(forms.ModelForm):
    """The fields of services.CommuneData; its checks give the German messages."""

    class Meta:
        model = Commune
        fields = list(COMMUNE_FIELDS)

    def commune_data(self) -> services.CommuneData:
        data = self.cleaned_data
        return services.CommuneData(
            name=data["name"], kind=data["kind"], land=data["land"], ags=data.get("ags") or "",
            ars=data.get("ars") or "", parent=data.get("parent"),
            cluster=data.get("cluster") or "", population=data.get("population"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        programme = self.instance.programme if self.instance.pk else data.get("programme")
        if programme is not None and not self.errors:
            problems = services.commune_problems(
                programme=programme, data=self.commune_data(),
                instance=self.instance if self.instance.pk else None)
            for field, message in problems.items():
                self.add_error(field if field in self.fields else None, message)
        return data


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    """Adds and changes communes through services.commune_create/commune_update; deleting is
    refused (history and plans hang on a commune)."""

    form = CommuneForm
    list_display = ["name", "kind", "ags", "land", "cluster", "programme"]
    list_filter = ["programme", "kind", "land", "cluster"]
    search_fields = ["name", "ags"]
    inlines = [MembershipInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        # commune_update does not move a commune to another programme
        return ["programme"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Commune, form: forms.ModelForm[Any],
                   change: bool) -> None:
        assert isinstance(form, CommuneForm)
        if change:
            stored = Commune.objects.select_related("programme").get(pk=obj.pk)
            services.commune_update(commune=stored, data=form.commune_data(), by=admin_user(request))
        else:
            commune = services.commune_create(programme=obj.programme, data=form.commune_data(),
                                              by=admin_user(request))
            obj.pk = commune.pk

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
