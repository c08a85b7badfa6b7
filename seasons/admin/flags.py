"""Data-quality flags in admin: the editors' queue of doubts an import or the standings check
raised, each resolved with a note saying how."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import router, transaction
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from ..models import Flag
from ..templatetags.editing import admin_change_url
from .base import EditorAdmin, VersionedAdmin
from .forms import FlagForm, ResolveFlagsForm
from .returning import return_after_save


class FlagStatusFilter(admin.SimpleListFilter):
    """Open flags by default: the list is the editors' queue; resolved ones stay one click away."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("open", "Open"), ("resolved", "Resolved"), ("all", "All")]

    def choices(self, changelist):
        current = self.value() or "open"
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        status = self.value() or "open"
        if status == "open":
            return queryset.open()
        if status == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


def resolve_flag(flag, note, user):
    flag.resolved_at = timezone.now()
    flag.resolved_by = user
    flag.resolution = note
    flag._change_reason = f"resolved: {note}"[:100]
    flag.save()


@admin.register(Flag)
class FlagAdmin(VersionedAdmin, SimpleHistoryAdmin):
    """Data-quality flags: open ones listed with the record each concerns; resolved with a note,
    one at a time (the change form) or several at once (the action). Flags come from imports and
    stay once resolved, so there is no adding or deleting here."""

    form = FlagForm
    list_display = ["message", "kind", "flagged_line", "concerns", "status"]
    list_filter = [FlagStatusFilter, "kind", "season"]
    search_fields = ["message", "resolution"]
    actions = ["resolve_flags"]
    fields = [
        *("kind", "message", "flagged_line", "concerns", "status"),
        *("resolved", "resolution", "version"),
    ]
    readonly_fields = ["kind", "message", "flagged_line", "concerns", "status"]
    exclude = ["version"]  # a model field, not editable: the form's own field carries it
    view_on_site = EditorAdmin.view_on_site
    object_history_list_template = EditorAdmin.object_history_list_template

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_targets()
            .select_related("resolved_by")
            .defer("source__text")
        )

    def has_add_permission(self, request):
        return False

    def response_change(self, request, obj):
        # Back to the page whose Edit link the editor followed (?next=).
        return return_after_save(self, request, obj) or super().response_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="source")
    def flagged_line(self, flag):
        return format_html(
            '<a href="{}">{} line {}</a>', flag.source_url, flag.source.name, flag.line
        )

    @admin.display(description="concerns")
    def concerns(self, flag):
        target = flag.target
        return format_html(
            '<a href="{}">{}</a> (<a href="{}">public page</a>)',
            admin_change_url(target),
            target,
            flag.get_absolute_url(),
        )

    @admin.display(description="status")
    def status(self, flag):
        if not flag.is_resolved:
            return "open"
        when = timezone.localtime(flag.resolved_at).strftime("%Y-%m-%d")
        return f"resolved {when} by {flag.resolved_by or 'a former editor'}: {flag.resolution}"

    def save_model(self, request, obj, form, change):
        resolved = form.cleaned_data["resolved"]
        # A new note on a resolved flag is a new resolution: its writer becomes the resolver.
        if resolved and (not obj.is_resolved or "resolution" in form.changed_data):
            resolve_flag(obj, form.cleaned_data["resolution"], request.user)
            return
        if not resolved and obj.is_resolved:
            obj.resolved_at = obj.resolved_by = None
            obj._change_reason = "reopened"
        super().save_model(request, obj, form, change)

    @admin.action(description="Resolve the selected flags with a note", permissions=["change"])
    def resolve_flags(self, request, queryset):
        form = ResolveFlagsForm(request.POST if "apply" in request.POST else None)
        flags = queryset.open()
        if form.is_valid():
            # Locked, so that a flag another editor resolves at the same moment is left to
            # them (it is no longer open once their save commits), not given this note.
            with transaction.atomic(using=router.db_for_write(Flag)):
                resolved = list(flags.select_for_update(of=("self",)))
                for flag in resolved:
                    resolve_flag(flag, form.cleaned_data["note"], request.user)
            self.message_user(request, f"Resolved {len(resolved)} flags.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Resolve flags",
            "opts": self.model._meta,
            "flags": flags,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        }
        return TemplateResponse(request, "admin/seasons/flag/resolve_flags.html", context)
