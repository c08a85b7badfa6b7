"""The public archive. Function views: each names the joins it needs through the documented
QuerySet methods of models.py, and tests/test_views.py pins every page's query count."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django_tables2 import RequestConfig
from django_tables2.export import TableExport

from .models import Flag, Meet, Race, Season, SourceFile, Venue
from .tables import (
    EXPORT_FORMATS,
    FlagTable,
    SourceFileTable,
    StandingsEntryTable,
    VenueTable,
    standings_entry_table,
)
from .templatetags.archive import span_text


def home(request):
    seasons = Season.objects.newest_first().with_summary().with_meets().with_source()
    return render(request, "seasons/home.html", {"seasons": seasons})


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
        "season_flags": season.flags.on_season().with_source().order_by("kind", "line"),
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
        "flags": meet.flags.with_targets().with_source().order_by("kind", "line"),
        "title": f"{meet.city} {meet.season.years}, World Cup {meet.order} of "
        f"{meet.meets_in_season}",
        "description": meet_description(meet, races),
    }
    return render(request, "seasons/meet_detail.html", context)


def standings(request, season):
    """Every standings table of a season, each sortable on its own (the sort parameter carries
    the table's prefix) and exported one by one (``?_export=csv&table=men-500m``) or all at
    once (``?_export=csv``)."""
    season = get_object_or_404(Season.objects.with_neighbours().with_source(), slug=season)
    tables = list(season.standings.with_source().for_standings_page())
    config = RequestConfig(request, paginate=False)
    sections = [(table, config.configure(standings_entry_table(table))) for table in tables]

    export_format = request.GET.get("_export")
    if export_format in EXPORT_FORMATS:
        return export_standings(request, season, sections, export_format)

    context = {
        "season": season,
        "sections": sections,
        "title": f"World Cup standings {season.years}",
        "description": f"The {len(tables)} World Cup standings tables of the {season.title}, "
        "positions as published, with CSV and JSON downloads.",
    }
    return render(request, "seasons/standings.html", context)


def export_standings(request, season, sections, export_format):
    wanted = request.GET.get("table")
    if wanted is None:
        entries = [entry for table, _ in sections for entry in table.entries.all()]
        export = TableExport(export_format, StandingsEntryTable(entries, orderable=False))
        return export.response(f"{season.slug}-standings.{export_format}")
    for table, rows in sections:
        if table.anchor == wanted:
            export = TableExport(export_format, rows)
            return export.response(f"{season.slug}-{table.anchor}-standings.{export_format}")
    raise Http404(f"No standings table {wanted!r} in {season.years}.")


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
    source = get_object_or_404(SourceFile.objects.with_flag_counts(), name=name)
    flags = Flag.objects.filter(source=source).with_targets().defer("source__text")
    flags_by_line = {}
    for flag in flags:
        flags_by_line.setdefault(flag.line, []).append(flag)
    lines = [
        (number, text, flags_by_line.get(number, ()))
        for number, text in enumerate(source.text.splitlines(), start=1)
    ]
    context = {
        "source": source,
        "flags": RequestConfig(request, paginate=False).configure(FlagTable(flags)),
        "lines": lines,
    }
    return render(request, "seasons/source_detail.html", context)


def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    return render(request, "robots.txt", {"sitemap_url": sitemap_url}, content_type="text/plain")


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
        f"Track Speed Skating World Cup, {where}, {span_text(meet.starts, meet.ends)}."
    ]
    for race in races:
        if race.has_podium:
            names = ", ".join(
                (result.athlete.name if result.athlete else result.nation.code) if result else "—"
                for _, result in race.podium
            )
            parts.append(f"{race.title}: {names}.")
    return " ".join(parts)
