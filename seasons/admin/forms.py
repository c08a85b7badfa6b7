"""Admin forms for editors: no lost edits, and friendly checks.

A form over an imported row (``Sourced``) carries the row's ``version``. A save that finds the
database past that version (another editor saved, or an import ran) is refused: the editor's
input is shown again and the message lists what changed meanwhile. To tell what the editor
changed from what someone else changed, every field renders its initial value in a hidden input
beside it (Django's ``show_hidden_initial``): the refused form knows what its editor started from.

Every model an editor can change is versioned (nations, athletes and flags as well as the
imported rows), so every admin form gets the check. Field-level rules (a place taken twice, a
relay naming an athlete, ...) live in the models' ``clean()``; what any text field may hold is in
:mod:`.inputs`; this module adds what needs more than one row or the request.
"""

import copy

from django import forms
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import router, transaction
from django.forms.models import BaseInlineFormSet, InlineForeignKeyField
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from ..corrections import FieldChange, display, record_baseline
from ..middleware import BUSY_MESSAGE
from ..models import Flag, Meet, Race, Result, StandingsEntry, StandingsTable
from .inputs import guard_fields

# The natural key the importer matches an imported row on: changing it would make the next
# import create the row again, so it is fixed for imported rows.
IDENTITY_FIELDS = {
    Meet: ("season", "slug"),
    Race: ("meet", "gender", "distance", "number"),
    Result: ("race", "place", "tie"),
    StandingsTable: ("season", "gender", "distance"),
    StandingsEntry: ("table", "row"),
}
IDENTITY_HELP = "From the source: the importer finds this record by it."


class TrackedBoundField(forms.BoundField):
    """A field whose value the editor started from rides along in a hidden input
    (``show_hidden_initial``). Django reads that value back through ``to_python`` before
    comparing: for a choice of a row, a query per field per row, only to compare its id with the
    posted id again. The comparison needs no row: the two ids, as ModelChoiceField compares."""

    def _has_changed(self):
        field = self.field
        if field.show_hidden_initial and isinstance(field, forms.ModelChoiceField):
            started = self.form._widget_data_value(field.hidden_widget(), self.html_initial_name)
            return field.has_changed(started, self.data)
        return super()._has_changed()


class VersionedForm(forms.ModelForm):
    """A row's form with an optimistic version check; used as is for inline rows.

    An inline row compares its version with the row as its formset loaded it, in the same
    transaction; a page's main record (:class:`EditorForm`, :class:`FlagForm`) also locks its
    row. A model without a ``version`` would get the rest: change reason, baseline, identity.
    """

    # Not editable on the model (admins exclude it from the model fields): this field carries
    # it through the page.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    bound_field_class = TrackedBoundField
    locks_row = False
    # Set by the admin when it shows a posted form again because the database stayed busy past
    # the wait (seasons/admin/base.py): the form is refused, as posted, saying so.
    database_busy = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_fields(self)
        instance = self.instance
        model_fields = {field.name for field in self._meta.model._meta.concrete_fields}
        self.is_versioned = "version" in model_fields
        if not self.is_versioned:
            del self.fields["version"]
        # django-simple-history's revert form holds an old version, not the stored row.
        self.is_revert = getattr(instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None) is not None
        self.is_change = not instance._state.adding
        self.edit_conflict = False
        self.stored = None
        if self.is_change:
            try:
                self.stored = self.fetch_stored() if self.is_revert else copy.copy(instance)
            except ObjectDoesNotExist:
                # Reverting a deleted record brings it back: an addition, which keeps the
                # version it had (Versioned moves on only a stored row's).
                self.is_change = False
                instance._state.adding = True
        if self.is_change and self.is_versioned:
            self.fields["version"].required = True
            self.fields["version"].initial = self.stored.version
        if getattr(instance, "is_imported", False):
            for name in IDENTITY_FIELDS.get(type(instance), ()):
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = IDENTITY_HELP
        for name in self.tracked_names():
            self.fields[name].show_hidden_initial = True

    def tracked_names(self):
        """The model fields this form edits (not the inline key, not disabled ones)."""
        model_fields = {field.name for field in self._meta.model._meta.concrete_fields}
        return [
            name
            for name, field in self.fields.items()
            if name in model_fields
            and name not in {"version", self._meta.model._meta.pk.name}
            and not field.disabled
            and not isinstance(field, InlineForeignKeyField)
        ]

    def fetch_stored(self, lock=False):
        model = type(self.instance)
        using = router.db_for_write(model)
        rows = model._default_manager.using(using).filter(pk=self.instance.pk)
        # The admin's change view runs in a transaction; the lock holds until it commits.
        if lock and transaction.get_connection(using).in_atomic_block:
            rows = rows.select_for_update()
        return rows.get()

    def clean(self):
        cleaned_data = super().clean()
        if self.database_busy:
            raise ValidationError(BUSY_MESSAGE, code="database_busy")
        if self.is_change and self.is_versioned:
            if self.locks_row:
                self.stored = self.fetch_stored(lock=True)
            version = cleaned_data.get("version")
            if version is not None and version != self.stored.version:
                self.edit_conflict = True
                raise ValidationError(
                    [self.conflict_headline(), *map(str, self.changes_meanwhile())],
                    code="edit_conflict",
                )
        return cleaned_data

    def conflict_headline(self):
        if self.locks_row:
            return self.saved_meanwhile_headline()
        return "This row changed after you opened the page (then → now); nothing was saved."

    def saved_meanwhile_headline(self):
        """Who saved the record after its form was opened, and when (from its history)."""
        latest = (
            type(self.stored)
            .history.filter(id=self.stored.pk)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
            .first()
        )
        who, when = "An import", ""
        if latest is not None:
            # The full name editors know each other by; the username where none is set (this
            # is the editors' admin, not a public page).
            user = latest.history_user
            who = (user.get_full_name() or user.get_username()) if user else who
            when = f" at {date_format(timezone.localtime(latest.history_date), 'j F Y H:i')}"
        return (
            f"{who} saved this {self._meta.model._meta.verbose_name}{when}, after you opened "
            "it, so your changes "
            "were not saved. They are still in the form below; fields you did not touch now "
            "show the current values. Check what changed meanwhile (then → now) and save again."
        )

    def changes_meanwhile(self):
        """What someone else changed in this row after the form was opened: a list of
        ``FieldChange`` (field, value then → value now)."""
        changes = []
        for name in self.tracked_names():
            bound = self[name]
            if bound.html_initial_name not in self.data:
                continue
            then = bound.field.hidden_widget().value_from_datadict(
                self.data, self.files, bound.html_initial_name
            )
            now = self._stored_value(name)
            if bound.field.has_changed(now, then):
                model_field = self._meta.model._meta.get_field(name)
                try:
                    then_value = bound.field.to_python(then)
                except ValidationError:
                    then_value = then
                changes.append(
                    FieldChange(
                        bound.label,
                        display(model_field, then_value),
                        display(model_field, getattr(self.stored, name)),
                    )
                )
        return changes

    def _stored_value(self, name):
        return self._meta.model._meta.get_field(name).value_from_object(self.stored)

    def rebase(self):
        """Make the refused form as if opened now: fields its editor did not touch take the
        stored values, and the edited ones stay. Saving it again then keeps both edits."""
        touched = set(self.changed_data)
        if not getattr(self.data, "_mutable", True):
            self.data = self.data.copy()
        for name in self.tracked_names():
            bound = self[name]
            now = self._stored_value(name)
            prepared = bound.field.prepare_value(now)
            if name not in touched:
                _set_widget_value(self.data, bound, now, prepared)
            self.data[bound.html_initial_name] = (
                bound.field.hidden_widget().format_value(prepared) or ""
            )
        if self.is_versioned:
            self.data[self.add_prefix("version")] = str(self.stored.version)

    @property
    def has_content_changes(self):
        return any(name in self.changed_data for name in self.tracked_names())

    def save(self, commit=True):
        if self.is_change and (self.has_content_changes or self.is_revert):
            self.new_version()
        return super().save(commit)

    def new_version(self):
        """Make the coming save a new version of the row: a first edit records the row as it
        was, so the edit can be diffed and reverted. The save moves the version on from the
        stored one (a revert's instance carries the old version's number)."""
        record_baseline(self.stored)
        if self.is_versioned:
            self.instance.version = self.stored.version


def _set_widget_value(data, bound, value, prepared):
    widget = bound.field.widget
    if isinstance(widget, forms.CheckboxInput):
        if value:
            data[bound.html_name] = "on"
        else:
            data.pop(bound.html_name, None)
        return
    formatted = widget.format_value(prepared)
    if isinstance(formatted, list):
        formatted = formatted[0] if formatted else ""
    data[bound.html_name] = "" if formatted is None else str(formatted)


class EditorForm(VersionedForm):
    """The form of the record an admin page edits: asks why (kept in its history) and locks the
    row while checking its version, so two saves of one record cannot interleave."""

    change_reason = forms.CharField(
        label="Reason for change",
        max_length=100,
        help_text="Kept in the history and shown on the public list of changes, e.g. "
        "“winner from the ISU results”.",
    )
    locks_row = True
    # The reason offered when the save applies a reader's suggestion (the admin sets it).
    suggested_reason = ""
    # Set by the admin once the page's inline rows are saved: the record is saved after them.
    rows_saved = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reason = self.fields["change_reason"]
        if self.suggested_reason and not self.is_revert:
            reason.initial = self.suggested_reason
        if not self.is_change:
            reason.required = False
            reason.initial = self.suggested_reason or "added in admin"
        elif self.is_revert:
            record = getattr(self.instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME)
            when = date_format(timezone.localtime(record.history_date), "j F Y H:i")
            reason.initial = f"reverted to the version of {when}"

    @property
    def reason(self):
        return self.cleaned_data.get("change_reason") or self.fields["change_reason"].initial


class SourcedFormSet(BaseInlineFormSet):
    """The inline rows of a record's page. A stored row its editor left as it was is not
    checked again: Django saves only the rows that changed, and checking the others would cost
    each its queries (every choice fetched, every constraint asked, its place looked up) for a
    row the save does not write. A row whose stored version moved since the page was opened
    counts as changed (its version field differs), so it is checked and the save refused with
    what changed meanwhile, as before."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if i < self.initial_form_count():
            # Django's own short cut for forms that may stay empty (the extra rows): an
            # unchanged form is valid without cleaning, and its cleaned_data stays empty.
            form.empty_permitted = True
        return form


class ResultFormSet(SourcedFormSet):
    """A race's podium. Besides each row's own checks, catches a place given twice across rows:
    the rows are checked against the database one by one, so two new rows can agree. A dead
    heat is two rows at one place with ties 1 and 2."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # Each row's race is the race on the page, as this save has it: not fetched again for
        # every row (its name, its link, its checks), and a distance changed in the same save is
        # the one the rows are checked against (a relay's rows name nations).
        form.instance.race = self.instance
        return form

    def clean(self):
        rows_by_place = {}
        repeated = False
        for number, form in enumerate(self.forms, start=1):
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            place = form.cleaned_data.get("place")
            tie = form.cleaned_data.get("tie") or 1
            if place is None:
                continue
            if (place, tie) in rows_by_place:
                form.add_error(
                    "place",
                    f"Place {place} is used twice in this race "
                    f"(rows {rows_by_place[place, tie]} and {number}). For a dead heat, give "
                    f"the second tie {tie + 1}.",
                )
                repeated = True
            else:
                rows_by_place[place, tie] = number
        if not repeated:
            super().clean()


def inline_changes_meanwhile(formset):
    """Rows of an inline that appeared or went after the page was opened (rows present on both
    sides report their own changes): a list of strings for the conflict message."""
    model = formset.model
    pk_name = model._meta.pk.name
    posted = set()
    for form in formset.initial_forms:
        value = form.data.get(form.add_prefix(pk_name))
        if value:
            posted.add(str(value))
    stored = {str(obj.pk): obj for obj in formset.get_queryset()}
    label = model._meta.verbose_name
    lines = [
        f"{label.capitalize()} added: {row_label(stored[pk])}" for pk in stored.keys() - posted
    ]
    lines += [f"{label.capitalize()} removed: #{pk}" for pk in posted - stored.keys()]
    return sorted(lines)


def row_label(obj):
    if isinstance(obj, Result):
        return f"place {obj.place}, {obj.competitor_name}"
    if isinstance(obj, Race):
        return f"{obj.get_gender_display()} {obj.label}"
    if isinstance(obj, StandingsEntry):
        return f"row {obj.row}, {obj.points} points"
    return str(obj)


class FlagForm(VersionedForm):
    """Resolve (or reopen) one flag; a resolved flag needs a note saying how. Version-checked
    like every record: two editors resolving one flag at once must not end with one's name on
    the other's note."""

    resolved = forms.BooleanField(
        required=False,
        help_text="Tick once the record is right: corrected, or checked and kept as the source "
        "has it. Say which in the note.",
    )

    locks_row = True

    class Meta:
        model = Flag
        fields = ["resolution"]
        labels = {"resolution": "Note"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolved"].initial = self.instance.is_resolved

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("resolved") and not cleaned_data.get("resolution", "").strip():
            self.add_error("resolution", "Say how the flag was resolved.")
        return cleaned_data


class ResolveFlagsForm(forms.Form):
    """The note for resolving several flags at once (an admin action)."""

    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="How these flags were resolved, e.g. “dates corrected to 2012 from the ISU "
        "calendar”.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_fields(self)
