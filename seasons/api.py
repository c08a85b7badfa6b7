"""JSON documents: the data of each page, at a stable URL next to it (``/seasons/2011-12.json``).

The shapes are documented in ``docs/API.md`` and specified by ``docs/api/*.schema.json``; the
tests validate every document against its schema. Conventions, in one place:

- Unknown is ``null``, never an empty string or a missing key: a podium place nobody is known
  for, an athlete the source does not name, a venue's arena the source leaves out.
- Every imported record carries ``source``: ``{"file", "line", "url"}``, the source line the
  fact came from (``null`` for a record an editor added).
- Links are site-relative paths, so a document does not change with the host that serves it.
- Lists keep the pages' order: meets by their order in the season, races in calendar order,
  standings rows as published.

Each ``*_document`` function runs a fixed number of queries, whatever the size of the data.
"""

from django.db.models import Prefetch
from django.urls import reverse

from .careers import career
from .medals import build_table, dead_heat_shifts, medal_tables, nation_medals, tally
from .models import (
    Race,
    Result,
    Season,
    SourceFile,
    StandingsEntry,
    StandingsTable,
    source_line_url,
)


def blank_to_none(value):
    return value if value not in ("", None) else None


def iso(day):
    return day.isoformat() if day else None


class Provenance:
    """Source file names by id, read once per document (the sources' text stays in the DB)."""

    def __init__(self):
        self.names = dict(SourceFile.objects.values_list("pk", "name"))

    def __call__(self, record):
        if record.source_id is None:
            return None
        name, line = self.names[record.source_id], record.source_line
        return {"file": name, "line": line, "url": source_line_url(name, line)}


class Doubts:
    """The open flags a document carries, read once (one query) and handed out by what each
    concerns: a race, a standings table (its rows' flags too), a meet, the season itself."""

    def __init__(self, flags):
        self.by_target = {}
        for flag in flags.open().order_by("line", "kind"):
            if flag.race_id:
                key = ("race", flag.race_id)
            elif flag.table_id:
                key = ("table", flag.table_id)
            elif flag.meet_id:
                key = ("meet", flag.meet_id)
            else:
                key = ("season", flag.season_id)
            self.by_target.setdefault(key, []).append(flag)

    def __call__(self, kind, record):
        return [
            {
                "kind": flag.kind,
                "label": flag.get_kind_display(),
                "message": flag.message,
                "source": {
                    "file": flag.source.name,
                    "line": flag.line,
                    "url": flag.source_url,
                },
            }
            for flag in self.by_target.get((kind, record.pk), [])
        ]


def season_ref(season):
    return season_link(season.slug, season.title)


def season_link(slug, title):
    """A season reference from its slug and title (a neighbour's, as ``with_neighbours()``
    annotates them), or None when there is none."""
    if slug is None:
        return None
    return {"slug": slug, "title": title, "url": reverse("seasons:season", kwargs={"season": slug})}


def nation_ref(nation):
    if nation is None:
        return None
    return {
        "code": nation.code,
        "name": nation.name,
        "country": blank_to_none(nation.country.code),
        "url": nation.get_absolute_url(),
    }


def athlete_ref(athlete):
    if athlete is None:
        return None
    return {
        "slug": athlete.slug,
        "name": athlete.name,
        "nation": athlete.nation.code if athlete.nation_id else None,
        "url": athlete.get_absolute_url(),
    }


def venue_ref(venue):
    return {
        "slug": venue.slug,
        "name": str(venue),
        "city": venue.city,
        "arena": blank_to_none(venue.arena),
        "country": blank_to_none(venue.country.code),
        "url": venue.get_absolute_url(),
    }


def meet_ref(meet, season):
    return meet_link(season.slug, meet.slug, meet.city, meet.order)


def meet_link(season, slug, city, order):
    """A meet reference from its fields (a neighbour's, as ``with_neighbours()`` annotates
    them)."""
    return {
        "season": season,
        "slug": slug,
        "city": city,
        "order": order,
        "url": reverse("seasons:meet", kwargs={"season": season, "meet": slug}),
    }


def medal_counts(medals):
    return {
        "gold": medals.gold,
        "silver": medals.silver,
        "bronze": medals.bronze,
        "total": medals.total,
    }


def medal_table(table):
    return {
        "races": table.races,
        "nations": [
            {"rank": row.rank, "nation": nation_ref(row.nation), **medal_counts(row.medals)}
            for row in table.rows
        ],
        "unknown": medal_counts(table.unknown),
    }


def result_item(result, provenance):
    return {
        "place": result.place,
        "tie": result.tie,
        "athlete": athlete_ref(result.athlete),
        "nation": nation_ref(result.nation),
        "time": blank_to_none(result.time),
        "source": provenance(result),
    }


def race_item(race, season, meet, provenance, doubts):
    url = reverse("seasons:meet", kwargs={"season": season.slug, "meet": meet.slug})
    return {
        "key": race.anchor,
        "gender": race.gender,
        "distance": race.distance,
        "number": race.number,
        "is_relay": race.is_relay,
        "title": race.title,
        "date": iso(race.date),
        "record": blank_to_none(race.record),
        "url": f"{url}#{race.anchor}",
        "source": provenance(race),
        "flags": doubts("race", race),
        # One result per place, as ever: a dead heat's others are in "results" (tie 2 …).
        "podium": [
            result_item(results[0], provenance) if results else None for _, results in race.podium
        ],
        "results": [result_item(result, provenance) for result in race.results.all()],
    }


def entry_item(entry, provenance):
    return {
        "row": entry.row,
        "position": entry.position,
        "athlete": athlete_ref(entry.athlete),
        "nation": nation_ref(entry.nation),
        "points": entry.points,
        "source": provenance(entry),
    }


def table_item(table, season, provenance, doubts):
    url = reverse("seasons:standings-table", kwargs={"season": season.slug, "table": table.anchor})
    return {
        "key": table.anchor,
        "gender": table.gender,
        "distance": table.distance,
        "title": table.title,
        "is_relay": table.is_relay,
        "events_held": table.events_held,
        "events_total": table.events_total,
        "heading_inferred": table.heading_inferred,
        "url": url,
        "source": provenance(table),
        "flags": doubts("table", table),
        "entries": [entry_item(entry, provenance) for entry in table.entries.all()],
    }


# Reads: each one query (a prefetch adds one), with every join named.


def _tables(season):
    entries = StandingsEntry.objects.select_related("athlete__nation", "nation")
    return StandingsTable.objects.filter(season=season).prefetch_related(
        Prefetch("entries", queryset=entries)
    )


def season_document(season):
    """Everything the season page shows; ``season`` comes with its neighbours
    (``Season.objects.with_neighbours()``, as the page reads it) (seven queries)."""
    provenance = Provenance()
    doubts = Doubts(season.flags.with_source())
    meets = list(season.meets.select_related("venue").with_dates().order_by("order"))
    races = list(Race.objects.filter(meet__season=season).with_podium().in_calendar_order())
    races_by_meet = {meet.pk: [] for meet in meets}
    for race in races:
        races_by_meet[race.meet_id].append(race)
    podium_results = [
        result for race in races for result in race.results.all() if result.place <= 3
    ]
    return {
        "kind": "season",
        "slug": season.slug,
        "title": season.title,
        "url": season.get_absolute_url(),
        "calendar": reverse("seasons:season-calendar", kwargs={"season": season.slug}),
        "start": iso(season.start),
        "end": iso(season.end),
        "intro": blank_to_none(season.intro),
        "infobox": [list(pair) for pair in season.infobox],
        "see_also": list(season.see_also),
        "previous": season_link(season.previous_slug, season.previous_title),
        "next": season_link(season.next_slug, season.next_title),
        "source": provenance(season),
        "flags": doubts("season", season),
        "meets": [
            {
                **meet_ref(meet, season),
                "venue": venue_ref(meet.venue),
                "starts": iso(meet.starts),
                "ends": iso(meet.ends),
                "source": provenance(meet),
                "flags": doubts("meet", meet),
                "races": [
                    race_item(race, season, meet, provenance, doubts)
                    for race in races_by_meet[meet.pk]
                ],
            }
            for meet in meets
        ],
        "standings": standings_part(season, list(_tables(season)), provenance, doubts),
        "medals": medal_table(
            build_table(
                len(races),
                tally(podium_results),
                dead_heat_shifts((result.place, result.tie) for result in podium_results),
            )
        ),
    }


def standings_part(season, tables, provenance, doubts):
    return {
        "url": reverse("seasons:standings", kwargs={"season": season.slug}),
        "note": blank_to_none(season.standings_note),
        "counted_results": season.counted_results,
        "counted_of": season.counted_of,
        "tables": [table_item(table, season, provenance, doubts) for table in tables],
    }


def standings_document(season):
    """The season's standings tables (five queries)."""
    provenance = Provenance()
    doubts = Doubts(season.flags.filter(table__isnull=False).with_source())
    return {
        "kind": "standings",
        "season": season_ref(season),
        **standings_part(season, list(_tables(season)), provenance, doubts),
    }


def meet_document(meet):
    """One World Cup stop and its races; ``meet`` comes as the page reads it: with its season,
    venue, dates and neighbours (``select_related("season", "venue").with_dates()
    .with_neighbours()``) (four queries)."""
    provenance = Provenance()
    doubts = Doubts(meet.flags.with_source())
    season = meet.season
    races = Race.objects.filter(meet=meet).with_podium().in_calendar_order()
    return {
        "kind": "meet",
        **meet_ref(meet, season),
        "season": season_ref(season),
        "of": meet.meets_in_season,
        "calendar": reverse(
            "seasons:meet-calendar", kwargs={"season": season.slug, "meet": meet.slug}
        ),
        "venue": venue_ref(meet.venue),
        "starts": iso(meet.starts),
        "ends": iso(meet.ends),
        "previous": neighbour_in_season(meet, "previous"),
        "next": neighbour_in_season(meet, "next"),
        "source": provenance(meet),
        "flags": doubts("meet", meet),
        "races": [race_item(race, season, meet, provenance, doubts) for race in races],
    }


def neighbour_in_season(meet, side):
    """The meet before (``side="previous"``) or after (``"next"``) ``meet`` in its own season,
    from the ``with_neighbours()`` annotations; None at the season's ends. The document stays
    within the season, where the page's pager goes on to the next season."""
    season = getattr(meet, f"{side}_season")
    if season != meet.season.slug:
        return None
    fields = (getattr(meet, f"{side}_{name}") for name in ("slug", "city", "order"))
    return meet_link(season, *fields)


def venue_document(venue):
    """A venue and every meet held there, across seasons (three queries)."""
    provenance = Provenance()
    meets = venue.meets.select_related("season").with_dates().order_by("season__slug", "order")
    return {
        "kind": "venue",
        **venue_ref(venue),
        "source": provenance(venue),
        "meets": [
            {
                **meet_ref(meet, meet.season),
                "season_title": meet.season.title,
                "starts": iso(meet.starts),
                "ends": iso(meet.ends),
            }
            for meet in meets
        ],
    }


def placing_context(result):
    """Where a result was placed: its season, meet and race."""
    race, meet = result.race, result.race.meet
    url = reverse("seasons:meet", kwargs={"season": meet.season.slug, "meet": meet.slug})
    return {
        "season": season_ref(meet.season),
        "meet": meet_ref(meet, meet.season),
        "race": {
            "key": race.anchor,
            "title": race.title,
            "date": iso(race.date),
            "is_relay": race.is_relay,
            "url": f"{url}#{race.anchor}",
        },
    }


def result_placing(result, provenance):
    return {**placing_context(result), **result_item(result, provenance)}


def standings_placing(entry, provenance):
    table = entry.table
    return {
        "season": season_ref(table.season),
        "table": {
            "key": table.anchor,
            "title": table.title,
            "is_relay": table.is_relay,
            "url": table.get_absolute_url(),
        },
        **entry_item(entry, provenance),
    }


def nation_document(nation):
    """A nation's medals, podiums and standings places across seasons (six queries)."""
    provenance = Provenance()
    podiums = list(Result.objects.for_nation(nation).podiums())
    all_time, season_medals = nation_medals(nation, podiums, Season.objects.newest_first())
    standings = StandingsEntry.objects.for_nation(nation)
    return {
        "kind": "nation",
        **nation_ref(nation),
        "medals": {
            "all_time": medal_counts(all_time),
            "seasons": [
                {"season": season_ref(season), **medal_counts(medals)}
                for season, medals in season_medals
            ],
        },
        "podiums": [result_placing(result, provenance) for result in podiums],
        "standings": [standings_placing(entry, provenance) for entry in standings],
    }


def athlete_document(athlete):
    """An athlete's career, results and standings places, as the athlete page shows them;
    ``athlete`` comes with its nation (four queries)."""
    provenance = Provenance()
    results = list(Result.objects.for_athlete(athlete))
    standings = list(StandingsEntry.objects.for_athlete(athlete))
    return {
        "kind": "athlete",
        **athlete_ref(athlete),
        "nation": nation_ref(athlete.nation),
        "career": career_part(career(results, standings)),
        "results": [result_placing(result, provenance) for result in results],
        "standings": [standings_placing(entry, provenance) for entry in standings],
    }


def career_part(summary):
    """``seasons.careers.Career`` as data: medals (seasons newest first, as every medal list),
    the nations skated for with the seasons that name each, the first and last World Cup."""
    first, last = summary.first_meet, summary.last_meet
    return {
        "medals": {
            "all_time": medal_counts(summary.medals),
            "seasons": [
                {"season": season_ref(row.season), **medal_counts(row.medals)}
                for row in reversed(summary.seasons)
            ],
        },
        "nations": [
            {
                "nation": nation_ref(spell.nation),
                "seasons": [season_ref(season) for season in spell.seasons],
            }
            for spell in summary.nations
        ],
        "first_world_cup": meet_ref(first, first.season) if first else None,
        "last_world_cup": meet_ref(last, last.season) if last else None,
    }


def nations_document(nations):
    """Every nation and the medal tables, all-time and per season (three queries)."""
    nations = list(nations)
    by_season, all_time = medal_tables(nations)
    return {
        "kind": "nations",
        "url": reverse("seasons:nation-list"),
        "nations": [nation_ref(nation) for nation in nations],
        "medals": {
            "all_time": medal_table(all_time),
            "seasons": [
                {"season": season_ref(season), **medal_table(table)}
                for season, table in by_season.items()
            ],
        },
    }
