"""The admins of the archive itself, arranged around the editors' work: fill in a missing
podium, fix a date, correct a standings row. A meet shows its races, a race its podium (a dead
heat: two rows at one place, ties 1 and 2), a standings table its rows, each inline. Athletes
are in :mod:`.people`. What they share (reason, version check, provenance,
history) is :class:`~seasons.admin.base.EditorAdmin`.
"""

import unicodedata

from django.contrib import admin
from django.db.models import Count, Q
from django_countries import countries

from ..models import (
    Athlete,
    Meet,
    Nation,
    Race,
    Result,
    Season,
    StandingsEntry,
    StandingsTable,
    Venue,
    podium_place_text,
)
from .base import EditorAdmin, SourcedInline, related_filter, source_line
from .forms import ResultFormSet
from .meet_screen import MeetScreenAdmin
from .people import move_results_action
from .reverts import RaceForm, restore_podium

PODIUM_PLACES = (1, 2, 3)


class PodiumFilter(admin.SimpleListFilter):
    """Races whose podium still misses a place: the editors' main to-do list."""

    title = "podium"
    parameter_name = "podium"

    def lookups(self, request, model_admin):
        return [("incomplete", "Places missing"), ("complete", "Complete")]

    def queryset(self, request, queryset):
        podium = Count("results", filter=Q(results__place__in=PODIUM_PLACES))
        if self.value() == "incomplete":
            return queryset.alias(podium=podium).filter(podium__lt=len(PODIUM_PLACES))
        if self.value() == "complete":
            return queryset.alias(podium=podium).filter(podium__gte=len(PODIUM_PLACES))
        return queryset


def podium_summary(race):
    """``1. KOR · 2. RUS · 3. ?``, a dead heat as ``1. KOR = CAN``; needs the race's results
    prefetched (``with_podium``)."""
    return " · ".join(
        f"{place}. {podium_place_text(results, '?')}" for place, results in race.podium
    )


def folded(text):
    """``text`` for matching as a reader types it: any case, accents optional."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def countries_named(term):
    """The ISO codes of the countries whose English name holds ``term`` (``dutch`` finds none,
    ``nether`` finds NL)."""
    wanted = folded(term.strip())
    return [code for code, name in countries if wanted and wanted in folded(str(name))]


@admin.register(Nation)
class NationAdmin(EditorAdmin):
    """Found by IOC code or by country name ("Netherlands" finds NED), in the list and in every
    nation autocomplete (results, standings rows, athletes)."""

    list_display = ["code", "country"]
    search_fields = ["code"]
    fields = ["code", "country"]

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        named = countries_named(search_term)
        if named:
            found = found | queryset.filter(country__in=named)
        return found, may_have_duplicates


@admin.register(Season)
class SeasonAdmin(EditorAdmin):
    list_display = ["title", "start", "end"]
    search_fields = ["title", "slug"]
    fields = [
        "title",
        "slug",
        ("start", "end"),
        "intro",
        "infobox",
        "standings_note",
        ("counted_results", "counted_of"),
        "see_also",
    ]


@admin.register(Venue)
class VenueAdmin(EditorAdmin):
    list_display = ["__str__", "city", "arena", "country"]
    search_fields = ["city", "arena", "slug"]
    fields = ["city", "arena", "slug", "country"]
    prepopulated_fields = {"slug": ["city", "arena"]}


class RaceInline(SourcedInline):
    model = Race
    fields = ["gender", "distance", "number", "date", "record", "podium", source_line, "version"]
    readonly_fields = ["podium", source_line]
    show_change_link = True

    @admin.display(description="podium (edit the race to change it)")
    def podium(self, race):
        return podium_summary(race) if race.pk else ""

    def get_queryset(self, request):
        return super().get_queryset(request).with_podium().in_calendar_order()


@admin.register(Meet)
class MeetAdmin(MeetScreenAdmin, EditorAdmin):
    list_display = ["__str__", "order", "venue"]
    list_filter = [related_filter("season")]
    list_select_related = ["season", "venue"]
    search_fields = ["city", "venue__city", "venue__arena"]
    autocomplete_fields = ["venue"]
    fields = ["season", "order", "city", "slug", "venue"]
    prepopulated_fields = {"slug": ["city"]}
    inlines = [RaceInline]


class ResultInline(SourcedInline):
    model = Result
    formset = ResultFormSet
    # A dead heat is two rows at one place, told apart by "tie" (1, 2).
    fields = ["place", "tie", "athlete", "nation", "time", source_line, "version"]
    autocomplete_fields = ["athlete", "nation"]
    verbose_name = "podium place"
    verbose_name_plural = "podium"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("athlete__nation", "nation")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "athlete":
            # An athlete's choice is labelled with their nation: one query per row, not two.
            kwargs["queryset"] = Athlete.objects.select_related("nation")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_extra(self, request, obj=None, **kwargs):
        return len(missing_places(obj))

    def blank_rows(self, race):
        """The blank rows offered: the missing places, numbered. Fill in a name and save."""
        return [{"place": place} for place in missing_places(race)]


def missing_places(race):
    """The podium places nobody is known for (not one a dead heat above left to nobody)."""
    if race is None or race.pk is None:  # the add page passes its unsaved race
        return list(PODIUM_PLACES)
    return [place for place, results in race.podium if results == []]


@admin.register(Race)
class RaceAdmin(EditorAdmin):
    form = RaceForm  # a revert restores the podium too
    list_display = ["__str__", "date", "podium"]
    list_filter = [
        related_filter("meet__season"),
        "gender",
        "distance",
        related_filter("meet"),
        PodiumFilter,
    ]
    list_select_related = ["meet__season"]
    search_fields = ["meet__city", "meet__venue__arena", "results__athlete__name"]
    autocomplete_fields = ["meet"]
    fields = ["meet", "gender", "distance", "number", "date", "record"]
    inlines = [ResultInline]

    def get_queryset(self, request):
        # The meet and season name the race on its page, and each podium row after it.
        return super().get_queryset(request).select_related("meet__season").with_podium()

    @admin.display(description="podium")
    def podium(self, race):
        return podium_summary(race)

    def save_model(self, request, obj, form, change):
        if form.podium_restore is not None:
            # Before the race: its historical record closes the revert, rows included.
            restore_podium(form.podium_restore, form.reason, request.user)
        super().save_model(request, obj, form, change)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, ResultInline) and request.method != "POST":
            kwargs["initial"] = inline.blank_rows(obj)
        return kwargs


@admin.register(Result)
class ResultAdmin(EditorAdmin):
    list_display = ["__str__", "place"]
    list_filter = [
        related_filter("race__meet__season"),
        "race__gender",
        "race__distance",
        related_filter("race__meet"),
    ]
    list_select_related = ["race__meet__season", "athlete__nation", "nation"]
    search_fields = ["athlete__name", "nation__code", "race__meet__city"]
    autocomplete_fields = ["race", "athlete", "nation"]
    fields = ["race", "place", "tie", "athlete", "nation", "time"]
    actions = [move_results_action]


class StandingsEntryInline(SourcedInline):
    model = StandingsEntry
    fields = ["row", "position", "athlete", "nation", "points", source_line, "version"]
    autocomplete_fields = ["athlete", "nation"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("athlete__nation", "nation")


@admin.register(StandingsTable)
class StandingsTableAdmin(EditorAdmin):
    list_display = ["__str__", "events_held", "events_total", "heading_inferred"]
    list_filter = [related_filter("season"), "gender", "distance"]
    list_select_related = ["season"]
    search_fields = ["season__slug", "season__title"]
    fields = [
        "season",
        "gender",
        "distance",
        ("events_held", "events_total"),
        "heading_inferred",
    ]
    inlines = [StandingsEntryInline]


@admin.register(StandingsEntry)
class StandingsEntryAdmin(EditorAdmin):
    list_display = ["__str__", "athlete", "nation", "points"]
    list_filter = [related_filter("table__season"), "table__gender", "table__distance"]
    list_select_related = ["table__season", "athlete__nation", "nation"]
    search_fields = ["athlete__name", "nation__code"]
    autocomplete_fields = ["table", "athlete", "nation"]
    fields = ["table", "row", "position", "athlete", "nation", "points"]
