"""sitemap.xml: every public page with a permanent URL (not sort or export variants).

``items()`` returns lists: the sitemap paginator would otherwise ask each QuerySet for a COUNT
before fetching it."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .athlete_index import group_pages
from .models import Athlete, Meet, Nation, Season, SourceFile, StandingsTable, Venue


class ListPageSitemap(Sitemap):
    priority = 0.6

    def items(self):
        return [
            "seasons:home",
            "seasons:season-list",
            "seasons:venue-list",
            "seasons:nation-list",
            "seasons:athlete-list",
            "seasons:source-list",
            "seasons:changes",
        ]

    def location(self, item):
        return reverse(item)


class SeasonSitemap(Sitemap):
    priority = 0.8

    def items(self):
        return list(Season.objects.order_by("slug"))


class StandingsSitemap(Sitemap):
    """Each season's standings overview and medal table, from one query."""

    priority = 0.7

    def items(self):
        slugs = Season.objects.order_by("slug").values_list("slug", flat=True)
        return [
            reverse(name, kwargs={"season": slug})
            for slug in slugs
            for name in ("seasons:standings", "seasons:season-medals")
        ]

    def location(self, path):
        return path


class StandingsTableSitemap(Sitemap):
    """Each standings table's own page, which explains it."""

    priority = 0.5

    def items(self):
        tables = StandingsTable.objects.select_related("season")
        return list(tables.order_by("season__slug", "gender", "distance"))


class MeetSitemap(Sitemap):
    priority = 0.8

    def items(self):
        return list(Meet.objects.select_related("season").order_by("season__slug", "order"))


class VenueSitemap(Sitemap):
    priority = 0.5

    def items(self):
        return list(Venue.objects.order_by("slug"))


class SourceSitemap(Sitemap):
    priority = 0.3

    def items(self):
        return list(SourceFile.objects.defer("text").order_by("name"))


class NationSitemap(Sitemap):
    priority = 0.5

    def items(self):
        return list(Nation.objects.order_by("code"))


class AthleteSitemap(Sitemap):
    """Every athlete's page, then the letters and nations of the athletes' index that list
    someone: from one query."""

    priority = 0.5

    def items(self):
        athletes = list(Athlete.objects.select_related("nation").order_by("slug"))
        return [athlete.get_absolute_url() for athlete in athletes] + group_pages(athletes)

    def location(self, path):
        return path


SITEMAPS = {
    "pages": ListPageSitemap,
    "seasons": SeasonSitemap,
    "standings": StandingsSitemap,
    "standings-tables": StandingsTableSitemap,
    "meets": MeetSitemap,
    "venues": VenueSitemap,
    "nations": NationSitemap,
    "athletes": AthleteSitemap,
    "sources": SourceSitemap,
}
