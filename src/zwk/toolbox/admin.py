"""Django admin for the Werkzeugkoffer (superusers; the programme office curates in the app).

Every save goes through a service afterwards (services.tool_admin_saved/topic_admin_saved): the
stored search (search_text and, on PostgreSQL, the weighted vector) is refreshed after the
topics are written, and a history event is recorded. Files are not uploaded here: an upload
must pass zwk.process.uploads.check_uploaded_file, which the tool page does; the admin lists a
tool's files and can remove them.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from zwk.core.admin import ReadOnlyAdminMixin
from zwk.toolbox import services
from zwk.toolbox.models import Adoption, Tool, ToolAttachment, Topic


class ToolAttachmentInline(admin.TabularInline):
    model = ToolAttachment
    extra = 0
    fields = ["title", "original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    verbose_name = _("Datei")
    verbose_name_plural = _("Dateien (neue Dateien bitte auf der Werkzeugseite anfügen)")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    list_display = ["title", "type", "status", "owner_commune", "adoption_count", "updated_at"]
    list_filter = ["status", "type", "topics", "effort"]
    search_fields = ["title", "keywords", "summary", "owner_commune__name"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics"]
    raw_id_fields = ["owner_commune", "source_measure", "created_by"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ToolAttachmentInline]
    list_select_related = ["owner_commune"]

    def get_queryset(self, request):
        from django.db.models import Count

        return (super().get_queryset(request).defer("search_vector", "search_text")
                .annotate(n_adoptions=Count("adoptions")))

    @admin.display(description=_("Übernahmen"), ordering="n_adoptions")
    def adoption_count(self, tool):
        return tool.n_adoptions

    def has_delete_permission(self, request, obj=None):
        return False  # retire it (services.tool_retire): adoptions and history keep pointing here

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # topics are written here
        services.tool_admin_saved(tool=form.instance, by=request.user, created=not change)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]

    def has_delete_permission(self, request, obj=None):
        return False  # its tools would silently lose it, with no trace in the history

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.topic_admin_saved(topic=obj, by=request.user, created=not change)


@admin.register(Adoption)
class AdoptionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Adoptions are written by communes in the app (with history); here they are only read
    (removing one here would leave no trace in the commune's history)."""

    list_display = ["tool", "commune", "measure", "adopted_by", "adopted_at"]
    list_filter = ["commune__programme", "tool__type", "tool__topics"]
    search_fields = ["tool__title", "commune__name"]
    list_select_related = ["tool", "commune", "measure", "adopted_by"]
    readonly_fields = ["tool", "commune", "measure", "note", "adopted_by", "adopted_at"]
