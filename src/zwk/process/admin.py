from django.contrib import admin

from zwk.process.models import Decision, Document, Meeting, Stage


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["commune", "key", "status", "planned_end", "completed_at"]
    list_filter = ["key", "status"]
    search_fields = ["commune__name"]


admin.site.register([Meeting, Document, Decision])
