from django.contrib import admin

from zwk.communes.models import Commune, Membership, Programme, ProgrammeRole


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "starts_on", "ends_on", "is_demo"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ProgrammeRole)
class ProgrammeRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "programme", "role"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "ags", "land", "cluster", "programme"]
    list_filter = ["programme", "kind", "land", "cluster"]
    search_fields = ["name", "ags"]
    inlines = [MembershipInline]
