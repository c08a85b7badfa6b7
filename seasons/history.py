"""Editors' corrections, read from django-simple-history.

:func:`recent_corrections` is what a public "recent changes" page lists; :func:`admin_change_url`
is where a staff "Edit" link points; :func:`record_baseline` lets a row's first correction be
diffed and reverted.

A correction is a historical record with a user: edits made in the admin. Imports and fixture
loads run without a request, so they have no user and are not corrections.
"""

import copy
from dataclasses import dataclass
from datetime import date, datetime
from heapq import merge

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import ForeignKey, OuterRef, Subquery
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import capfirst

from .models import (
    Athlete,
    Meet,
    Nation,
    Race,
    Result,
    ScoringRule,
    Season,
    StandingsEntry,
    StandingsTable,
    Venue,
)

# The relations each model's ``__str__`` and ``get_absolute_url`` follow, loaded in the same query.
RELATIONS = {
    Season: (),
    Venue: (),
    Meet: ("season",),
    Race: ("meet__season",),
    Result: ("race__meet__season", "athlete__nation", "nation"),
    StandingsTable: ("season",),
    StandingsEntry: ("table__season", "athlete__nation", "nation"),
    Athlete: ("nation",),
    Nation: (),
    ScoringRule: ("season",),
}
CORRECTED_MODELS = tuple(RELATIONS)
# Bookkeeping, not content: a save that changed only these is no correction.
BOOKKEEPING_FIELDS = ["version", "source", "source_line"]
BASELINE_REASON = "as it was before the first edit in admin"
ACTIONS = {"+": "added", "~": "changed", "-": "deleted"}
EMPTY = "—"


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str

    def __str__(self):
        return f"{self.field}: {self.old} → {self.new}"


@dataclass(frozen=True)
class Correction:
    """One saved edit of one record, ready to show: nothing in it queries the database."""

    when: datetime
    kind: str  # the model's verbose name, capitalised: "Result"
    record: str  # the record as it read after the edit (before it, for a deletion)
    url: str | None  # its public page, if it has one
    action: str  # "added", "changed" or "deleted"
    changes: tuple[FieldChange, ...]  # for "changed": what changed, old → new
    who: str  # a public label: the editor's full name, else "an editor"
    reason: str

    @property
    def summary(self):
        """``Result Nagoya 2011–12 Men 500 m: 1. X — changed athlete: — → X``."""
        detail = "; ".join(str(change) for change in self.changes)
        return f"{self.kind} {self.record} — {self.action}" + (f" {detail}" if detail else "")


def recent_corrections(limit=50):
    """The newest editors' corrections across the archive models, newest first.

    Queries stay constant whatever ``limit`` is: per model one for the records (with their
    users, the relations their labels need and the id of each one's previous record) and one
    for those previous records; then one per related model whose values changed. Saves that
    changed nothing but bookkeeping (a race's version bumped for an edit of its podium) are left
    out, so a page may get fewer than ``limit``.
    """
    per_model = [_records(model, limit) for model in CORRECTED_MODELS]
    newest_first = merge(*per_model, key=lambda record: record.history_date, reverse=True)
    corrections = []
    for record in newest_first:
        delta = None
        if record.history_type == "~" and record.previous is not None:
            delta = record.diff_against(record.previous, excluded_fields=BOOKKEEPING_FIELDS)
            if not delta.changes:
                continue
        corrections.append((record, delta))
        if len(corrections) == limit:
            break
    labels = _related_labels(corrections)
    return [_correction(record, delta, labels) for record, delta in corrections]


def _records(model, limit):
    history = model.history.model
    previous = history.objects.filter(
        id=OuterRef("id"), history_date__lt=OuterRef("history_date")
    ).order_by("-history_date", "-history_id")
    records = list(
        history.objects.filter(history_user__isnull=False)
        .select_related("history_user", *RELATIONS[model])
        .annotate(previous_id=Subquery(previous.values("history_id")[:1]))
        .order_by("-history_date", "-history_id")[:limit]
    )
    wanted = [record.previous_id for record in records if record.history_type == "~"]
    previous_records = history.objects.in_bulk([pk for pk in wanted if pk is not None])
    for record in records:
        record.previous = previous_records.get(record.previous_id)
    return records


def _related_labels(corrections):
    """``{(related model, pk): label}`` for every foreign key value a change shows."""
    wanted = {}
    for record, delta in corrections:
        for change in delta.changes if delta else ():
            field = record.instance_type._meta.get_field(change.field)
            if isinstance(field, ForeignKey):
                ids = wanted.setdefault(field.related_model, set())
                ids.update(value for value in (change.old, change.new) if value is not None)
    labels = {}
    for model, ids in wanted.items():
        related = model._default_manager.select_related(*RELATIONS.get(model, ()))
        for pk, obj in related.in_bulk(ids).items():
            labels[model, pk] = str(obj)
    return labels


def _correction(record, delta, labels):
    model = record.instance_type
    # Not ``record.instance``: for a model with excluded fields that reads the live row, a query
    # per record. The record's select_related relations go along, so labels and URLs need none.
    instance = model(
        **{field.attname: getattr(record, field.attname) for field in record.tracked_fields}
    )
    instance._state.fields_cache.update(record._state.fields_cache)
    try:
        label = str(instance)
        url = instance.get_absolute_url() if hasattr(instance, "get_absolute_url") else None
    except ObjectDoesNotExist:  # a deletion whose parent went too
        label, url = f"#{record.id}", None
    changes = []
    for change in delta.changes if delta else ():
        field = model._meta.get_field(change.field)
        changes.append(
            FieldChange(
                capfirst(field.verbose_name),
                _display(field, change.old, labels),
                _display(field, change.new, labels),
            )
        )
    user = record.history_user
    return Correction(
        when=record.history_date,
        kind=capfirst(model._meta.verbose_name),
        record=label,
        url=url,
        action=ACTIONS[record.history_type],
        changes=tuple(changes),
        who=user.get_full_name() or "an editor",
        reason=record.history_change_reason or "",
    )


def _display(field, value, labels):
    if value is None or value == "":
        return EMPTY
    if isinstance(field, ForeignKey):
        return labels.get((field.related_model, value), EMPTY)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, date):
        return date_format(value, "j F Y")
    return str(value)


def record_baseline(obj):
    """Record ``obj``'s state as it is in the database, if it has no history yet.

    Rows loaded from fixtures have none (``loaddata`` saves raw, which django-simple-history
    skips), so their first correction would have nothing to be diffed against or reverted to.
    ``obj`` must hold the database values, not an edited form's.
    """
    manager = type(obj).history
    if manager.filter(id=obj.pk).exists():
        return
    baseline = copy.copy(obj)
    baseline._history_user = None  # not the editor about to save: the state they found
    manager.bulk_history_create([baseline], default_change_reason=BASELINE_REASON)


def admin_change_url(obj):
    """The admin page that edits ``obj``: where a staff "Edit" link on its public page points."""
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
