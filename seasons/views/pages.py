"""The archive's HTML pages. Function views: each names the joins it needs through the
documented QuerySet methods of ``seasons.models``, and tests pin every page's query count. Each
page's data (JSON, iCalendar, the preview card) is served by ``data.py``."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.text import Truncator
from django_tables2 import RequestConfig

from .. import athlete_index
from .. import search as archive_search
from ..careers import career
from ..corrections import CHANGES_SHOWN, recent_corrections
from ..doubts import dates_in_doubt
from ..limits import (
    SOURCE_LINE_PAGE,
    SOURCE_LINE_SHOWN,
    SOURCE_PAGE_BUDGET,
    SOURCE_PAGE_LINES,
    source_page_start,
)
from ..models import (
    Athlete,
    Flag,
    Meet,
    Race,
    Result,
    Season,
    SourceFile,
    StandingsEntry,
    Venue,
)
from ..tables import (
    FLAG_TITLE_SHOWN,
    MESSAGE_SHOWN,
    FlagTable,
    SourceFileTable,
    VenueTable,
)
from ..templatetags.archive import span_text
from .nations import get_nation

# The front page shows the latest seasons in full and the rest as a list of links: a page that
# showed every season's calendar would grow with every season the archive gains.
FRONT_PAGE_SEASONS = 4


def home(request):
    seasons = Season.objects.newest_first()
    context = {
        "latest": seasons.with_summary().with_meets().with_source()[:FRONT_PAGE_SEASONS],
        "earlier": seasons.only("slug", "title")[FRONT_PAGE_SEASONS:],
    }
    return render(request, "seasons/home.html", context)


def season_list(request):
    seasons = Season.objects.newest_first().with_summary().with_meets()
    return render(request, "seasons/season_list.html", {"seasons": seasons})


def season_detail(request, season):
    season = get_object_or_404(
        Season.objects.with_summary().with_neighbours().with_source(), slug=season
    )
    meets = list(
        season.meets.select_related("venue").with_dates().with_calendar().order_by("order")
    )
    context = {
        "season": season,
        "season_flags": season.flags.shown().on_season().with_source().order_by("kind", "line"),
        "meets": meets,
        "standings": season.standings.with_leaders(),
        "description": season_description(season, meets),
    }
    return render(request, "seasons/season_detail.html", context)


def meet_detail(request, season, meet):
    meet = get_object_or_404(
        Meet.objects.select_related("season", "venue").with_dates().with_neighbours().with_source(),
        season__slug=season,
        slug=meet,
    )
    races = list(
        Race.objects.filter(meet=meet).in_calendar_order().with_podium().with_flags().with_source()
    )
    context = {
        "meet": meet,
        "races": races,
        "flags": meet.flags.shown().with_targets().with_source().order_by("kind", "line"),
        "title": f"{meet.city} {meet.season.years}, World Cup {meet.order} of "
        f"{meet.meets_in_season}",
        "description": meet_description(meet, races),
        "card": reverse(
            "seasons:meet-card", kwargs={"season": meet.season.slug, "meet": meet.slug}
        ),
    }
    return render(request, "seasons/meet_detail.html", context)


def venue_list(request):
    venues = RequestConfig(request, paginate=False).configure(
        VenueTable(Venue.objects.with_meets())
    )
    return render(request, "seasons/venue_list.html", {"venues": venues})


def venue_detail(request, venue):
    venue = get_object_or_404(Venue, slug=venue)
    meets = venue.meets.select_related("season").with_dates().order_by("season__slug", "order")
    return render(request, "seasons/venue_detail.html", {"venue": venue, "meets": meets})


def source_list(request):
    sources = RequestConfig(request, paginate=False).configure(
        SourceFileTable(SourceFile.objects.with_flag_counts().defer("text"))
    )
    return render(request, "seasons/source_list.html", {"sources": sources})


def source_detail(request, name):
    """A source file line by line with the flags raised on those lines, a page at a time: up to
    SOURCE_PAGE_LINES lines from a line (``?from=201``; a line's address says where its page
    starts: ``source_line_url``), fewer if their HTML would pass SOURCE_PAGE_BUDGET. A line too
    long to show whole is cut, its rest one link away (``?line=257``). So no page grows past
    about 200 KB, whatever the file holds (seasons/limits.py)."""
    source = get_object_or_404(SourceFile.objects.with_flag_counts(), name=name)
    texts = source.text.splitlines()
    single_line = "line" in request.GET
    if single_line:
        first = line_number(request.GET["line"], len(texts))
        last, shown = first, SOURCE_LINE_PAGE
    else:
        first = line_number(request.GET.get("from", "1"), max(1, len(texts)))
        last, shown = min(first + SOURCE_PAGE_LINES - 1, len(texts)), SOURCE_LINE_SHOWN
    flags_by_line = {}
    flags = Flag.objects.filter(source=source, line__range=(first, last)).with_targets()
    for flag in flags.defer("source__text"):
        flags_by_line.setdefault(flag.line, []).append(flag)
    lines, spent = [], 0
    for number in range(first, last + 1):
        text, hidden = shown_part(texts[number - 1], shown)
        line_flags = flags_by_line.get(number, [])
        spent += html_cost(text, line_flags)
        if lines and spent > SOURCE_PAGE_BUDGET:
            break
        lines.append((number, text, hidden, line_flags))
    last = lines[-1][0] if lines else first
    shown_flags = [flag for *_, line_flags in lines for flag in line_flags]
    context = {
        "source": source,
        "flags": RequestConfig(request, paginate=False).configure(FlagTable(shown_flags)),
        "lines": lines,
        "first": first,
        "last": last,
        "line_total": len(texts),
        "single_line": single_line,
        "previous_from": max(1, first - SOURCE_PAGE_LINES) if first > 1 else None,
        "next_from": last + 1 if last < len(texts) else None,
        "page_start": source_page_start(first),
    }
    context["paged"] = bool(context["previous_from"] or context["next_from"])
    return render(request, "seasons/source_detail.html", context)


def line_number(value, highest):
    """``value`` as a line number from 1 to ``highest``; else there is no such page."""
    if not value.isdigit() or not 1 <= int(value) <= highest:
        raise Http404("No such line in this source.")
    return int(value)


def shown_part(text, budget):
    """``(shown, hidden)``: the longest start of ``text`` whose HTML (escaped) fits in
    ``budget`` characters, and how many characters are left out."""
    if len(text) * 6 <= budget:  # escaping at most sextuples a character (" → &quot;)
        return text, 0
    size = 0
    for index, character in enumerate(text):
        size += len(escape(character))
        if size > budget:
            return text[:index], len(text) - index
    return text, 0


# What a line and a flag cost on the page beyond their texts: markup, links, the flag's row.
LINE_MARKUP, FLAG_MARKUP = 200, 600


def html_cost(text, flags):
    """About how much HTML a line of the source page takes, its flags (mark and row) included."""
    cost = len(escape(text)) + LINE_MARKUP
    for flag in flags:
        message = Truncator(flag.message)
        cost += FLAG_MARKUP + len(escape(message.chars(MESSAGE_SHOWN)))
        cost += len(escape(message.chars(FLAG_TITLE_SHOWN)))
    return cost


def page_not_found(request, exception):
    """The 404 page offers a way on: the seasons, newest first."""
    seasons = Season.objects.newest_first().only("slug", "title")
    return render(request, "404.html", {"seasons": seasons}, status=404)


def season_description(season, meets):
    """A link preview's summary: the stops of the season and what the page holds."""
    cities = ", ".join(meet.city for meet in meets)
    stops = f"{len(meets)} World Cups ({cities})" if meets else "no World Cups yet"
    return (
        f"The {season.title}: {stops}, {season.race_count} races with their podiums, "
        f"{season.table_count} standings tables."
    )


def meet_description(meet, races):
    """A link preview's summary: when and where, then every podium the source gives."""
    where = f"{meet.venue.arena}, {meet.city}" if meet.venue.arena else meet.city
    parts = [
        f"World Cup {meet.order} of {meet.meets_in_season} of the {meet.season.years} ISU Short "
        f"Track Speed Skating World Cup, {where}, {span_text(meet.starts, meet.ends)}"
        + (" (dates in doubt: see the notes on the page)." if dates_in_doubt(races) else ".")
    ]
    parts += [f"{race.podium_summary}." for race in races if race.has_podium]
    return " ".join(parts)


# Athletes, search and the change log (the nations' pages are in ``nations.py``).


def athlete_list(request):
    """Every athlete, by name and by nation. A small archive lists them all here; a large one
    gives the letters and nations, each a page of its own (``seasons.athlete_index``)."""
    athletes = athlete_index.sorted_athletes(athlete_index.with_career_span(Athlete.objects.all()))
    listed_in_full = len(athletes) <= athlete_index.LISTED_IN_FULL
    context = {
        "index": athlete_index.index(athletes),
        "listed": athlete_index.by_letter(athletes) if listed_in_full else [],
    }
    return render(request, "seasons/athlete_list.html", context)


def athletes_by_name(request, letter):
    """The athletes filed under one letter (``other``: under none), with the A to Z to go on."""
    if letter not in athlete_index.LETTERS:
        raise Http404(f"No letter {letter!r} in the index of athletes.")
    athletes = athlete_index.sorted_athletes(athlete_index.with_career_span(Athlete.objects.all()))
    index = athlete_index.index(athletes)
    context = {
        "index": index,
        "letter": next(entry for entry in index.letters if entry.letter == letter),
        "athletes": [a for a in athletes if athlete_index.letter_of(a.name) == letter],
    }
    return render(request, "seasons/athletes_by_name.html", context)


def athletes_by_nation(request, ioc):
    """The athletes of one nation, or (``unknown``) those whose nation is not known."""
    if ioc == athlete_index.UNKNOWN_NATION:
        nation, athletes = None, Athlete.objects.filter(nation__isnull=True)
    else:
        nation = get_nation(ioc)
        if ioc != nation.code.lower():
            return redirect("seasons:athletes-by-nation", ioc=nation.code.lower(), permanent=True)
        athletes = Athlete.objects.filter(nation=nation)
    context = {
        "nation": nation,
        "athletes": athlete_index.sorted_athletes(athlete_index.with_career_span(athletes)),
    }
    return render(request, "seasons/athletes_by_nation.html", context)


def athlete_detail(request, slug):
    """An athlete's career: medals and standings places season by season, the nations they
    skated for, their first and last World Cup, then every known result and standings row."""
    athlete = get_object_or_404(Athlete.objects.select_related("nation"), slug=slug)
    results = list(Result.objects.for_athlete(athlete))
    standings = list(StandingsEntry.objects.for_athlete(athlete))
    context = {
        "athlete": athlete,
        "results": results,
        "podium_count": sum(1 for result in results if result.place <= 3),
        "standings": standings,
        "career": career(results, standings),
        # Same name, another athlete (another nation): linked, never merged.
        "namesakes": list(
            Athlete.objects.filter(name=athlete.name)
            .exclude(pk=athlete.pk)
            .select_related("nation")
        ),
    }
    return render(request, "seasons/athlete_detail.html", context)


def search(request):
    results = archive_search.search(request.GET.get("q", ""))
    context = {
        "results": results,
        "too_short": 0 < len(results.query) < archive_search.MIN_QUERY_LENGTH,
        "min_length": archive_search.MIN_QUERY_LENGTH,
        "max_length": archive_search.MAX_QUERY_LENGTH,
    }
    return render(request, "seasons/search.html", context)


def changes(request):
    """The editors' recent corrections, newest first: what, when, by whom (a public label,
    never a username) and why. A fixed number, not a pager: older ones stay in each record's
    history, and the feed carries the same list. One query: the log is written when editors
    save (seasons/corrections.py)."""
    corrections = recent_corrections(limit=CHANGES_SHOWN, with_fixes=True)
    context = {"corrections": corrections, "shown": CHANGES_SHOWN}
    return render(request, "seasons/changes.html", context)
