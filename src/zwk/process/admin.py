"""Stages, events, documents and decisions are shown in the admin, never written there: the
stage page writes them through the services, which keep the gates (no stage is "done" past
missing required items) and record the history."""

from django.contrib import admin

from zwk.core.admin import ReadOnlyAdmin
from zwk.process.models import Decision, Document, Meeting, Stage


@admin.register(Stage)
class StageAdmin(ReadOnlyAdmin):
    list_display = ["commune", "key", "status", "planned_end", "completed_at"]
    list_filter = ["key", "status"]
    search_fields = ["commune__name"]
    list_select_related = ["commune"]


@admin.register(Meeting, Document, Decision)
class StageRecordAdmin(ReadOnlyAdmin):
    list_select_related = ["stage__commune"]
