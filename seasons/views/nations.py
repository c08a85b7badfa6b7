"""The nations' pages: the medal tables and each nation's page, none of which grows with the
archive (issue #16). /nations/ shows the all-time medal table and the latest seasons' tables; a
nation's page its medals season by season, a line each, and its latest seasons' podiums and
standings places. Every earlier season has a page of its own, linked from those:

- ``/nations/seasons/2011-12/``: the 2011–12 medal table. Under ``seasons/``, not at
  ``/nations/2011-12/``: the path says what the segment is, and ``seasons`` can never be a
  nation, whose code is three letters (the ``ioc`` converter, ``seasons.urls``);
- ``/nations/kor/2011-12/``: South Korea's 2011–12 podiums and standings places, below the
  nation as the season's meets are below the season."""

from django.shortcuts import get_object_or_404, redirect, render

from ..medal_chart import medal_chart_svg
from ..medals import medal_tables, nation_medals, nation_seasons
from ..models import Nation, Result, Season, StandingsEntry

# /nations/ shows the medal tables of the latest seasons (with their charts) and links the rest,
# as the front page does with FRONT_PAGE_SEASONS.
LATEST_MEDAL_TABLES = 4
# A nation's page shows the podiums and standings places of its latest seasons with any; each
# season's own page has them all.
LATEST_NATION_SEASONS = 4


def get_nation(ioc):
    """The nation of an IOC code in any case; the canonical URL spells it in lowercase."""
    return get_object_or_404(Nation, code=ioc.upper())


def medal_season(season, table):
    """What the template shows of a season's medal table: the season, the table, its chart."""
    return season, table, medal_chart_svg(table, season.years, f"medals-{season.slug}")


def nation_list(request):
    nations = list(Nation.objects.all())
    by_season, all_time = medal_tables(nations)
    seasons = list(by_season.items())
    context = {
        "nations": nations,
        "all_time": all_time,
        "seasons": [medal_season(*item) for item in seasons[:LATEST_MEDAL_TABLES]],
        "earlier": [season for season, _ in seasons[LATEST_MEDAL_TABLES:]],
    }
    return render(request, "seasons/nation_list.html", context)


def season_medals(request, season):
    """One season's medal table, its chart, and the way to the seasons on either side."""
    season = get_object_or_404(Season.objects.with_neighbours(), slug=season)
    by_season, _ = medal_tables(seasons=Season.objects.filter(pk=season.pk))
    _, table, chart = medal_season(season, by_season[season])
    context = {"season": season, "table": table, "chart": chart}
    return render(request, "seasons/season_medals.html", context)


def nation_detail(request, ioc):
    """A nation's medals season by season, then the podiums and standings places of its latest
    LATEST_NATION_SEASONS seasons that have any; earlier ones on the nation's season pages."""
    nation = get_nation(ioc)
    if ioc != nation.code.lower():
        return redirect(nation, permanent=True)
    all_time, lines = nation_seasons(nation)
    latest = [line.season for line in lines if line.has_placings][:LATEST_NATION_SEASONS]
    standings_places = sum(line.standings_places for line in lines)
    context = {
        "nation": nation,
        "all_time": all_time,
        "season_lines": lines,
        "latest": latest,
        "earlier": [line for line in lines if line.has_placings and line.season not in latest],
        "standings_places": standings_places,
        **placings(nation, latest),
        "athletes": list(nation.athletes.all()),
        # Whether nothing is known, or only nothing in the seasons shown.
        "no_podium": "No podium of this nation is known yet."
        if all_time.total == 0
        else "No podium of this nation in these seasons: see the earlier seasons.",
        "no_standings": "No standings row names this nation or one of its athletes."
        if standings_places == 0
        else "No standings row of these seasons names this nation or one of its athletes.",
    }
    return render(request, "seasons/nation_detail.html", context)


def nation_season(request, ioc, season):
    """A nation's podiums and standings places in one season."""
    nation = get_nation(ioc)
    if ioc != nation.code.lower():
        return redirect(
            "seasons:nation-season", ioc=nation.code.lower(), season=season, permanent=True
        )
    season = get_object_or_404(Season.objects.with_neighbours(), slug=season)
    shown = placings(nation, [season])
    medals, _ = nation_medals(nation, shown["podiums"], [season])
    context = {"nation": nation, "season": season, "medals": medals, **shown}
    return render(request, "seasons/nation_season.html", context)


def placings(nation, seasons):
    """The nation's podiums and standings rows in ``seasons``, as the templates name them."""
    return {
        "podiums": list(
            Result.objects.for_nation(nation).podiums().filter(race__meet__season__in=seasons)
        ),
        "standings": list(
            StandingsEntry.objects.for_nation(nation).filter(table__season__in=seasons)
        ),
    }
