"""The archive's records of its own making, read only: the imported source files, the log of
editors' corrections behind /changes/, and the imported rows editors deleted."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from ..models import Correction, Deletion, SourceFile, source_line_url


class RecordAdmin(admin.ModelAdmin):
    """A record the archive writes itself (an import, an editor's save): shown, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SourceFile)
class SourceFileAdmin(RecordAdmin):
    """The imported articles: they change through an import, never by hand."""

    list_display = ["name", "line_count", "imported_at"]
    fields = ["name", "sha256", "line_count", "imported_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("text")


@admin.register(Correction)
class CorrectionAdmin(RecordAdmin):
    """The log behind /changes/: each save of an editor writes it (seasons/corrections.py).
    Here, unlike on the public page, the editor is named by account."""

    list_display = ["when", "kind", "record", "action", "user", "reason"]
    list_filter = ["action", "kind"]
    list_select_related = ["user", "suggestion"]
    search_fields = ["record", "reason", "who"]
    date_hierarchy = "when"
    fields = [
        *("when", "kind", "record", "action", "changed", "who", "user", "reason"),
        *("suggestion", "history"),
    ]
    readonly_fields = fields

    def view_on_site(self, obj):
        return obj.url or obj.get_absolute_url()

    @admin.display(description="what changed")
    def changed(self, obj):
        rows = ((change.field, change.old, change.new) for change in obj.field_changes)
        return format_html_join("", "<div>{}: {} → {}</div>", rows)

    @admin.display(description="record's history")
    def history(self, obj):
        """The record's history in admin, there even after the record was deleted."""
        content_type = obj.content_type
        url = reverse(
            f"admin:{content_type.app_label}_{content_type.model}_history", args=[obj.object_id]
        )
        return format_html('<a href="{}">{} #{}</a>', url, obj.kind, obj.object_id)


@admin.register(Deletion)
class DeletionAdmin(RecordAdmin):
    """Imported rows editors deleted, which imports leave deleted. Deleting one here lets the next
    import of its source bring the row back."""

    has_delete_permission = admin.ModelAdmin.has_delete_permission  # with the Editors' rights

    list_display = ["record", "kind", "deleted_at", "deleted_by", "source_line"]
    list_filter = [("content_type", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["content_type", "deleted_by", "source"]
    search_fields = ["record"]
    date_hierarchy = "deleted_at"
    fields = ["record", "kind", "deleted_at", "deleted_by", "source_line", "said_then"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("source__text")

    @admin.display(description="source")
    def source_line(self, obj):
        if not obj.source_id:
            return "its source file is gone"
        url = source_line_url(obj.source.name, obj.source_line)
        return format_html('<a href="{}">{} line {}</a>', url, obj.source.name, obj.source_line)

    @admin.display(description="the source said")
    def said_then(self, obj):
        rows = ((name, value) for name, value in sorted(obj.imported_values.items()))
        return format_html_join("", "<div>{}: {}</div>", rows)
