"""Who competes: nations (by IOC code) and athletes."""

from functools import lru_cache

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django_countries.fields import Country, CountryField
from django_countries.ioc_data import IOC_TO_ISO
from simple_history.models import HistoricalRecords

from ..names import name_key, name_keys
from .base import NaturalKeyManager, Versioned

UNKNOWN = "unknown"


def competitor_name(athlete, nation, unknown=UNKNOWN):
    """Whom a row names, in one line of text: ``Jane Doe (KOR)``, ``Jane Doe`` (nation not
    known), ``KOR`` (a relay team) or ``unknown``. The archive's one way of writing a competitor
    as text: calendar events, link previews, flag messages, the admin and the synthetic sources.
    (Pages show a competitor with links and a flag: the ``competitor`` tag of
    ``seasons/templatetags/archive.py``.)"""
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
    def iso_code(self):
        """The ISO 3166 code of the nation's country; "" for an IOC code with no ISO country.
        (Each read of ``country`` builds a new ``Country`` and looks its code up again.)"""
        return self.country.code or ""

    @cached_property
    def name(self):
        """The country's name in the active language; the IOC code where there is no country."""
        return country_name(self.iso_code, get_language()) if self.iso_code else self.code

    @cached_property
    def flag_url(self):
        """The URL of the country's flag image; "" for an IOC code with no ISO country."""
        return country_flag(self.iso_code) if self.iso_code else ""


# Remembered per process: a results page names hundreds of nations, and django-countries looks a
# name up through the translation machinery, and builds a flag's URL, on every access (a third
# of a full season page's render time).
@lru_cache(maxsize=1024)
def country_name(code, language):
    return str(Country(code).name)


@lru_cache(maxsize=1024)
def country_flag(code):
    return Country(code).flag


class AthleteQuerySet(models.QuerySet):
    def named(self, *forms):
        """Athletes one of whose names (display name, native name, an alias) is one of
        ``forms``, however it is written (``seasons.names``: accents, case, ISU capitals, word
        order)."""
        keys = set().union(*(name_keys(form) for form in forms))
        aliases = AthleteAlias.objects.filter(key__in=keys).values("athlete")
        return self.filter(Q(name_key__in=keys) | Q(native_key__in=keys) | Q(pk__in=aliases))


class Athlete(Versioned):
    """A skater: one row per person, however many ways the sources write the name.

    ``name`` is how the archive shows it; ``native_name`` the name in the athlete's own script
    (곽윤기), if known; :class:`AthleteAlias` rows the other written forms (ISU capitals, other
    romanisations, the other name order). The importer finds an athlete by any of them
    (``name_key`` and ``native_key`` are their :func:`~seasons.names.name_key`, kept by ``save``).

    ``imported_name`` and ``imported_nation`` are how a source first named the athlete: an
    editor may correct the spelling or the nation, and the next import must still find this
    athlete, not create the misspelled one again and move the results back to it.

    ``slug`` is given once, from the first name, and kept through any rename.
    """

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    nation = models.ForeignKey(
        Nation, null=True, blank=True, on_delete=models.PROTECT, related_name="athletes"
    )
    native_name = models.CharField(
        max_length=200, blank=True, help_text="The name in the athlete's own script, e.g. 곽윤기."
    )
    name_key = models.CharField(max_length=200, blank=True, editable=False)
    native_key = models.CharField(max_length=200, blank=True, editable=False)
    imported_name = models.CharField(max_length=200, blank=True, editable=False)
    imported_nation = models.CharField(
        max_length=3, blank=True, editable=False, help_text="IOC code, as the source gave it."
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(
        excluded_fields=["imported_name", "imported_nation", "name_key", "native_key"]
    )

    objects = NaturalKeyManager.from_queryset(AthleteQuerySet)("slug")

    class Meta:
        ordering = ["name", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["name", "nation"], name="athlete_unique_name_nation"),
            models.CheckConstraint(condition=~Q(name=""), name="athlete_name_not_empty"),
        ]
        indexes = [
            models.Index(fields=["imported_name", "imported_nation"], name="athlete_as_imported"),
            models.Index(fields=["name_key"], name="athlete_name_key"),
            models.Index(fields=["native_key"], name="athlete_native_key"),
        ]

    def __str__(self):
        return f"{self.name} ({self.nation})" if self.nation_id else self.name

    def save(self, *args, update_fields=None, **kwargs):
        self.name_key = name_key(self.name)
        self.native_key = name_key(self.native_name)
        if update_fields is not None and {"name", "native_name"} & set(update_fields):
            update_fields = {*update_fields, "name_key", "native_key"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def get_absolute_url(self):
        return reverse("seasons:athlete", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class AthleteAlias(models.Model):
    """Another way a source or an editor writes an athlete's name: ISU capitals ("PARK
    Se-yeong"), another romanisation ("Kwak Yoon-gy"), the other name order, a former name.

    ``source`` is the file the importer first read it in; an editor's alias (one added in
    admin, or the name of an athlete merged into this one) has none. An editor's alias names
    this athlete whatever nation a source gives with it (Victor An raced for KOR, then for RUS);
    one the importer learnt needs the nation too, so that two people of one name stay apart.
    """

    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200, editable=False, db_index=True)
    source = models.ForeignKey(
        "seasons.SourceFile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The source the importer first read this form in; empty for an editor's.",
    )
    history = HistoricalRecords(excluded_fields=["key"])

    objects = NaturalKeyManager("athlete__slug", "name")

    class Meta:
        ordering = ["athlete_id", "name", "pk"]
        verbose_name_plural = "athlete aliases"
        constraints = [
            models.UniqueConstraint(fields=["athlete", "name"], name="alias_unique_per_athlete"),
            models.CheckConstraint(condition=~Q(name=""), name="alias_name_not_empty"),
        ]

    def __str__(self):
        return f"{self.name} (alias of {self.athlete.name})"

    def save(self, *args, **kwargs):
        self.key = name_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.athlete.get_absolute_url()

    def natural_key(self):
        return (*self.athlete.natural_key(), self.name)

    natural_key.dependencies = ["seasons.athlete"]
