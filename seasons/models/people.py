"""Who competes: nations (by IOC code) and athletes."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django_countries.fields import CountryField
from django_countries.ioc_data import IOC_TO_ISO
from simple_history.models import HistoricalRecords

from .base import NaturalKeyManager, Versioned

UNKNOWN = "unknown"


def competitor_name(athlete, nation, unknown=UNKNOWN):
    """Whom a row names, in one line of text: ``Jane Doe (KOR)``, ``Jane Doe`` (nation not
    known), ``KOR`` (a relay team) or ``unknown``. The archive's one way of writing a competitor
    as text: calendar events, link previews, flag messages, the admin and the synthetic sources.
    (Pages show a competitor with links and a flag: ``templates/includes/competitor.html``.)"""
    if athlete is not None:
        return f"{athlete.name} ({nation.code})" if nation is not None else athlete.name
    return nation.code if nation is not None else unknown


def competitor_nation(row):
    """The nation a result or standings row counts for: its own, else its athlete's; None when
    neither is known. The medal tables count by the same rule, in SQL (``seasons.medals``)."""
    if row.nation_id:
        return row.nation
    if row.athlete_id and row.athlete.nation_id:
        return row.athlete.nation
    return None


class NamesCompetitor:
    """For a row that names an athlete, a nation or both (a result, a standings entry)."""

    @property
    def competitor_nation(self):
        return competitor_nation(self)

    @property
    def competitor_name(self):
        return competitor_name(self.athlete if self.athlete_id else None, competitor_nation(self))


class Nation(Versioned):
    """A nation as the sources name it: by IOC code (NED, GER, SUI), which is not ISO alpha-3."""

    code = models.CharField("IOC code", max_length=3, unique=True)
    country = CountryField(blank=True, help_text="Empty for an IOC code with no ISO country.")
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = NaturalKeyManager("code")

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{3}$"), name="nation_code_is_three_capitals"
            ),
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        # Lowercase like every other path segment; /nations/KOR/ redirects here.
        return reverse("seasons:nation", kwargs={"ioc": self.code.lower()})

    def natural_key(self):
        return (self.code,)

    @classmethod
    def country_for(cls, code):
        """The ISO country of an IOC code, or "" when django-countries does not know it."""
        return IOC_TO_ISO.get(code, "")

    @cached_property
    def name(self):
        # Cached: a medal table names each nation dozens of times, and django-countries looks
        # the name up (through the translation machinery) on every access.
        return self.country.name if self.country else self.code


class Athlete(Versioned):
    """A skater, as the sources name one: by name and nation.

    ``imported_name`` and ``imported_nation`` are how a source first named the athlete: an
    editor may correct the spelling or the nation, and the next import must still find this
    athlete, not create the misspelled one again and move the results back to it.
    """

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    nation = models.ForeignKey(
        Nation, null=True, blank=True, on_delete=models.PROTECT, related_name="athletes"
    )
    imported_name = models.CharField(max_length=200, blank=True, editable=False)
    imported_nation = models.CharField(
        max_length=3, blank=True, editable=False, help_text="IOC code, as the source gave it."
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["imported_name", "imported_nation"])

    objects = NaturalKeyManager("slug")

    class Meta:
        ordering = ["name", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["name", "nation"], name="athlete_unique_name_nation"),
        ]
        indexes = [
            models.Index(fields=["imported_name", "imported_nation"], name="athlete_as_imported"),
        ]

    def __str__(self):
        return f"{self.name} ({self.nation})" if self.nation_id else self.name

    def get_absolute_url(self):
        return reverse("seasons:athlete", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)
