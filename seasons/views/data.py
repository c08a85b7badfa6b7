"""The archive's data at each page's path: JSON documents (docs/API.md), iCalendar feeds, the
meet link-preview card, sitemap.xml and robots.txt. The HTML pages are in ``pages.py``."""

from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sites.requests import RequestSite
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from .. import api, calendars, cards
from ..doubts import dates_in_doubt
from ..models import Athlete, Meet, Nation, Race, Season, Venue
from ..sitemaps import SITEMAPS
from ..templatetags.archive import span_text
from .nations import get_nation


def meet_card(request, season, meet):
    """The meet's link-preview image (``og:image``), from the rows its page shows."""
    meet = get_object_or_404(
        Meet.objects.select_related("season", "venue").with_dates().with_neighbours(),
        season__slug=season,
        slug=meet,
    )
    races = list(Race.objects.filter(meet=meet).in_calendar_order().with_podium().with_flags())
    when = span_text(meet.starts, meet.ends)
    png = cards.meet_card(
        meet, races, f"{when} (dates in doubt)" if dates_in_doubt(races) else when
    )
    return HttpResponse(png, content_type="image/png")


def calendar_response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def season_calendar(request, season):
    season = get_object_or_404(Season, slug=season)
    races = calendars.calendar_races(Race.objects.filter(meet__season=season))
    body = calendars.season_calendar(season, races, site_root(request))
    return calendar_response(body, f"{season.slug}.ics")


def meet_calendar(request, season, meet):
    meet = get_object_or_404(Meet.objects.select_related("season"), season__slug=season, slug=meet)
    races = calendars.calendar_races(Race.objects.filter(meet=meet))
    body = calendars.meet_calendar(meet, races, site_root(request))
    return calendar_response(body, f"{meet.season.slug}-{meet.slug}.ics")


def json_response(document):
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    # Public, read-only data: any site may fetch it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def season_json(request, season):
    season = get_object_or_404(Season.objects.with_neighbours(), slug=season)
    return json_response(api.season_document(season))


def standings_json(request, season):
    return json_response(api.standings_document(get_object_or_404(Season, slug=season)))


def meet_json(request, season, meet):
    meet = get_object_or_404(
        Meet.objects.select_related("season", "venue").with_dates().with_neighbours(),
        season__slug=season,
        slug=meet,
    )
    return json_response(api.meet_document(meet))


def venue_json(request, venue):
    return json_response(api.venue_document(get_object_or_404(Venue, slug=venue)))


def nation_list_json(request):
    return json_response(api.nations_document(Nation.objects.all()))


def nation_json(request, ioc):
    nation = get_nation(ioc)
    if ioc != nation.code.lower():
        return redirect("seasons:nation-json", ioc=nation.code.lower(), permanent=True)
    return json_response(api.nation_document(nation))


def athlete_json(request, slug):
    athlete = get_object_or_404(Athlete.objects.select_related("nation"), slug=slug)
    return json_response(api.athlete_document(athlete))


# Absolute links on the request's host. The site is served under several names (localhost, a
# staging host, the public one), and the Site record knows one domain (example.com until an admin
# edits it): calendar events, the Atom feed (seasons.feeds), robots.txt and sitemap.xml link to
# the host the request came to, as the pages' canonical and preview links do.


def site_root(request):
    """``https://host``, the request's scheme and host, for making a site path absolute."""
    return request.build_absolute_uri("/").removesuffix("/")


def robots_txt(request):
    sitemap_url = site_root(request) + reverse("sitemap")
    return render(request, "robots.txt", {"sitemap_url": sitemap_url}, content_type="text/plain")


class OnRequestHost:
    """A sitemap whose URLs are on the request's host: Django's sitemap view passes the Site
    record, this passes the request's site (``RequestSite``) instead. Everything else is the
    wrapped sitemap's."""

    def __init__(self, sitemap, site):
        self.sitemap, self.site = sitemap, site

    def get_urls(self, page=1, site=None, protocol=None):
        return self.sitemap.get_urls(page=page, site=self.site, protocol=protocol)

    def __getattr__(self, name):
        return getattr(self.sitemap, name)


def sitemap(request):
    site = RequestSite(request)
    sitemaps = {name: OnRequestHost(cls(), site) for name, cls in SITEMAPS.items()}
    return sitemap_views.sitemap(request, sitemaps)
