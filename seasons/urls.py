from django.urls import path

from . import views

app_name = "seasons"

urlpatterns = [
    path("", views.home, name="home"),
    path("seasons/", views.season_list, name="season-list"),
    path("seasons/<slug:season>/", views.season_detail, name="season"),
    # Before the meet pattern: "standings" is not a city.
    path("seasons/<slug:season>/standings/", views.standings, name="standings"),
    path("seasons/<slug:season>/<slug:meet>/", views.meet_detail, name="meet"),
    path("venues/", views.venue_list, name="venue-list"),
    path("venues/<slug:venue>/", views.venue_detail, name="venue"),
    path("sources/", views.source_list, name="source-list"),
    # The file name is the URL, extension included: /sources/2011-12.txt#L57.
    path("sources/<str:name>", views.source_detail, name="source"),
]
