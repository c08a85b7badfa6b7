"""The editors' admin, arranged around their work: fill in a missing podium, fix a date, correct a
standings row, resolve a data-quality flag.

* A meet shows its races, a race its podium, a standings table its rows, each inline.
* Every edit asks for a reason and lands in django-simple-history: history, diff and revert come
  with :class:`~simple_history.admin.SimpleHistoryAdmin`.
* No lost edits: each form carries its row's version (:mod:`seasons.admin.forms`); an edit of a
  podium or a race list counts as an edit of the race or meet, so its version moves too.
* The importer's ``imported_values`` are never touched here, so a later import still tells an
  editor's correction from an untouched value and keeps the correction.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import router, transaction
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from ..corrections import admin_change_url
from ..importing.deletions import record_deletion
from ..models import (
    Athlete,
    Correction,
    Deletion,
    Flag,
    Meet,
    Nation,
    Race,
    Result,
    Season,
    Sourced,
    SourceFile,
    StandingsEntry,
    StandingsTable,
    Venue,
)
from .forms import (
    EditorForm,
    FlagForm,
    ResolveFlagsForm,
    ResultFormSet,
    VersionedForm,
    inline_changes_meanwhile,
)

admin.site.site_header = "skatearchive editors"
admin.site.site_title = "skatearchive admin"
admin.site.index_title = "Archive"

PODIUM_PLACES = (1, 2, 3)


def is_sourced(model):
    return issubclass(model, Sourced)


def is_versioned(model):
    return any(field.name == "version" for field in model._meta.concrete_fields)


def slug_is_fixed(obj):
    """Slugs are public identifiers: set once, then kept. An editor may correct the slug of a
    venue, or of a season or meet an editor added: seasons/signals.py redirects the old paths.
    The importer finds an imported season or meet by its slug (a venue by its city and arena),
    so those keep theirs."""
    if isinstance(obj, Venue):
        return False
    if isinstance(obj, (Season, Meet)):
        return obj.is_imported
    return True


@admin.display(description="source")
def source_line(obj):
    """``2011-12.txt line 29``, linked to that line of the source page; editors' rows have none."""
    if not obj.source_id:
        return "added by an editor" if obj.pk else ""
    return format_html(
        '<a href="{}">{} line {}</a>', obj.source_url, obj.source.name, obj.source_line
    )


class SourcedInline(admin.TabularInline):
    """An inline of imported rows: version-checked, with each row's source line."""

    form = VersionedForm
    exclude = ["version"]  # a model field, not editable: the form's own field carries it
    extra = 0
    readonly_fields = [source_line]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source").defer("source__text")


class EditorAdmin(SimpleHistoryAdmin):
    """An archive model's admin: reason for change, version check, provenance, history."""

    form = EditorForm
    exclude = ["version"]  # a model field, not editable: the form's own field carries it
    save_on_top = True

    def edit_fields(self):
        return ["change_reason", "version"] if is_versioned(self.model) else ["change_reason"]

    def get_fieldsets(self, request, obj=None):
        if self.fieldsets:
            fieldsets = list(self.fieldsets)
        else:
            skipped = {*self.edit_fields(), "provenance"}
            fields = [name for name in self.get_fields(request, obj) if name not in skipped]
            fieldsets = [(None, {"fields": fields})]
        if obj is not None and is_sourced(self.model):
            fieldsets.append(("Source", {"fields": ["provenance"]}))
        return [*fieldsets, ("This edit", {"fields": self.edit_fields()})]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if is_sourced(self.model):
            readonly.append("provenance")
        has_slug = any(field.name == "slug" for field in self.model._meta.fields)
        if obj is not None and has_slug and slug_is_fixed(obj):
            readonly.append("slug")
        return readonly

    def view_on_site(self, obj):
        # The public page on the admin's own host. Django's default goes through the Site
        # record's domain, example.com unless someone edited it.
        return obj.get_absolute_url()

    def get_prepopulated_fields(self, request, obj=None):
        return super().get_prepopulated_fields(request, obj) if obj is None else {}

    @admin.display(description="source")
    def provenance(self, obj):
        """The source file and line, linked, with the line as the source has it."""
        if not obj.source_id:
            return "Added by an editor: no source line."
        return format_html(
            '<a href="{}">{} line {}</a><br><code>{}</code>',
            obj.source_url,
            obj.source.name,
            obj.source_line,
            obj.source.line_text(obj.source_line) if obj.source_line else "",
        )

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.reason
        if change and not (form.has_content_changes or form.is_revert):
            # Nothing of the record itself changed: no new version of it (save_related gives
            # one if an inline row changed).
            return
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for row in formset.forms:
            row.instance._change_reason = form.reason
        for row in formset.deleted_forms:
            if row.instance.pk is not None:
                record_deletion(row.instance, request.user)
        super().save_formset(request, form, formset, change)

    # Deletions of imported rows are remembered (seasons/deletions.py), in the same transaction,
    # so that the next import does not bring them back.
    def delete_model(self, request, obj):
        record_deletion(obj, request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record_deletion(obj, request.user)
        super().delete_queryset(request, queryset)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # A row's data-quality flags go with it. Editors may not delete a flag on its own (they
        # resolve it, with a note), which would otherwise forbid deleting any flagged row.
        perms_needed.discard(Flag._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        inline_changed = any(formset.has_changed() for formset in formsets)
        record_saved = form.has_content_changes or form.is_revert
        if change and inline_changed and not record_saved and is_sourced(self.model):
            # A podium filled in is an edit of the race: its version moves, so a page opened
            # before cannot overwrite the podium unseen.
            form.new_version()
            form.instance._history_user = request.user
            form.instance.save(update_fields=["version"])

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        formsets = [inline.formset for inline in context.get("inline_admin_formsets", [])]
        rows = [row for formset in formsets for row in formset.forms]
        if form.is_bound and (form.edit_conflict or any(row.edit_conflict for row in rows)):
            # Rows present on both sides report their changes on their own rows.
            lines = [line for formset in formsets for line in inline_changes_meanwhile(formset)]
            if lines:
                form.add_error(None, lines)
            form.rebase()
            for row in rows:
                if row.is_change:
                    row.rebase()
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A revert checks and bumps the version like any save: in one transaction, row locked.
        # (django-simple-history's submit row reads ``onclick_attrib``, which it never sets.)
        extra_context = {"onclick_attrib": "", **(extra_context or {})}
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)


class SeasonFilter(admin.SimpleListFilter):
    """By season, for models that reach their season through a relation (``parameter_name``)."""

    title = "season"

    def lookups(self, request, model_admin):
        return [(season.slug, season.years) for season in Season.objects.order_by("-slug")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.parameter_name: self.value()})
        return queryset


def season_filter(lookup):
    return type("SeasonFilter", (SeasonFilter,), {"parameter_name": f"{lookup}__slug"})


class MeetFilter(admin.SimpleListFilter):
    title = "meet"

    def lookups(self, request, model_admin):
        meets = Meet.objects.select_related("season").order_by("-season__slug", "order")
        return [(meet.pk, str(meet)) for meet in meets]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.parameter_name: self.value()})
        return queryset


def meet_filter(lookup):
    return type("MeetFilter", (MeetFilter,), {"parameter_name": f"{lookup}__id__exact"})


class PodiumFilter(admin.SimpleListFilter):
    """Races whose podium still misses a place: the editors' main to-do list."""

    title = "podium"
    parameter_name = "podium"

    def lookups(self, request, model_admin):
        return [("incomplete", "Places missing"), ("complete", "Complete")]

    def queryset(self, request, queryset):
        podium = Count("results", filter=Q(results__place__in=PODIUM_PLACES))
        if self.value() == "incomplete":
            return queryset.alias(podium=podium).filter(podium__lt=len(PODIUM_PLACES))
        if self.value() == "complete":
            return queryset.alias(podium=podium).filter(podium__gte=len(PODIUM_PLACES))
        return queryset


def podium_summary(race):
    """``1. KOR · 2. RUS · 3. ?``; needs the race's results prefetched (``with_podium``)."""
    return " · ".join(
        f"{place}. {result.competitor_name if result else '?'}" for place, result in race.podium
    )


@admin.register(Nation)
class NationAdmin(EditorAdmin):
    list_display = ["code", "country"]
    search_fields = ["code"]
    fields = ["code", "country"]


@admin.register(Athlete)
class AthleteAdmin(EditorAdmin):
    list_display = ["name", "nation"]
    list_filter = ["nation"]
    list_select_related = ["nation"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["nation"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "nation"]


@admin.register(Season)
class SeasonAdmin(EditorAdmin):
    list_display = ["title", "start", "end"]
    search_fields = ["title", "slug"]
    fields = [
        "title",
        "slug",
        ("start", "end"),
        "intro",
        "infobox",
        "standings_note",
        ("counted_results", "counted_of"),
        "see_also",
    ]


@admin.register(Venue)
class VenueAdmin(EditorAdmin):
    list_display = ["__str__", "city", "arena", "country"]
    search_fields = ["city", "arena", "slug"]
    fields = ["city", "arena", "slug", "country"]
    prepopulated_fields = {"slug": ["city", "arena"]}


class RaceInline(SourcedInline):
    model = Race
    fields = ["gender", "distance", "number", "date", "record", "podium", source_line, "version"]
    readonly_fields = ["podium", source_line]
    show_change_link = True

    @admin.display(description="podium (edit the race to change it)")
    def podium(self, race):
        return podium_summary(race) if race.pk else ""

    def get_queryset(self, request):
        return super().get_queryset(request).with_podium().in_calendar_order()


@admin.register(Meet)
class MeetAdmin(EditorAdmin):
    list_display = ["__str__", "order", "venue"]
    list_filter = [season_filter("season")]
    list_select_related = ["season", "venue"]
    search_fields = ["city", "venue__city", "venue__arena"]
    autocomplete_fields = ["venue"]
    fields = ["season", "order", "city", "slug", "venue"]
    prepopulated_fields = {"slug": ["city"]}
    inlines = [RaceInline]


class ResultInline(SourcedInline):
    model = Result
    formset = ResultFormSet
    fields = ["place", "athlete", "nation", source_line, "version"]
    autocomplete_fields = ["athlete", "nation"]
    verbose_name = "podium place"
    verbose_name_plural = "podium"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("athlete__nation", "nation")

    def get_extra(self, request, obj=None, **kwargs):
        return len(missing_places(obj))


def missing_places(race):
    if race is None or race.pk is None:  # the add page passes its unsaved race
        return list(PODIUM_PLACES)
    named = {result.place for result in race.results.all()}
    return [place for place in PODIUM_PLACES if place not in named]


@admin.register(Race)
class RaceAdmin(EditorAdmin):
    list_display = ["__str__", "date", "podium"]
    list_filter = [
        season_filter("meet__season"),
        "gender",
        "distance",
        meet_filter("meet"),
        PodiumFilter,
    ]
    list_select_related = ["meet__season"]
    search_fields = ["meet__city", "meet__venue__arena", "results__athlete__name"]
    autocomplete_fields = ["meet"]
    fields = ["meet", "gender", "distance", "number", "date", "record"]
    inlines = [ResultInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_podium()

    @admin.display(description="podium")
    def podium(self, race):
        return podium_summary(race)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, ResultInline) and request.method != "POST":
            # The blank rows offered are the missing places, numbered: fill in a name and save.
            kwargs["initial"] = [{"place": place} for place in missing_places(obj)]
        return kwargs


@admin.register(Result)
class ResultAdmin(EditorAdmin):
    list_display = ["__str__", "place"]
    list_filter = [
        season_filter("race__meet__season"),
        "race__gender",
        "race__distance",
        meet_filter("race__meet"),
    ]
    list_select_related = ["race__meet__season", "athlete__nation", "nation"]
    search_fields = ["athlete__name", "nation__code", "race__meet__city"]
    autocomplete_fields = ["race", "athlete", "nation"]
    fields = ["race", "place", "athlete", "nation"]


class StandingsEntryInline(SourcedInline):
    model = StandingsEntry
    fields = ["row", "position", "athlete", "nation", "points", source_line, "version"]
    autocomplete_fields = ["athlete", "nation"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("athlete__nation", "nation")


@admin.register(StandingsTable)
class StandingsTableAdmin(EditorAdmin):
    list_display = ["__str__", "events_held", "events_total", "heading_inferred"]
    list_filter = [season_filter("season"), "gender", "distance"]
    list_select_related = ["season"]
    search_fields = ["season__slug", "season__title"]
    fields = [
        "season",
        "gender",
        "distance",
        ("events_held", "events_total"),
        "heading_inferred",
    ]
    inlines = [StandingsEntryInline]


@admin.register(StandingsEntry)
class StandingsEntryAdmin(EditorAdmin):
    list_display = ["__str__", "athlete", "nation", "points"]
    list_filter = [season_filter("table__season"), "table__gender", "table__distance"]
    list_select_related = ["table__season", "athlete__nation", "nation"]
    search_fields = ["athlete__name", "nation__code"]
    autocomplete_fields = ["table", "athlete", "nation"]
    fields = ["table", "row", "position", "athlete", "nation", "points"]


@admin.register(SourceFile)
class SourceFileAdmin(admin.ModelAdmin):
    """The imported articles, read only: they change through an import, never by hand."""

    list_display = ["name", "line_count", "imported_at"]
    fields = ["name", "sha256", "line_count", "imported_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("text")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """The log behind /changes/, read only: each save of an editor writes it (seasons/history.py).
    Here, unlike on the public page, the editor is named by account."""

    list_display = ["when", "kind", "record", "action", "user", "reason"]
    list_filter = ["action", "kind"]
    list_select_related = ["user"]
    search_fields = ["record", "reason", "who"]
    date_hierarchy = "when"
    fields = ["when", "kind", "record", "action", "changed", "who", "user", "reason", "history"]
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Deletion)
class DeletionAdmin(admin.ModelAdmin):
    """Imported rows editors deleted, which imports leave deleted. Deleting one here lets the next
    import of its source bring the row back."""

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
        url = f"{obj.source.get_absolute_url()}#L{obj.source_line}"
        return format_html('<a href="{}">{} line {}</a>', url, obj.source.name, obj.source_line)

    @admin.display(description="the source said")
    def said_then(self, obj):
        rows = ((name, value) for name, value in sorted(obj.imported_values.items()))
        return format_html_join("", "<div>{}: {}</div>", rows)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
class FlagAdmin(SimpleHistoryAdmin):
    """Data-quality flags: open ones listed with the record each concerns; resolved with a note,
    one at a time (the change form) or several at once (the action). Flags come from imports and
    stay once resolved, so there is no adding or deleting here."""

    form = FlagForm
    list_display = ["message", "kind", "flagged_line", "concerns", "status"]
    list_filter = [FlagStatusFilter, "kind", "season"]
    search_fields = ["message", "resolution"]
    actions = ["resolve_flags"]
    fields = ["kind", "message", "flagged_line", "concerns", "status", "resolved", "resolution"]
    readonly_fields = ["kind", "message", "flagged_line", "concerns", "status"]
    view_on_site = EditorAdmin.view_on_site

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

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="source")
    def flagged_line(self, flag):
        url = f"{flag.source.get_absolute_url()}#L{flag.line}"
        return format_html('<a href="{}">{} line {}</a>', url, flag.source.name, flag.line)

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
        if resolved and not obj.is_resolved:
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
            for flag in flags:
                resolve_flag(flag, form.cleaned_data["note"], request.user)
            self.message_user(request, f"Resolved {len(flags)} flags.", messages.SUCCESS)
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
