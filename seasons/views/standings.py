"""The standings pages: a season's tables at a glance, and one page per table that explains it.

The overview reads like the season's encyclopedia article: every published table, compact
(position, athlete or nation, points), a published total the check finds in doubt marked and
linked to its arithmetic. Everything the archive computes about a table (each published total
checked, the standings the known results give with counted and dropped races, the chart) is on
the table's own page, ``/seasons/2011-12/standings/men-500m/``, so that neither page grows with
the number of rows times the length of an explanation.

Both run the same check (``seasons.standings.explain``) on the rows they have loaded."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django_tables2 import RequestConfig

from ..models import Season
from ..standings.explain import explain_tables, points_text, season_rule
from ..tables import (
    EXPORT_FORMATS,
    ArchiveExport,
    StandingsEntryTable,
    compact_standings_table,
    standings_entry_table,
)
from ..vocabulary import Distance, Gender, distance_slug

# ``men-500m`` -> ("men", 500): a table's anchor names its gender and distance, so its page finds
# it with one filter rather than by loading every table of the season.
TABLE_KEYS = {
    f"{gender}-{distance_slug(distance)}": (gender, distance)
    for gender in Gender.values
    for distance in Distance.values
}


def season_for_standings(slug):
    return get_object_or_404(
        Season.objects.with_neighbours().with_source().select_related("scoring_rule"),
        slug=slug,
    )


def rule_context(season):
    """The season's rule, as both pages state it."""
    stored_rule, scoring_rule = season_rule(season)
    return {
        "scoring_rule": scoring_rule,
        "stored_rule": stored_rule,
        "points_per_place": points_text(scoring_rule.points_per_place) if scoring_rule else None,
    }


def standings(request, season):
    """Every standings table of a season, compact, each sortable on its own (the sort parameter
    carries the table's prefix) and exported one by one (``?_export=csv&table=men-500m``, as
    the table's page does with ``?_export=csv``) or all at once (``?_export=csv``)."""
    season = season_for_standings(season)
    tables = list(season.standings.with_source().for_standings_page())
    export_format = request.GET.get("_export")
    if export_format in EXPORT_FORMATS:
        return export_standings(request, season, tables, export_format)

    context = rule_context(season)
    explained = explain_tables(season, tables, context["scoring_rule"])
    config = RequestConfig(request, paginate=False)
    sections = []
    for table in tables:
        table_url = reverse(
            "seasons:standings-table", kwargs={"season": season.slug, "table": table.anchor}
        )
        rows = config.configure(compact_standings_table(table, explained[table.pk], table_url))
        sections.append((table, rows, explained[table.pk], table_url))
    context |= {
        "season": season,
        "sections": sections,
        "doubt_count": sum(e.flagged_count for e in explained.values() if e is not None),
        "title": f"World Cup standings {season.years}",
        "description": f"The {len(tables)} World Cup standings tables of the {season.title}, "
        "positions as published, with CSV and JSON downloads.",
    }
    return render(request, "seasons/standings.html", context)


def standings_table(request, season, table):
    """One standings table explained: the published table with its source lines, every
    published total checked against the season's rule, and where results are known the
    standings they give (counted and dropped races) and their chart. ``?_export=csv`` (or
    ``json``) downloads the published table."""
    season = season_for_standings(season)
    if table not in TABLE_KEYS:
        raise Http404(f"No standings table {table!r} in {season.years}.")
    gender, distance = TABLE_KEYS[table]
    found = list(
        season.standings.filter(gender=gender, distance=distance).with_source().for_standings_page()
    )
    if not found:
        raise Http404(f"No standings table {table!r} in {season.years}.")
    shown = found[0]
    rows = RequestConfig(request, paginate=False).configure(standings_entry_table(shown))
    export_format = request.GET.get("_export")
    if export_format in EXPORT_FORMATS:
        return table_export(season, shown, rows, export_format)

    context = rule_context(season)
    explained = explain_tables(season, found, context["scoring_rule"])[shown.pk]
    context |= {
        "season": season,
        "table": shown,
        "rows": rows,
        "explained": explained,
        "overview": reverse("seasons:standings", kwargs={"season": season.slug}),
        "title": f"{shown.title}, World Cup standings {season.years}",
        "description": f"The {shown.title} World Cup standings of the {season.title} "
        "as published, each total checked against the season's scoring rule"
        + (", and the standings the known results give." if explained else "."),
    }
    return render(request, "seasons/standings_table.html", context)


def export_standings(request, season, tables, export_format):
    """The season's tables in one file, or the one ``?table=`` names (its anchor)."""
    wanted = request.GET.get("table")
    if wanted is None:
        entries = [entry for table in tables for entry in table.entries.all()]
        flags = [flag for table in tables for flag in table.flags.all()]
        everything = StandingsEntryTable(entries, orderable=False, flags=flags)
        everything.request = request  # for the athletes' absolute URLs
        export = ArchiveExport(export_format, everything)
        return export.response(f"{season.slug}-standings.{export_format}")
    config = RequestConfig(request, paginate=False)
    for table in tables:
        if table.anchor == wanted:
            rows = config.configure(standings_entry_table(table))
            return table_export(season, table, rows, export_format)
    raise Http404(f"No standings table {wanted!r} in {season.years}.")


def table_export(season, table, rows, export_format):
    export = ArchiveExport(export_format, rows)
    return export.response(f"{season.slug}-{table.anchor}-standings.{export_format}")
