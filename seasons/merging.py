"""Editors' corrections of who is who: two athletes found to be one person are merged, and a
result given to the wrong athlete is moved to the right one.

A merge moves everything of the merged athlete to the one that stays: results and standings rows
(each keeping the nation it was raced for), aliases, and the names it went by, which become
aliases of the survivor so that search and the next import find the survivor by them. The merged
athlete's pages answer 301 to the survivor's (``django.contrib.redirects``, as for old slugs).
The moved rows' history records the move with the editor and the reason; the change log shows
the merge as one correction (not one per moved row), with the reason.
"""

from dataclasses import asdict, dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .corrections import log_correction_elsewhere, record_baseline
from .models import Athlete, AthleteAlias, Correction, CorrectionAction, FieldChange, Result
from .redirects import redirect_paths


@dataclass(frozen=True)
class Merge:
    """What a merge moved, for the editor's message and the change log."""

    merged: str
    survivor: Athlete
    results: int
    standings: int
    aliases: int

    def __str__(self):
        return (
            f"{self.merged} merged into {self.survivor}: {self.results} results, "
            f"{self.standings} standings places and {self.aliases} names moved"
        )


def athlete_paths(athlete):
    """The public paths of an athlete: the page and its JSON."""
    return [
        athlete.get_absolute_url(),
        reverse("seasons:athlete-json", kwargs={"slug": athlete.slug}),
    ]


def edited_by(obj, user, reason):
    """Mark ``obj``'s coming save as ``user``'s, for ``reason``, logged by the merge itself."""
    obj._history_user = user
    obj._change_reason = reason
    log_correction_elsewhere(obj)


def merge_athletes(survivor: Athlete, merged: Athlete, *, user, reason: str) -> Merge:
    """Merge ``merged`` into ``survivor`` (see the module docstring), in one transaction."""
    if survivor.pk == merged.pk:
        raise ValidationError("An athlete cannot be merged into itself.")
    with transaction.atomic():
        label = str(merged)
        moved = {"results": 0, "standings": 0}
        for name in moved:
            for row in getattr(merged, name).all():
                record_baseline(row)
                row.athlete = survivor
                if row.nation_id is None and merged.nation_id != survivor.nation_id:
                    # Counted for the merged athlete's nation until now: it stays so.
                    row.nation_id = merged.nation_id
                if row.imported_values.get("athlete") == [merged.slug]:
                    # The next import finds the survivor by the merged names (aliases below).
                    row.imported_values = {**row.imported_values, "athlete": [survivor.slug]}
                edited_by(row, user, reason)
                row.save()
                moved[name] += 1
        aliases = move_names(survivor, merged, user, reason)
        redirect_paths(dict(zip(athlete_paths(merged), athlete_paths(survivor), strict=True)))
        record_baseline(merged)
        edited_by(merged, user, reason)
        merged.delete()
        merge = Merge(label, survivor, moved["results"], moved["standings"], aliases)
        Correction.objects.create(
            when=timezone.now(),
            kind="Athlete",
            record=str(merge),
            url=survivor.get_absolute_url(),
            action=CorrectionAction.MERGED,
            changes=[asdict(FieldChange("Athlete", label, str(survivor)))],
            who=user.get_full_name() or "an editor",
            reason=reason,
            user=user,
            content_type=ContentType.objects.get_for_model(Athlete),
            object_id=survivor.pk,
        )
    return merge


def move_names(survivor, merged, user, reason):
    """Give ``survivor`` the aliases of ``merged`` and the names it went by (as an editor's
    aliases: they name the survivor whatever nation a source gives); fill a missing native
    name or nation. Return how many names moved."""
    known = {survivor.name, *survivor.aliases.values_list("name", flat=True)}
    count = 0
    for alias in merged.aliases.all():
        if alias.name in known:
            continue  # the merged athlete's copy goes with it
        record_baseline(alias)
        alias.athlete = survivor
        edited_by(alias, user, reason)
        alias.save()
        known.add(alias.name)
        count += 1
    # What the survivor does not know yet, the merged athlete may: its native name, its nation.
    filled = {}
    if merged.native_name and not survivor.native_name:
        filled["native_name"] = merged.native_name
        known.add(merged.native_name)
        count += 1
    if merged.nation_id and not survivor.nation_id:
        filled["nation_id"] = merged.nation_id
    if filled:
        record_baseline(survivor)
        for field, value in filled.items():
            setattr(survivor, field, value)
        edited_by(survivor, user, reason)
        survivor.save()
    for name in (merged.name, merged.imported_name, merged.native_name):
        if name and name not in known and name != survivor.native_name:
            alias = AthleteAlias(athlete=survivor, name=name)
            edited_by(alias, user, reason)
            alias.save()
            known.add(name)
            count += 1
    return count


def move_result(result: Result, athlete: Athlete, *, user, reason: str) -> Result:
    """Give ``result`` to ``athlete``: an editor's correction like any other, in the result's
    history and the change log with the reason. Refused (``ValidationError``) where the admin
    form would refuse it: a relay, or an athlete who never raced for the result's nation."""
    record_baseline(Result.objects.get(pk=result.pk))
    result.athlete = athlete
    result.clean()
    result._history_user = user
    result._change_reason = reason
    result.save()
    return result
