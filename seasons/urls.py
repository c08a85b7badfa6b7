from django.urls import path

from . import views

app_name = "seasons"

urlpatterns = [
    path("", views.home, name="home"),
    path("seasons/", views.season_list, name="season-list"),
    path("seasons/<slug:season>/", views.season_detail, name="season"),
    # A page's data sits next to it: /seasons/2011-12.json, /seasons/2011-12.ics (docs/API.md).
    path("seasons/<slug:season>.json", views.season_json, name="season-json"),
    path("seasons/<slug:season>.ics", views.season_calendar, name="season-calendar"),
    # Before the meet pattern: "standings" is not a city.
    path("seasons/<slug:season>/standings/", views.standings, name="standings"),
    path("seasons/<slug:season>/standings.json", views.standings_json, name="standings-json"),
    path("seasons/<slug:season>/<slug:meet>/", views.meet_detail, name="meet"),
    path("seasons/<slug:season>/<slug:meet>.json", views.meet_json, name="meet-json"),
    path("seasons/<slug:season>/<slug:meet>.ics", views.meet_calendar, name="meet-calendar"),
    path("seasons/<slug:season>/<slug:meet>.png", views.meet_card, name="meet-card"),
    path("venues/", views.venue_list, name="venue-list"),
    path("venues/<slug:venue>/", views.venue_detail, name="venue"),
    path("venues/<slug:venue>.json", views.venue_json, name="venue-json"),
    path("nations/", views.nation_list, name="nation-list"),
    path("nations.json", views.nation_list_json, name="nation-list-json"),
    # IOC codes in lowercase like every other path segment; /nations/KOR/ redirects.
    path("nations/<slug:ioc>/", views.nation_detail, name="nation"),
    path("nations/<slug:ioc>.json", views.nation_json, name="nation-json"),
    path("athletes/<slug:slug>/", views.athlete_detail, name="athlete"),
    path("athletes/<slug:slug>.json", views.athlete_json, name="athlete-json"),
    path("search/", views.search, name="search"),
    path("sources/", views.source_list, name="source-list"),
    # The file name is the URL, extension included: /sources/2011-12.txt#L57.
    path("sources/<str:name>", views.source_detail, name="source"),
    path("changes/", views.changes, name="changes"),
    path("changes/feed/", views.ChangesFeed(), name="changes-feed"),
]
