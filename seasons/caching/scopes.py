"""What a page shows and what a change retires, in one vocabulary of *scopes*.

A scope names a part of the archive that pages show:

==========================  ===============================================================
``season:2011-12``          a season's own pages: the season, its JSON and calendar
``places:2011-12``          what follows from who placed where in a season, not from times:
                            its standings (overview and tables, JSON and CSV), its medal table
``meet:2011-12/nagoya``     a meet's page, its JSON, calendar and preview card
``athlete:<slug>``          an athlete's page and JSON
``nation:kor``              a nation's pages and JSON
``venue:<slug>``            a venue's page and JSON
``calendar``                the lists of seasons and venues: dates, race and doubt counts
``tables``                  the lists that count each season's standings tables (the front
                            page, the seasons) or link each table's page (the sitemap)
``athletes``                the athlete index, search and the sitemap: names and podium counts
``nations``                 the nations' medal tables
``sources``                 the source files and the doubts raised on their lines
``changes``                 the list and feed of editors' corrections
``all``                     every page: a change this module cannot place (a season, meet,
                            venue or nation renamed: their names are on pages everywhere)
``~any``                    any change at all (the whole-archive download)
==========================  ===============================================================

The read side, :func:`page_scopes`, follows from a page's URL alone (its name and arguments),
so a cached page is checked without a query of its own. The write side, :func:`row_scopes`,
follows from a row and whatever it points at: a result's race gives its meet and season, its
athlete and nation their pages. A row that changes retires the scopes of what it was and of
what it is (``seasons.caching.versions`` passes both), so a result moved to another athlete
retires both athletes' pages.

Frequent edits (results, races, standings, doubts, athletes) are placed exactly; rare ones that
show everywhere (a season, meet, venue or nation renamed, a source replaced) retire ``all``.
"""

from ..models import (
    Athlete,
    AthleteAlias,
    Correction,
    Deletion,
    Flag,
    Meet,
    Nation,
    Race,
    Result,
    ScoringRule,
    Season,
    StandingsEntry,
    StandingsTable,
)

ALL = "all"
ANY = "~any"

# URL name (in the ``seasons`` namespace, or the project's) -> the scopes its page shows, as
# templates over the URL's arguments. tests/test_page_scopes.py checks that every public URL
# name is here.
PAGE_SCOPES = {
    "home": ("calendar", "tables"),
    "season-list": ("calendar", "tables"),
    "season": ("season:{season}",),
    "season-json": ("season:{season}",),
    "season-calendar": ("season:{season}",),
    "standings": ("places:{season}",),
    "standings-table": ("places:{season}",),
    "standings-json": ("places:{season}",),
    "meet": ("meet:{season}/{meet}",),
    "meet-json": ("meet:{season}/{meet}",),
    "meet-calendar": ("meet:{season}/{meet}",),
    "meet-card": ("meet:{season}/{meet}",),
    "venue-list": ("calendar",),
    "venue": ("venue:{venue}",),
    "venue-json": ("venue:{venue}",),
    "nation-list": ("nations",),
    "nation-list-json": ("nations",),
    "season-medals": ("places:{season}",),
    "nation": ("nation:{ioc}",),
    "nation-json": ("nation:{ioc}",),
    "nation-season": ("nation:{ioc}",),
    "athlete-list": ("athletes",),
    "athletes-by-name": ("athletes",),
    "athletes-by-nation": ("athletes",),
    "athlete": ("athlete:{slug}",),
    "athlete-json": ("athlete:{slug}",),
    "search": ("athletes",),
    "source-list": ("sources",),
    "source": ("sources",),
    "changes": ("changes",),
    "changes-feed": ("changes",),
    "data": (ANY,),
    "data-download": (ANY,),
    "sitemap": ("athletes", "tables"),
    "robots-txt": (),
}


def page_scopes(url_name, kwargs):
    """The scopes a page shows, ``all`` included; a page not in ``PAGE_SCOPES`` shows every
    change (``~any``), so forgetting one costs speed, never a stale page."""
    templates = PAGE_SCOPES.get(url_name)
    if templates is None:
        return frozenset({ALL, ANY})
    values = {key: str(value).lower() for key, value in kwargs.items()}
    return frozenset({ALL, *(template.format(**values) for template in templates)})


# The write side


def row_scopes(instance):
    """The scopes showing ``instance`` as it is now (its saved or deleted values); ``{ALL}`` for a
    row this module cannot place."""
    for model, scopes_of in WRITE_SIDE:
        if isinstance(instance, model):
            return scopes_of(instance)
    return {ALL}


def changed_scopes(stored, instance):
    """The scopes a save retires: those of the row as it was (``stored``, None for a new row) and
    as it is, less those that only show where it placed when a result's placing is unchanged
    (a time added or corrected changes no standings, medal table or podium count)."""
    scopes = row_scopes(instance) | (row_scopes(stored) if stored is not None else set())
    if isinstance(instance, Result) and stored is not None and placing(stored) == placing(instance):
        scopes = {scope for scope in scopes if not scope.startswith(PLACING_SCOPES)}
    return scopes


# Scopes that show a result's placing (who, for whom, where), never its time.
PLACING_SCOPES = ("places:", "athletes", "nations")


def placing(result):
    return (result.race_id, result.place, result.tie, result.athlete_id, result.nation_id)


def only_version_saved(instance, update_fields):
    """A save that moved nothing but the version (a race after its podium: the podium's rows
    retire the pages): no page shows a version."""
    return update_fields is not None and set(update_fields) <= {"version"}


def result_scopes(result):
    scopes = {"athletes", "nations", *race_scopes_of(result.race_id)}
    scopes |= athlete_page_scopes(result.athlete_id)
    scopes |= nation_scopes(result.nation_id)
    return scopes


def race_scopes(race):
    """A race's meet and season, the lists that show its date, and every page that lists it: its
    competitors' and their nations' pages."""
    scopes = {"calendar", "athletes", *race_scopes_of(race.pk, meet_id=race.meet_id)}
    return scopes | competitor_scopes(Result.objects.filter(race_id=race.pk))


def competitor_scopes(rows):
    """The pages of everyone ``rows`` (results or standings entries) name: each athlete's, their
    nation's and the row's own nation's."""
    scopes = set()
    named = rows.values_list("athlete__slug", "athlete__nation__code", "nation__code")
    for slug, athlete_nation, nation in named:
        scopes |= {f"athlete:{slug}"} if slug else set()
        scopes |= code_scopes(athlete_nation) | code_scopes(nation)
    return scopes


def race_scopes_of(race_id, meet_id=None):
    """``meet:…`` and ``season:…`` of a race (by its meet when the race is not saved yet), and
    the venue whose page lists the meet's dates."""
    if meet_id is not None:
        row = Meet.objects.filter(pk=meet_id).values_list("season__slug", "slug", "venue__slug")
    else:
        row = Race.objects.filter(pk=race_id).values_list(
            "meet__season__slug", "meet__slug", "meet__venue__slug"
        )
    found = row.first()
    if found is None:  # deleted with its meet: the meet's own deletion retires everything
        return {ALL}
    season, meet, venue = found
    return {*season_slug_scopes(season), f"meet:{season}/{meet}", f"venue:{venue}"}


def athlete_page_scopes(athlete_id):
    """An athlete's page and their nation's (which lists its athletes)."""
    if athlete_id is None:
        return set()
    found = Athlete.objects.filter(pk=athlete_id).values_list("slug", "nation__code").first()
    if found is None:
        return set()
    slug, code = found
    return {f"athlete:{slug}", *code_scopes(code)}


def nation_scopes(nation_id):
    if nation_id is None:
        return set()
    code = Nation.objects.filter(pk=nation_id).values_list("code", flat=True).first()
    return code_scopes(code)


def code_scopes(code):
    """The nation pages of an IOC code (their URLs carry it in small letters)."""
    return {f"nation:{code.lower()}"} if code else set()


def athlete_scopes(athlete):
    """An athlete's name is on their page, their nation's, the index and search, and on every
    meet and standings page that lists them."""
    scopes = {"athletes", "nations", f"athlete:{athlete.slug}"}
    scopes |= nation_scopes(athlete.nation_id)
    if athlete.pk is None:
        return scopes
    raced = Result.objects.filter(athlete_id=athlete.pk).values_list(
        "race__meet__season__slug", "race__meet__slug", "nation__code"
    )
    for season, meet, code in raced.distinct():
        scopes |= {*season_slug_scopes(season), f"meet:{season}/{meet}", *code_scopes(code)}
    ranked = StandingsEntry.objects.filter(athlete_id=athlete.pk)
    for slug in ranked.values_list("table__season__slug", flat=True).distinct():
        scopes |= season_slug_scopes(slug)
    return scopes


def alias_scopes(alias):
    return {"athletes", *athlete_page_scopes(alias.athlete_id)}


def standings_table_scopes(table):
    """A table's season pages, its competitors', and the lists that count or link tables."""
    entries = StandingsEntry.objects.filter(table_id=table.pk)
    return {"tables", *season_scopes(table.season_id)} | competitor_scopes(entries)


def standings_entry_scopes(entry):
    found = StandingsTable.objects.filter(pk=entry.table_id).values_list("season_id").first()
    scopes = season_scopes(found[0]) if found else {ALL}
    return scopes | athlete_page_scopes(entry.athlete_id) | nation_scopes(entry.nation_id)


def season_scopes(season_id):
    slug = Season.objects.filter(pk=season_id).values_list("slug", flat=True).first()
    return season_slug_scopes(slug) if slug else {ALL}


def season_slug_scopes(slug):
    """A season's pages, those that show times and those that show placings only."""
    return {f"season:{slug}", f"places:{slug}"}


def scoring_rule_scopes(rule):
    return season_scopes(rule.season_id)


def flag_scopes(flag):
    """A doubt shows on its season's and meet's pages (a race's on its meet's), on its source's
    lines, in the lists' doubt counts, and once closed by a correction, on /changes/."""
    scopes = {"calendar", "sources", "changes", *season_scopes(flag.season_id)}
    if flag.race_id is not None:
        scopes |= race_scopes_of(flag.race_id)
    elif flag.meet_id is not None:
        scopes |= race_scopes_of(None, meet_id=flag.meet_id)
    return scopes


def log_scopes(row):
    return {"changes"}


# Most specific first: every archive model not named here retires ``all``.
WRITE_SIDE = [
    (Result, result_scopes),
    (Race, race_scopes),
    (Athlete, athlete_scopes),
    (AthleteAlias, alias_scopes),
    (StandingsEntry, standings_entry_scopes),
    (StandingsTable, standings_table_scopes),
    (ScoringRule, scoring_rule_scopes),
    (Flag, flag_scopes),
    (Correction, log_scopes),
    (Deletion, log_scopes),
]
