from django.urls import path, register_converter

from .feeds import ChangesFeed
from .views import data, downloads, nations, pages, standings, suggestions


class IocConverter:
    """An IOC code: three letters (the database holds them in capitals; the canonical URL spells
    them in lowercase, and the views redirect any other case). Nothing else can stand in a
    nation's place: /nations/seasons/… is never a nation's page."""

    regex = "[A-Za-z]{3}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(IocConverter, "ioc")

app_name = "seasons"

urlpatterns = [
    path("", pages.home, name="home"),
    path("seasons/", pages.season_list, name="season-list"),
    path("seasons/<slug:season>/", pages.season_detail, name="season"),
    # A page's data sits next to it: /seasons/2011-12.json, /seasons/2011-12.ics (docs/API.md).
    path("seasons/<slug:season>.json", data.season_json, name="season-json"),
    path("seasons/<slug:season>.ics", data.season_calendar, name="season-calendar"),
    # Before the meet pattern: "standings" is not a city.
    path("seasons/<slug:season>/standings/", standings.standings, name="standings"),
    path("seasons/<slug:season>/standings.json", data.standings_json, name="standings-json"),
    # One table explained: /seasons/2011-12/standings/men-500m/ (three segments: no meet's).
    path(
        "seasons/<slug:season>/standings/<slug:table>/",
        standings.standings_table,
        name="standings-table",
    ),
    # A reader's "Suggest a correction" of a standings row or a race (its anchor on the meet page).
    path(
        "seasons/<slug:season>/standings/<slug:table>/<int:row>/suggest/",
        suggestions.suggest_standings,
        name="suggest-standings",
    ),
    path(
        "seasons/<slug:season>/<slug:meet>/<slug:race>/suggest/",
        suggestions.suggest_race,
        name="suggest-race",
    ),
    path("suggestions/sent/", suggestions.suggestion_sent, name="suggestion-sent"),
    path("seasons/<slug:season>/<slug:meet>/", pages.meet_detail, name="meet"),
    path("seasons/<slug:season>/<slug:meet>.json", data.meet_json, name="meet-json"),
    path("seasons/<slug:season>/<slug:meet>.ics", data.meet_calendar, name="meet-calendar"),
    path("seasons/<slug:season>/<slug:meet>.png", data.meet_card, name="meet-card"),
    path("venues/", pages.venue_list, name="venue-list"),
    path("venues/<slug:venue>/", pages.venue_detail, name="venue"),
    path("venues/<slug:venue>.json", data.venue_json, name="venue-json"),
    # The all-time medal table and the latest seasons'; each season's on a page of its own.
    path("nations/", nations.nation_list, name="nation-list"),
    path("nations.json", data.nation_list_json, name="nation-list-json"),
    path("nations/seasons/<slug:season>/", nations.season_medals, name="season-medals"),
    # IOC codes in lowercase like every other path segment; /nations/KOR/ redirects.
    path("nations/<ioc:ioc>/", nations.nation_detail, name="nation"),
    path("nations/<ioc:ioc>.json", data.nation_json, name="nation-json"),
    path("nations/<ioc:ioc>/<slug:season>/", nations.nation_season, name="nation-season"),
    path("athletes/", pages.athlete_list, name="athlete-list"),
    # Two segments: no athlete's slug can stand in their way.
    path("athletes/by-name/<slug:letter>/", pages.athletes_by_name, name="athletes-by-name"),
    path("athletes/by-nation/<slug:ioc>/", pages.athletes_by_nation, name="athletes-by-nation"),
    path("athletes/<slug:slug>/", pages.athlete_detail, name="athlete"),
    path("athletes/<slug:slug>.json", data.athlete_json, name="athlete-json"),
    path("search/", pages.search, name="search"),
    path("sources/", pages.source_list, name="source-list"),
    # The file name is the URL, extension included: /sources/2011-12.txt#L57.
    path("sources/<str:name>", pages.source_detail, name="source"),
    path("changes/", pages.changes, name="changes"),
    # The whole archive in one file (seasons/downloads/): one stable address, whatever its date.
    path("data/", downloads.data_page, name="data"),
    path("data/skatearchive.zip", downloads.data_download, name="data-download"),
    path("changes/feed/", ChangesFeed(), name="changes-feed"),
]
