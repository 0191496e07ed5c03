from django.contrib import admin

from zwk.core.admin import ReadOnlyAdmin
from zwk.history.models import HistoryEvent


@admin.register(HistoryEvent)
class HistoryEventAdmin(ReadOnlyAdmin):
    """Read-only: the audit trail is never edited by hand."""

    list_display = ["created_at", "commune", "actor", "verb", "subject_label"]
    list_filter = ["verb"]
