"""Editors' corrections, logged from django-simple-history as they are saved.

A correction is a historical record with a user: an edit made in the admin, a revert included.
Imports and fixture loads run without a request, so they have no user and are not corrections.

:func:`log_correction` writes each one to the :class:`~seasons.models.Correction` log when it is
saved, with its diff and the labels it shows worked out then: an editor's save spends a few
queries so that :func:`recent_corrections`, which any visitor of /changes/ triggers, costs one.
:func:`record_baseline` lets a row's first correction be diffed and reverted. :func:`collecting`
gathers what one save logged (the editor's "saved" message) and links it to the reader's
suggestion the save applies.
"""

import copy
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import ForeignKey, Model, Prefetch, Q
from django.utils.formats import date_format
from django.utils.text import capfirst
from simple_history.signals import post_create_historical_record

from .models import (
    Athlete,
    AthleteAlias,
    Correction,
    CorrectionAction,
    FieldChange,
    Flag,
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

# The archive models whose edits are corrections, each with the relations its ``__str__`` follows
# (loaded with it when a change names one of its rows).
RELATIONS = {
    Season: (),
    Venue: (),
    Meet: ("season",),
    Race: ("meet__season",),
    Result: ("race__meet__season", "athlete__nation", "nation"),
    StandingsTable: ("season",),
    StandingsEntry: ("table__season", "athlete__nation", "nation"),
    Athlete: ("nation",),
    AthleteAlias: ("athlete",),
    Nation: (),
    ScoringRule: ("season",),
}
CORRECTED_MODELS = tuple(RELATIONS)
# Bookkeeping, not content: a save that changed only these is no correction.
BOOKKEEPING_FIELDS = ["version", "source", "source_line"]
BASELINE_REASON = "as it was before the first edit in admin"
ACTIONS = {
    "+": CorrectionAction.ADDED,
    "~": CorrectionAction.CHANGED,
    "-": CorrectionAction.DELETED,
}
EMPTY = "—"


# How many corrections /changes/ and its feed show.
CHANGES_SHOWN = 50


def recent_corrections(limit=CHANGES_SHOWN, with_fixes=False):
    """The newest editors' corrections across the archive models, newest first, each with the
    reader's suggestion it applied: one query, whatever ``limit`` is and however many models the
    corrections touch."""
    corrections = Correction.objects.select_related("suggestion")
    if with_fixes:
        # With the doubts each closed (seasons.doubts), for /changes/: one query more.
        fixed = Prefetch("fixed_flags", queryset=Flag.objects.with_source().order_by("line"))
        corrections = corrections.prefetch_related(fixed)
    return list(corrections[:limit])


class SavedCorrections(list):
    """The corrections logged inside one :func:`collecting` block, in the order saved."""

    def __init__(self, suggestion=None):
        super().__init__()
        self.suggestion = suggestion


_collecting = ContextVar("collecting_corrections", default=None)


@contextmanager
def collecting(suggestion=None):
    """Collect the corrections logged inside the block: what one editor's save changed, for the
    message that tells them. Each is linked to ``suggestion`` (a reader's), when the save
    applies one. A context variable, not a request attribute: the log is written from
    django-simple-history's signal, which knows no request."""
    saved = SavedCorrections(suggestion)
    token = _collecting.set(saved)
    try:
        yield saved
    finally:
        _collecting.reset(token)


def connect():
    """Log the corrections of every corrected model. Called from ``SeasonsConfig.ready()``."""
    for model in CORRECTED_MODELS:
        post_create_historical_record.connect(
            log_correction,
            sender=model.history.model,
            dispatch_uid=f"correction-log:{model._meta.label}",
        )


LOGGED_ELSEWHERE = "_correction_logged_elsewhere"


def log_correction_elsewhere(obj):
    """Leave ``obj``'s coming save out of the change log (its history still records it): it is
    part of a larger correction that logs itself once (a merge of two athletes moves dozens of
    rows, seasons.merging)."""
    setattr(obj, LOGGED_ELSEWHERE, True)


def log_correction(sender, instance, history_instance, history_user, using=None, **kwargs):
    """Log the historical record just saved if it is a correction.

    A save that changed nothing but bookkeeping (a race's version bumped for an edit of its
    podium) is left out. A change with no earlier record to compare with (a row loaded from
    fixtures and edited without a baseline) is logged without its fields.
    """
    if history_user is None or getattr(instance, LOGGED_ELSEWHERE, False):
        return
    model = sender.instance_type
    changes = []
    if history_instance.history_type == "~":
        previous = _previous(history_instance, using)
        if previous is not None:
            delta = history_instance.diff_against(previous, excluded_fields=BOOKKEEPING_FIELDS)
            if not delta.changes:
                return
            changes = _field_changes(model, delta.changes, using)
    try:
        label = str(instance)
        url = instance.get_absolute_url() if hasattr(instance, "get_absolute_url") else ""
    except ObjectDoesNotExist:  # a deletion whose parent went first
        label, url = f"#{instance.pk}", ""
    saved = _collecting.get()
    correction = Correction.objects.using(using).create(
        when=history_instance.history_date,
        kind=str(capfirst(model._meta.verbose_name)),
        record=label,
        url=url,
        action=ACTIONS[history_instance.history_type],
        changes=[asdict(change) for change in changes],
        who=history_user.get_full_name() or "an editor",
        reason=history_instance.history_change_reason or "",
        user=history_user,
        content_type=ContentType.objects.db_manager(using).get_for_model(model),
        object_id=getattr(history_instance, model._meta.pk.attname),
        suggestion=saved.suggestion if saved is not None else None,
    )
    if saved is not None:
        saved.append(correction)


def _previous(record, using):
    """The record's historical record before ``record``, if any."""
    earlier = Q(history_date__lt=record.history_date) | Q(
        history_date=record.history_date, history_id__lt=record.history_id
    )
    return (
        type(record)
        .objects.using(using)
        .filter(earlier, id=record.id)
        .order_by("-history_date", "-history_id")
        .first()
    )


def _field_changes(model, model_changes, using):
    """The ``FieldChange``s of a diff (whose foreign keys are ids), each value as the page shows
    it: a related row by its label as it reads at this save."""
    fields = [model._meta.get_field(change.field) for change in model_changes]
    wanted = {}
    for field, change in zip(fields, model_changes, strict=True):
        if isinstance(field, ForeignKey):
            ids = wanted.setdefault(field.related_model, set())
            ids.update(value for value in (change.old, change.new) if value is not None)
    labels = {}
    for related_model, ids in wanted.items():
        rows = related_model._default_manager.using(using).select_related(
            *RELATIONS.get(related_model, ())
        )
        for pk, obj in rows.in_bulk(ids).items():
            labels[related_model, pk] = str(obj)
    return [
        FieldChange(
            str(capfirst(field.verbose_name)),
            display(field, change.old, labels),
            display(field, change.new, labels),
        )
        for field, change in zip(fields, model_changes, strict=True)
    ]


def display(field, value, labels=None):
    """A model field's value as an editor reads it: a choice by its label ("No record" is one),
    a related row by its name, yes/no, a date in words, "—" for none. The admin's conflict
    message and the change log both show values so. A related row comes as the row, or as its id
    with ``labels`` naming it (``{(model, id): label}``), as a diff gives it."""
    if field.choices:
        choices = {str(key): label for key, label in field.flatchoices}
        if str(value) in choices:
            return str(choices[str(value)])
    if value is None or value == "":
        return EMPTY
    if isinstance(value, Model):
        return str(value)
    if labels is not None and isinstance(field, ForeignKey):
        return labels.get((field.related_model, value), EMPTY)
    if isinstance(value, bool):
        return "yes" if value else "no"
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
