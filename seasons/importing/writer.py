"""Write parsed seasons to the database.

:func:`import_seasons` is all-or-nothing (one transaction) and idempotent: rows are matched on
their natural keys and only what changed is saved. Each imported row remembers the values the
importer wrote (``imported_values``), so a re-import can tell, field by field, an editor's
correction from an untouched value:

* the source and the row agree → unchanged;
* the row still holds what was imported → take the source's new value (updated);
* an editor changed the field and the source did not → keep the editor's value;
* both changed → a conflict: listed, and the editor's value kept unless ``overwrite``
  (which settles conflicts only; corrections the source does not contradict always stay).

Venues, nations and athletes, which many seasons share, are not upserted but found or created
(:mod:`.shared_rows`); the parser's doubts and the writer's become flags (:mod:`.flags`); what
the import did comes back as an :class:`~.report.ImportReport`.
"""

import json
from collections import Counter
from datetime import date

from django.db import models, transaction
from django.utils import timezone

from ..caching.versions import retiring_everything
from ..doubts import recheck
from ..models import (
    Flag,
    Meet,
    Race,
    Result,
    Season,
    SourceFile,
    StandingsEntry,
    StandingsTable,
    key_text,
)
from ..standings.check import check_standings
from ..vocabulary import RELAY_DISTANCES
from .deletions import deleted_keys
from .flags import write_flags
from .identity import refuse_second_article
from .records import ParsedSeason, Target
from .report import DELETED, MOVED_HERE, Conflict, ImportReport
from .shared_rows import SharedRows


def snapshot(value: object) -> object:
    """A JSON-able form of a field value; related rows by natural key, never by database id."""
    if isinstance(value, models.Model):
        return list(value.natural_key())
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [snapshot(item) for item in value]
    return value


NOW = object()
# The record whose admin page lists a row (a podium place in its race, a race in its meet, a
# standings row in its table): an import that adds or changes the row edits that record too.
CONTAINERS = {Result: "race", Race: "meet", StandingsEntry: "table"}


def import_seasons(
    parsed_seasons: list[ParsedSeason],
    *,
    overwrite: bool = False,
    dry_run: bool = False,
    replace: bool = False,
    imported_at=NOW,
) -> ImportReport:
    """Write every parsed season in one transaction; return an :class:`ImportReport`.

    A source is the season it describes, not its file name: the same article under another
    name changes nothing, and a different article for a season imported from another file is
    refused (a :class:`SourceError`) unless ``replace``.

    ``imported_at`` stamps new or changed source files (default: now; None leaves it unknown,
    as the bundled fixtures do).
    """
    report = ImportReport()
    stamp = timezone.now() if imported_at is NOW else imported_at
    with transaction.atomic(), retiring_everything():  # every cached page retired once
        deletions = deleted_keys()
        for parsed in parsed_seasons:
            if not replace:
                refuse_second_article(parsed)
            _SeasonWriter(parsed, report, overwrite, stamp, deletions).write()
        # What the data says, checked on the rows as written (an editor's correction the
        # import kept is what is checked, not the source's value).
        for season in Season.objects.filter(slug__in=[parsed.slug for parsed in parsed_seasons]):
            opened, closed = recheck(season)
            report.flags_created += opened
            report.flags_removed += closed
        # Check the published totals against each season's scoring rule (a season without
        # one gets the default rule; an existing rule is never overwritten).
        slugs = [parsed.slug for parsed in parsed_seasons]
        checked = check_standings(Season.objects.filter(slug__in=slugs))
        report.flags_created += checked.flags_created
        report.flags_removed += checked.flags_removed
        # Every open doubt about these seasons, for the command to list (read before a dry
        # run is rolled back).
        report.open_flags = [
            f"{name}:{line}: {message}"
            for name, line, message in Flag.objects.filter(
                season__slug__in=slugs, resolved_at__isnull=True
            )
            .order_by("source__name", "line", "kind")
            .values_list("source__name", "line", "message")
        ]
        if dry_run:
            # Everything above is undone as the block ends; the report says what it would be.
            transaction.set_rollback(True)
    return report


def differs(obj: models.Model, name: str, value: object) -> bool:
    """Whether ``obj``'s field ``name`` is not ``value``; a relation by id, without a query."""
    field = obj._meta.get_field(name)
    if field.is_relation:
        return getattr(obj, field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


class _SeasonWriter:
    def __init__(self, parsed, report, overwrite, stamp, deletions):
        self.parsed = parsed
        self.deletions = deletions
        self.stamp = stamp
        self.report = report
        self.overwrite = overwrite
        self.source = None
        # World Cup numbers are unique within a season: a meet in the way of another's new number
        # is parked at the end of the season (``make_room``) until its own turn comes.
        self.parked = {}  # meet pk: the number it had before it was parked
        self.placed = set()  # meets this import has saved at their number
        self.saved = set()  # (model, pk) of the rows this import has saved

    def write(self):
        parsed = self.parsed
        self.source = self.write_source()
        self.shared = SharedRows(self.source, self.report)
        season_key = [parsed.slug]
        season = self.upsert(
            Season,
            season_key,
            {"slug": parsed.slug},
            {
                "title": parsed.title,
                "start": parsed.start,
                "end": parsed.end,
                "infobox": parsed.infobox,
                "intro": parsed.intro,
                "intro_line": parsed.intro_line,
                "standings_note": parsed.standings_note,
                "counted_results": parsed.counted_results,
                "counted_of": parsed.counted_of,
                "see_also": parsed.see_also,
            },
            parsed.title_line,
        )
        if season is None:  # deleted by an editor: so is everything in it
            return
        # Rows an editor deleted are None here: what is under them is skipped with them.
        meets, races = {}, {}
        for parsed_meet in parsed.meets:
            meet_key = [*season_key, parsed_meet.slug]
            meet = self.upsert(
                Meet,
                meet_key,
                {"season": season, "slug": parsed_meet.slug},
                {
                    "city": parsed_meet.city,
                    "venue": self.shared.venue(parsed_meet),
                    "order": parsed_meet.order,
                    "start": parsed_meet.start,
                    "end": parsed_meet.end,
                },
                parsed_meet.line,
            )
            meets[parsed_meet.slug] = meet
            if meet is None:
                continue
            for parsed_race in parsed_meet.races:
                race_key = [*meet_key, *parsed_race.key]
                race = self.upsert(
                    Race,
                    race_key,
                    {
                        "meet": meet,
                        "gender": parsed_race.gender,
                        "distance": parsed_race.distance,
                        "number": parsed_race.number,
                    },
                    {"date": parsed_race.date, "record": parsed_race.record},
                    parsed_race.line,
                )
                races[(parsed_meet.slug, parsed_race.key)] = race
                if race is not None:
                    self.write_results(race, race_key, parsed_race, parsed_meet.slug)
        tables, entries = {}, {}
        for parsed_table in parsed.standings:
            table_key = [*season_key, *parsed_table.key]
            table = self.upsert(
                StandingsTable,
                table_key,
                {
                    "season": season,
                    "gender": parsed_table.gender,
                    "distance": parsed_table.distance,
                },
                {
                    "events_held": parsed_table.events_held,
                    "events_total": parsed_table.events_total,
                    "heading_inferred": parsed_table.heading_inferred,
                },
                parsed_table.line,
            )
            tables[parsed_table.key] = table
            if table is None:
                continue
            is_relay = parsed_table.distance in RELAY_DISTANCES
            for parsed_entry in parsed_table.entries:
                athlete, nation = self.shared.competitor(
                    parsed_entry.competitor,
                    is_relay=is_relay,
                    line=parsed_entry.line,
                    target=Target(table=parsed_table.key, row=parsed_entry.row),
                )
                entries[(parsed_table.key, parsed_entry.row)] = self.upsert(
                    StandingsEntry,
                    [*table_key, parsed_entry.row],
                    {"table": table, "row": parsed_entry.row},
                    {
                        "position": parsed_entry.position,
                        "athlete": athlete,
                        "nation": nation,
                        "points": parsed_entry.points,
                    },
                    parsed_entry.line,
                )
        self.settle_parked_meets()
        write_flags(
            self.source,
            [*parsed.anomalies, *self.shared.anomalies],
            self.report,
            season=season,
            found=(meets, races, tables, entries),
        )

    def write_source(self):
        parsed = self.parsed
        source = SourceFile.objects.filter(name=parsed.path).first()
        if source is None:
            # The same article under another file name: the season it describes is unchanged.
            twin = SourceFile.objects.filter(sha256=parsed.sha256).first()
            if twin is not None:
                self.report.same_as.append(f"{parsed.path} is {twin.name}, already imported")
                return twin
            return SourceFile.objects.create(
                name=parsed.path,
                sha256=parsed.sha256,
                line_count=parsed.line_count,
                text=parsed.text,
                imported_at=self.stamp,
            )
        if source.sha256 != parsed.sha256:
            source.sha256 = parsed.sha256
            source.line_count = parsed.line_count
            source.text = parsed.text
            source.imported_at = self.stamp
            source.save()
        return source

    def write_results(self, race, race_key, parsed_race, meet_slug):
        named = []
        ties = Counter()  # place: results at it so far (a dead heat has two)
        target = Target(meet=meet_slug, race=parsed_race.key)
        for parsed_result in parsed_race.results:
            athlete, nation = self.shared.competitor(
                parsed_result.competitor,
                is_relay=race.is_relay,
                line=parsed_result.line,
                target=target,
            )
            if athlete is None and nation is None:
                continue  # names nobody that can be kept (flagged): the place stays unknown
            place = parsed_result.place
            ties[place] += 1
            tie = ties[place]
            # The key of a result that shares no place is the race and the place, as it was
            # before dead heats were kept (Result.natural_key).
            key = [*race_key, place] if tie == 1 else [*race_key, place, tie]
            named.append(key_text(key))
            self.upsert(
                Result,
                key,
                {"race": race, "place": place, "tie": tie},
                {"athlete": athlete, "nation": nation, "time": parsed_result.time},
                parsed_result.line,
            )
        # A podium place the source no longer names is kept (an editor may have relied on it)
        # and reported, never deleted by an import. Known by the key it was imported under: a
        # result an editor moved to another place is not missing.
        race_prefix = key_text(race_key)[:-1] + ","
        gone = Result.objects.filter(
            source=self.source, imported_key__startswith=race_prefix
        ).exclude(imported_key__in=named)
        for result in gone:
            self.report.missing.append(str(result))

    def find(self, model, key, lookup):
        """The row the source's ``key`` names: the one imported under it, wherever an editor has
        since moved it; else the row now at ``lookup`` if it is not another imported row (an
        editor's own row, which then counts as that one). ``(row or None, occupant or None)``:
        the occupant is an imported row an editor moved into this row's place."""
        obj = model.objects.filter(imported_key=key_text(key)).first()
        if obj is not None:
            return obj, None
        obj = model.objects.filter(**lookup).first()
        if obj is not None and obj.imported_key:
            return None, obj
        return obj, None

    def upsert(self, model, key, lookup, values, line):
        """Create or update the row the source names by ``key`` (its natural key), found at
        ``lookup`` (the same, by its parent rows); ``None`` if it is not in the archive by an
        editor's doing (deleted, or its place taken)."""
        report = self.report
        new = {name: snapshot(value) for name, value in values.items()}
        obj, occupant = self.find(model, key, lookup)
        reason = f"imported from {self.source.name}"
        if occupant is not None:
            # An editor moved another imported row here (a result to this place): creating the
            # source's row would need its place. The editor's arrangement stays until settled.
            moved_from = json.loads(occupant.imported_key)
            report.conflicts.append(Conflict(self.describe(occupant), MOVED_HERE, new, moved_from))
            return None
        if obj is None and self.stays_deleted(model, key, model(**lookup), new):
            return None
        if obj is None:
            obj = model(
                **lookup,
                **values,
                source=self.source,
                source_line=line,
                imported_values=new,
                imported_key=key_text(key),
            )
            obj._change_reason = reason
            self.save(obj)
            report.count("created", obj)
            return obj

        # A meet parked by this import to make room is compared as it was before.
        unparked = model is Meet and obj.pk in self.parked
        if unparked:
            obj.order = self.parked.pop(obj.pk)
        moved = [name for name, value in lookup.items() if differs(obj, name, value)]
        if moved:
            # Found where an editor moved it: the editor's correction, kept like any other.
            report.kept.append(f"{self.describe(obj)}: {', '.join(moved)} (moved by an editor)")

        imported = obj.imported_values
        changed, conflicted = {}, set()
        for name, value in values.items():
            current = snapshot(getattr(obj, name))
            if current == new[name]:
                continue
            # A field the last import did not write (one added to the model since) holds what
            # it was created with unless an editor has set it.
            as_imported = imported.get(name, snapshot(obj._meta.get_field(name).get_default()))
            editor_changed = as_imported != current
            source_changed = imported.get(name) != new[name]
            if not editor_changed:
                changed[name] = value
            elif not source_changed:
                # The editor's correction of a value the source still says: not a conflict.
                report.kept.append(f"{self.describe(obj)}: {name}")
            else:
                report.conflicts.append(Conflict(self.describe(obj), name, new[name], current))
                if self.overwrite:
                    changed[name] = value
                else:
                    conflicted.add(name)
        # What the source says now becomes the reference for the next import, except where a
        # conflict was kept: that one is reported again until an editor or --overwrite settles it.
        reference = {
            name: (imported.get(name) if name in conflicted else new[name]) for name in values
        }
        provenance_moved = obj.source_id != self.source.pk or obj.source_line != line
        # An editor's own row at the source's place becomes the source's row from now on.
        provenance_moved = provenance_moved or obj.imported_key != key_text(key)
        if not changed and reference == imported and not provenance_moved and not unparked:
            report.count("unchanged", obj)
            return obj
        for name, value in changed.items():
            setattr(obj, name, value)
        obj.source = self.source
        obj.source_line = line
        obj.imported_values = reference
        obj.imported_key = key_text(key)
        obj._change_reason = reason
        self.save(obj)
        report.count("updated" if changed or provenance_moved else "unchanged", obj)
        return obj

    def save(self, obj):
        if isinstance(obj, Meet):
            self.make_room(obj)
            obj.save()
            self.placed.add(obj.pk)
        else:
            obj.save()
        self.saved.add((type(obj), obj.pk))
        self.touch_container(obj)

    def touch_container(self, obj):
        """Move on the version of the record whose page lists ``obj`` (once per import, unless
        the import saved that record itself), so that an editor who has that page open is told
        it changed, not stopped by "place already taken" or saving over the import."""
        name = CONTAINERS.get(type(obj))
        if name is None:
            return
        container = getattr(obj, name)
        if (type(container), container.pk) in self.saved:
            return
        self.saved.add((type(container), container.pk))
        what = obj._meta.verbose_name
        container._change_reason = f"imported from {self.source.name}: a {what} added or changed"
        container.save(update_fields=["version"])

    def make_room(self, meet):
        """Before ``meet`` is saved as World Cup N of its season, move the meet now numbered N
        (one the source has renumbered, or no longer lists) to the end of the season, where it
        waits for its own number. One this import has already numbered N stays; ``meet`` then
        goes to the end instead, and the clash is reported."""
        season_meets = Meet.objects.filter(season_id=meet.season_id)
        holder = season_meets.filter(order=meet.order).exclude(pk=meet.pk).first()
        if holder is None:
            return
        end = season_meets.aggregate(last=models.Max("order"))["last"] + 1
        if holder.pk in self.placed:
            clash = f"{end} ({holder} is {meet.order})"
            self.report.conflicts.append(Conflict(self.describe(meet), "order", meet.order, clash))
            meet.order = end
            return
        # A plain UPDATE: a passing state, not an edit. The meet's own save records its number.
        season_meets.filter(pk=holder.pk).update(order=end)
        self.parked.setdefault(holder.pk, holder.order)

    def settle_parked_meets(self):
        """Meets still parked once the source's meets are numbered (it no longer lists them, or
        an editor added them) follow those, in their old order: saved with their new number, and
        reported."""
        if not self.parked:
            return
        parked = list(Meet.objects.filter(pk__in=self.parked).select_related("season"))
        others = Meet.objects.filter(season_id=parked[0].season_id).exclude(pk__in=self.parked)
        number = others.aggregate(last=models.Max("order"))["last"] or 0
        for meet in sorted(parked, key=lambda meet: self.parked[meet.pk]):
            previous = self.parked.pop(meet.pk)
            number += 1
            meet.order = number
            meet._change_reason = (
                f"renumbered from {previous}: {self.source.name} gives World Cup {previous} "
                "to another meet"
            )
            meet.save()
            self.report.missing.append(
                f"{self.describe(meet)}: not in the source at World Cup {previous}, "
                f"now World Cup {number}"
            )

    def stays_deleted(self, model, key, obj, new):
        """Whether the row the source names by ``key`` (``obj``: unsaved, for its label) stays
        deleted: an editor deleted it, and the source says of it what it said then. If the
        source has changed it since, that is a conflict, which ``--overwrite`` settles by
        re-creating it."""
        deletion = self.deletions.get((model, tuple(key)))
        if deletion is None:
            return False
        by = deletion.deleted_by.get_full_name() if deletion.deleted_by else ""
        when = f"{deletion.deleted_at:%Y-%m-%d}"
        label = f"{self.describe(obj)} (deleted {f'by {by} ' if by else ''}on {when})"
        if deletion.imported_values == new:
            self.report.deleted.append(label)
            return True
        self.report.conflicts.append(Conflict(label, DELETED, new, None))
        if not self.overwrite:
            return True
        deletion.delete()
        del self.deletions[model, tuple(key)]
        return False

    @staticmethod
    def describe(obj):
        return f"{obj._meta.verbose_name} {obj}"
