"""What every admin page of the archive shares: :class:`EditorAdmin` (reason for change, version
check, provenance, history), :class:`SourcedInline` for imported rows, each row's source line and
the list filter by season or meet.

* Every edit asks for a reason and lands in django-simple-history: history, diff and revert come
  with :class:`~simple_history.admin.SimpleHistoryAdmin`.
* No lost edits: each form carries its row's version (:mod:`seasons.admin.forms`); an edit of a
  podium or a race list counts as an edit of the race or meet, so its version moves too. A save
  that waits too long for another write (:class:`VersionedAdmin`) shows the form again, as
  posted, with "try again": never a 500, never lost input.
* The importer's ``imported_values`` are never touched here, so a later import still tells an
  editor's correction from an untouched value and keeps the correction.
* A record with inline rows (a race and its podium) is saved after its rows, so that its
  historical record closes the edit: its podium as of that record is the podium it had then,
  which a revert restores (:mod:`seasons.admin.reverts`).
* After a save, back to the public page the editor came from (:mod:`seasons.admin.returning`).
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import csrf_protect_m
from django.db import OperationalError, connections, router, transaction
from django.template.defaultfilters import pluralize
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from ..corrections import collecting, record_baseline
from ..doubts import changes_facts, recheck
from ..importing.deletions import record_deletion
from ..middleware import database_is_busy
from ..models import Correction, Flag, Meet, Season, Sourced, Venue
from .forms import EditorForm, SourcedFormSet, VersionedForm, inline_changes_meanwhile
from .returning import return_after_save, suggestion_from

admin.site.site_header = "skatearchive editors"
admin.site.site_title = "skatearchive admin"
admin.site.index_title = "Archive"


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


def changes_facts_of(form, formsets):
    """Whether a change form's save, its inline rows included (after save_formset), changed what
    the season's checks read (seasons.doubts.FACT_FIELDS): a corrected time does not, and the
    checks (a season's every row read again) are not run for it."""
    if changes_facts(form._meta.model, form.changed_data):
        return True
    for formset in formsets:
        if formset.new_objects or formset.deleted_objects:
            return True
        if any(changes_facts(formset.model, fields) for _, fields in formset.changed_objects):
            return True
    return False


def season_of(obj):
    """The season an archive row belongs to, or None (a nation, an athlete, a venue)."""
    for path in ("", "season", "meet.season", "race.meet.season", "table.season"):
        target = obj
        for name in filter(None, path.split(".")):
            target = getattr(target, name, None)
        if isinstance(target, Season):
            return target
    return None


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
    formset = SourcedFormSet
    exclude = ["version"]  # a model field, not editable: the form's own field carries it
    extra = 0
    readonly_fields = [source_line]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source").defer("source__text")


def bound_lock_wait(using):
    """Make the transaction begun on ``using`` wait at most DATABASE_WAIT_SECONDS for a row
    another holds. SQLite's wait is the connection's busy timeout (settings.py) and covers the
    whole write lock, taken as the transaction begins; PostgreSQL locks row by row and would
    wait for ever."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            wait = f"{int(settings.DATABASE_WAIT_SECONDS * 1000)}ms"
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [wait])


class VersionedAdmin:
    """What keeps an editor's work on an admin page: the version conflict shown with what
    changed meanwhile, the form rebased on the stored row; a save that waited past the bound
    for another write refused with the input kept. Mixed into every admin that edits."""

    @csrf_protect_m
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return super().changeform_view(request, object_id, form_url, extra_context)
        using = router.db_for_write(self.model)
        try:
            # As Django's own changeform_view, with the wait bounded on PostgreSQL too.
            with transaction.atomic(using=using):
                bound_lock_wait(using)
                return self._changeform_view(request, object_id, form_url, extra_context)
        except OperationalError as error:
            if not database_is_busy(error):
                raise
        # Show the form again, as posted, refused with "try again" (get_form). Outside a
        # transaction: it only reads, and readers wait for no writer (SQLite's WAL, PostgreSQL).
        request.database_busy = True
        return self._changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if getattr(request, "database_busy", False):
            form = type(form.__name__, (form,), {"database_busy": True})
        return form

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


class EditorAdmin(VersionedAdmin, SimpleHistoryAdmin):
    """An archive model's admin: reason for change, version check, provenance, history."""

    form = EditorForm
    exclude = ["version"]  # a model field, not editable: the form's own field carries it
    save_on_top = True
    # "Changed by" names the editor by full name, and a change without one as an import.
    object_history_list_template = "admin/seasons/object_history_list.html"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # What the save logs is collected for the message, and linked to the reader's
        # suggestion it applies (?suggestion=), if any.
        request.suggestion = suggestion_from(request)
        with collecting(request.suggestion) as saved:
            request.saved_corrections = saved
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        suggestion = getattr(request, "suggestion", None)
        if suggestion is None:
            return form
        # The reader's suggestion is the reason offered; a subclass, not the shared field.
        return type(form.__name__, (form,), {"suggested_reason": suggestion.as_reason})

    def response_change(self, request, obj):
        return return_after_save(self, request, obj) or super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        return return_after_save(self, request, obj) or super().response_add(
            request, obj, post_url_continue
        )

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
        # The corrections this save logs come after this one (seasons.doubts links them).
        request.last_correction = (
            Correction.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        )
        obj._change_reason = form.reason
        if change and not (form.has_content_changes or form.is_revert):
            # Nothing of the record itself changed: no new version of it (save_related gives
            # one if an inline row changed).
            return
        if change and self.saves_after_rows(request, obj, form) and not form.rows_saved:
            return  # save_related saves it, after its rows
        super().save_model(request, obj, form, change)

    def saves_after_rows(self, request, obj, form):
        """Whether the record is saved after its inline rows (a change on its change form):
        its historical record then closes the edit, rows included."""
        return bool(self.get_inlines(request, obj)) and not form.is_revert

    def save_formset(self, request, form, formset, change):
        if change and form.stored is not None and formset.has_changed():
            # The record's state before this edit, recorded before its rows change: its
            # podium as of that record is then the podium before the edit.
            record_baseline(form.stored)
        for row in formset.forms:
            row.instance._change_reason = form.reason
        for row in formset.deleted_forms:
            if row.instance.pk is not None:
                record_deletion(row.instance, request.user)
        super().save_formset(request, form, formset, change)

    # Deletions of imported rows are remembered (seasons/importing/deletions.py), in the same
    # transaction, so that the next import does not bring them back.
    def delete_model(self, request, obj):
        record_deletion(obj, request.user)
        season = season_of(obj) if not isinstance(obj, Season) else None
        super().delete_model(request, obj)
        if season is not None:
            recheck(season, user=request.user)

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
        if change and record_saved and self.saves_after_rows(request, form.instance, form):
            form.rows_saved = True
            self.save_model(request, form.instance, form, change)
        elif change and inline_changed and not record_saved and is_sourced(self.model):
            # A podium filled in is an edit of the race: it gets a new version (the save moves
            # it on), so a page opened before cannot overwrite the podium unseen.
            form.new_version()
            form.instance._history_user = request.user
            form.instance.save(update_fields=["version"])
        if not change or form.is_revert or changes_facts_of(form, formsets):
            self.recheck(request, form.instance)

    def recheck(self, request, obj):
        """Check the edited season's data again: a doubt this save fixed closes itself, one it
        created opens (seasons.doubts)."""
        season = season_of(obj)
        if season is None:
            return
        change = (
            Correction.objects.filter(
                pk__gt=getattr(request, "last_correction", 0), user=request.user
            )
            .order_by("pk")
            .first()
        )
        opened, closed = recheck(season, user=request.user, change=change)
        if closed:
            self.message_user(
                request,
                f"{closed} doubt{pluralize(closed)} about this season closed by this change.",
            )
        if opened:
            self.message_user(
                request,
                f"This change raised {opened} new doubt{pluralize(opened)} about the season.",
                messages.WARNING,
            )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A revert checks and bumps the version like any save: in one transaction, row locked.
        # (django-simple-history's submit row reads ``onclick_attrib``, which it never sets.)
        extra_context = {"onclick_attrib": "", **(extra_context or {})}
        with (
            collecting() as saved,
            transaction.atomic(using=router.db_for_write(self.model)),
        ):
            request.saved_corrections = saved
            return super().history_form_view(request, object_id, version_id, extra_context)


class RelatedFilter(admin.SimpleListFilter):
    """By the season or meet a row reaches through a relation; made by :func:`related_filter`."""

    def lookups(self, request, model_admin):
        return self.options()

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.parameter_name: self.value()})
        return queryset


def season_options():
    return [(season.slug, season.years) for season in Season.objects.order_by("-slug")]


def meet_options():
    meets = Meet.objects.select_related("season").order_by("-season__slug", "order")
    return [(meet.pk, str(meet)) for meet in meets]


# What a list can be filtered by: the field naming the chosen row in the query string
# (``?meet__season__slug=2011-12``, which an editor can read and bookmark) and the rows offered.
FILTER_BY = {"season": ("slug", season_options), "meet": ("id__exact", meet_options)}


def related_filter(lookup):
    """A list filter by the season or meet at the end of ``lookup`` (``race__meet__season``)."""
    title = lookup.rsplit("__", 1)[-1]
    field, options = FILTER_BY[title]
    return type(
        f"{title.capitalize()}Filter",
        (RelatedFilter,),
        {"title": title, "parameter_name": f"{lookup}__{field}", "options": staticmethod(options)},
    )
