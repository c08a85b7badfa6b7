"""Reverting a race brings its podium back too: the results as they stood at that version.

django-simple-history reverts one row's fields. A race's podium is other rows (results), so the
race's revert form (:class:`RaceForm`) works out, while it checks the race, what its results were
at the version chosen, and the save restores them before the race: each result changed back,
deleted or brought back, each with the revert's reason, so /changes/ lists what the revert did.

"As they stood at that version": every save of a race's form or of the meet screen saves the race
after its rows (seasons/admin/base.py), so the race's historical record is the last of its edit,
and the results at its date are the results that edit left. A result never edited has no history
(fixtures load without it): it is as it was loaded, then as now. A result's first edit records
its state before (``record_baseline``), which held from its loading until that edit; a deletion
of a row never edited records the state it was loaded with.

A restored row may land on a place another row now holds (in this race, or in the race it moved
back to): the revert is refused before anything is saved, naming the place, so that the editor
can free it first. That check mirrors the database's one-result-per-place rule, and only it.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import F
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from ..corrections import BASELINE_REASON, record_baseline
from ..importing.deletions import deletion_key, record_deletion
from ..models import Athlete, Deletion, Nation, Race, Result, key_text
from .forms import EditorForm

# What a restore copies back from a result's historical record: where it stood and whom it names
# (its provenance comes with it, so a restored imported row still links its source line).
RESTORED_FIELDS = ("race_id", "place", "athlete_id", "nation_id", "source_id", "source_line")
# Rows that change place are parked past any real place first, so that two rows swapping places
# never meet on one (the database allows one result per place).
PARKED = 10_000


@dataclass
class PodiumRestore:
    """What reverting ``race`` does to results: rows to delete and rows to set back, each
    ``(row now or None, fields as they were)``."""

    race: Race
    delete: list = field(default_factory=list)
    restore: list = field(default_factory=list)

    @property
    def is_empty(self):
        return not self.delete and not self.restore


def is_baseline(record):
    return record.history_user_id is None and record.history_change_reason == BASELINE_REASON


def results_as_of(race, when):
    """``({id: fields}, {id: fields elsewhere}, rows now)``: the race's results at ``when`` (by
    result id, with their fields then), the rows in the race now that stood in another race
    then, and the race's rows now."""
    history = Result.history.model
    now = {row.pk: row for row in Result.objects.filter(race=race)}
    ids = set(history.objects.filter(race_id=race.pk).values_list("id", flat=True)) | set(now)
    records = {}
    for record in history.objects.filter(id__in=ids).order_by("history_date", "history_id"):
        records.setdefault(record.id, []).append(record)
    then, elsewhere = {}, {}
    for pk in ids:
        state = state_at(records.get(pk, []), now.get(pk), when)
        if state is None:
            continue
        if state["race_id"] == race.pk:
            then[pk] = state
        elif pk in now:
            elsewhere[pk] = state
    return then, elsewhere, now


def state_at(records, row_now, when):
    """A result's fields at ``when`` from its historical records (oldest first), or None if it
    did not exist then."""
    if not records:
        # Never edited since it was loaded: as it is now.
        return {name: getattr(row_now, name) for name in RESTORED_FIELDS}
    before = [record for record in records if record.history_date <= when]
    if before:
        record = before[-1]
        if record.history_type == "-":
            return None  # deleted by then
    elif is_baseline(records[0]) or records[0].history_type != "+":
        # It was there before its history began (loaded from fixtures): its baseline, or the
        # record of its deletion, holds the state it was loaded with.
        record = records[0]
    else:
        return None  # created after ``when``
    return {name: getattr(record, name) for name in RESTORED_FIELDS}


def plan_podium_restore(race, when):
    """What reverting ``race`` to its version of ``when`` does to its results; ValidationError
    (nothing done) if a row cannot come back as it was."""
    then, elsewhere, now = results_as_of(race, when)
    plan = PodiumRestore(race)
    for pk, row in now.items():
        if pk not in then and pk not in elsewhere:
            plan.delete.append(row)
    rows_elsewhere = Result.objects.in_bulk([pk for pk in then if pk not in now])
    for pk, state in [*then.items(), *elsewhere.items()]:
        row = now.get(pk) or rows_elsewhere.get(pk)
        if row is None or any(getattr(row, name) != value for name, value in state.items()):
            plan.restore.append((row, {"id": pk, **state}))
    check_restorable(plan)
    return plan


def check_restorable(plan):
    errors = []
    athletes = {state["athlete_id"] for _, state in plan.restore} - {None}
    nations = {state["nation_id"] for _, state in plan.restore} - {None}
    found = Athlete.objects.filter(pk__in=athletes).count() + (
        Nation.objects.filter(pk__in=nations).count()
    )
    if found < len(athletes) + len(nations):
        errors.append(
            "The podium of that version names an athlete or nation deleted since: it cannot be "
            "restored. Revert with the race form's podium instead."
        )
    moving = {state["id"] for _, state in plan.restore} | {row.pk for row in plan.delete}
    races = {state["race_id"] for _, state in plan.restore}
    taken = {
        (row.race_id, row.place): row
        for row in Result.objects.filter(race_id__in=races).exclude(pk__in=moving)
    }
    for _, state in plan.restore:
        key = (state["race_id"], state["place"])
        if key in taken:
            errors.append(
                f"Place {state['place']} of {Race.objects.get(pk=state['race_id'])} is now held "
                f"by {taken[key].competitor_name}, where the version reverted to had another "
                "result: move or delete that result first."
            )
        taken[key] = state
    if errors:
        raise ValidationError(errors, code="podium_not_restorable")


def restore_podium(plan, reason, user):
    """Carry out ``plan``: deletions first, then rows that change place parked, then each row set
    back (or brought back) and saved with ``reason`` by ``user``."""
    for row in plan.delete:
        record_deletion(row, user)
        row._change_reason, row._history_user = reason, user
        row.delete()
    existing = [row for row, _ in plan.restore if row is not None]
    for row in existing:
        record_baseline(Result.objects.get(pk=row.pk))
    Result.objects.filter(pk__in=[row.pk for row in existing]).update(place=F("place") + PARKED)
    for row, state in plan.restore:
        if row is None:
            row = brought_back(state)
        else:
            for name, value in state.items():
                setattr(row, name, value)
        row._change_reason, row._history_user = reason, user
        row.save()


def brought_back(state):
    """A deleted result, as it was, under its old id. An imported one takes back what the
    importer knew of it, and its deletion is forgotten: the next import finds it again."""
    row = Result(**state)
    row._state.adding = True
    if row.source_id:
        model, key = deletion_key(row)
        content_type = ContentType.objects.get_for_model(model)
        deletion = Deletion.objects.filter(content_type=content_type, key=key).first()
        if deletion is not None:
            row.imported_values = deletion.imported_values
            row.imported_key = key_text(key)
            deletion.delete()
    return row


class RaceForm(EditorForm):
    """The race's form; on its revert page, also works out the podium to restore (refused, with
    the reason, when it cannot be)."""

    podium_restore = None

    def clean(self):
        cleaned_data = super().clean()
        if self.is_revert and self.is_change and not self.errors:
            record = getattr(self.instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME)
            self.podium_restore = plan_podium_restore(self.stored, record.history_date)
        return cleaned_data
