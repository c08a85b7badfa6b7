"""Every JSON document the API serves (docs/API.md), as ``seasons.api`` builds it for its URL:
the download holds the same documents at the same paths, so ``json/seasons/2011-12.json`` is
what ``/seasons/2011-12.json`` answers."""

from collections.abc import Iterator

from django.urls import reverse

from .. import api
from ..models import Athlete, Meet, Nation, Season, Venue

Document = tuple[str, dict]


def path_of(name: str, **kwargs) -> str:
    """The document's URL path without its leading slash: its name inside the download."""
    return reverse(f"seasons:{name}", kwargs=kwargs).lstrip("/")


def documents() -> Iterator[Document]:
    """``(path, document)`` for every document, read as each view reads its object."""
    yield path_of("nation-list-json"), api.nations_document(Nation.objects.all())
    for season in Season.objects.with_neighbours().order_by("slug"):
        yield path_of("season-json", season=season.slug), api.season_document(season)
        yield (
            path_of("standings-json", season=season.slug),
            api.standings_document(season),
        )
    meets = Meet.objects.select_related("season", "venue").with_dates().with_neighbours()
    for meet in meets.order_by("season__slug", "order"):
        yield (
            path_of("meet-json", season=meet.season.slug, meet=meet.slug),
            api.meet_document(meet),
        )
    for venue in Venue.objects.order_by("slug"):
        yield path_of("venue-json", venue=venue.slug), api.venue_document(venue)
    for nation in Nation.objects.order_by("code"):
        yield path_of("nation-json", ioc=nation.code.lower()), api.nation_document(nation)
    for athlete in Athlete.objects.select_related("nation").order_by("slug"):
        yield path_of("athlete-json", slug=athlete.slug), api.athlete_document(athlete)
