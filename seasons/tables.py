"""The archive's django-tables2 tables.

Each table gets its data as a QuerySet, so ``order_<column>`` methods decide how a column sorts.
On the standings page that QuerySet comes out of a prefetch: shown as published it costs no
query, and only a table the reader sorts asks the database again.
"""

import django_tables2 as tables
from django.db.models import F
from django.template.defaultfilters import date as format_date
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django_tables2.export import TableExport

from .templatetags.archive import competitor, or_unknown
from .templatetags.editing import back_here, edit_link_for
from .text import spreadsheet_cell

NUMBER = {"th": {"class": "num"}, "td": {"class": "num"}}
# CSV and JSON, the formats tablib writes without extra packages.
EXPORT_FORMATS = ("csv", "json")
# A flag's message as the source page shows it, in characters: in its table (a standings check's
# arithmetic runs to a few hundred), and in the title of the flag's mark beside its line
# (templates/seasons/source_detail.html).
MESSAGE_SHOWN = 1000
FLAG_TITLE_SHOWN = 120


class ArchiveExport(TableExport):
    """django-tables2's export, safe to open in a spreadsheet: in CSV, a text cell that would
    start a formula (``=``, ``+``, ``-``, ``@``: an athlete named ``=HYPERLINK(…)``) is marked as
    text with a leading apostrophe. JSON keeps every value as it is."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        if self.format != "csv":
            return dataset
        rows = [tuple(spreadsheet_cell(value) for value in row) for row in dataset]
        safe = type(dataset)(*rows, headers=[spreadsheet_cell(h) for h in dataset.headers])
        safe.title = dataset.title
        return safe


def nulls_last(fields, is_descending):
    """Order by ``fields``; a value the source does not give sorts last either way."""
    return [
        F(field).desc(nulls_last=True) if is_descending else F(field).asc(nulls_last=True)
        for field in fields
    ]


class ArchiveTable(tables.Table):
    """Shared look: unknown cells say why they are empty; sort links return to the table."""

    anchor = ""

    class Meta:
        attrs = {"class": "data"}
        default = or_unknown(None)
        orderable = True


class StandingsEntryTable(ArchiveTable):
    """One published standings table. The page shows position, competitor, points and the
    source line; the exports add season and event so that files can be combined."""

    season = tables.Column("Season", accessor="table__season__slug", visible=False)
    event = tables.Column("Event", accessor="table__title", visible=False)
    position = tables.Column(
        "Position", attrs={"th": {"class": "num pos"}, "td": {"class": "num pos"}}
    )
    competitor = tables.Column(
        "Athlete", accessor="athlete", empty_values=(), exclude_from_export=True
    )
    athlete = tables.Column("Athlete", accessor="athlete__name", visible=False)
    # Absolute: a spreadsheet has no page to resolve a site path against.
    athlete_url = tables.Column("Athlete URL", accessor="athlete", visible=False)
    nation = tables.Column("Nation", accessor="nation__code", visible=False)
    points = tables.Column("Points", attrs=NUMBER, initial_sort_descending=True)
    # Also where a reader suggests a correction of the row: a column of its own would not fit
    # beside the standings' explanation.
    source = tables.Column("Source line", accessor="source_line", orderable=False, empty_values=())
    # Exports only: a row's open doubts travel with its values (the page marks them).
    doubts = tables.Column("Flags", empty_values=(), visible=False, orderable=False)

    class Meta(ArchiveTable.Meta):
        attrs = {"class": "data standings"}
        sequence = (
            *("season", "event", "position", "competitor", "athlete", "athlete_url", "nation"),
            "points",
        )
        empty_text = "The source lists no entries for this table."

    def __init__(self, data, *, standings=None, flags=(), doubts=None, **kwargs):
        """``standings``: the StandingsTable shown (its anchor prefixes the sort parameter);
        ``flags``: its flags, marked on the entries they concern; ``doubts``: ``{row: URL}``
        of the published totals the check finds in doubt, each marked beside its points and
        linked to its arithmetic."""
        if standings is not None:
            self.anchor = standings.anchor
            kwargs.setdefault("prefix", f"{standings.anchor}-")
            kwargs.setdefault("attrs", {**self._meta.attrs, "id": f"{standings.anchor}-table"})
        super().__init__(data, **kwargs)
        self.standings = standings
        self.doubts = doubts or {}
        self.flags_by_entry = {}
        for flag in flags:
            if flag.entry_id:
                self.flags_by_entry.setdefault(flag.entry_id, []).append(flag)

    def render_position(self, value, record):
        flags = self.flags_by_entry.get(record.pk, ())
        marks = format_html_join(
            "",
            ' <a class="flag-mark" href="#{}-notes" title="{}">⚑<span class="visually-hidden">'
            " {}</span></a>",
            ((self.anchor, flag.message, flag.get_kind_display()) for flag in flags),
        )
        return format_html("{}.{}", value, marks)

    def value_position(self, value):
        return value

    def render_points(self, value, record):
        url = self.doubts.get(record.row)
        if url is None:
            return value
        mark = render_to_string("includes/doubt_mark.html", {"url": url})
        return format_html("{} {}", value, mark)

    def value_points(self, value):
        return value

    def value_doubts(self, record):
        return "; ".join(
            f"{flag.get_kind_display()}: {flag.message}"
            for flag in self.flags_by_entry.get(record.pk, ())
            if not flag.is_resolved
        )

    def render_competitor(self, record):
        return competitor(record.athlete, record.nation)

    def value_athlete_url(self, value):
        # The table has the request once RequestConfig configured it (or the view set it).
        return self.request.build_absolute_uri(value.get_absolute_url())

    def render_source(self, value, record):
        if not record.source_url:
            line = or_unknown(None, "not imported: added by an editor")
        else:
            line = format_html(
                '<a class="source-link" href="{}">line&nbsp;{}</a>', record.source_url, value
            )
        return format_html("{}{}", line, self.suggest_link(record))

    def value_source(self, value):
        return value

    def suggest_link(self, record):
        """A reader's "Suggest a correction" of this row (seasons/views/suggestions.py)."""
        if self.standings is None:
            return ""
        url = reverse(
            "seasons:suggest-standings",
            kwargs={
                "season": self.standings.season.slug,
                "table": self.standings.anchor,
                "row": record.row,
            },
        )
        what = f"{self.standings.title}, row {record.row}"
        link = render_to_string("includes/suggest_link.html", {"url": url, "what": what})
        return format_html('<span class="row-suggest">{}</span>', link)

    def order_position(self, queryset, is_descending):
        return queryset.order_by("-position" if is_descending else "position", "row"), True

    def order_competitor(self, queryset, is_descending):
        fields = ("athlete__name", "nation__code")
        return queryset.order_by(*nulls_last(fields, is_descending), "row"), True

    def order_points(self, queryset, is_descending):
        return queryset.order_by("-points" if is_descending else "points", "row"), True


class RelayStandingsEntryTable(StandingsEntryTable):
    """A relay table ranks nations, not athletes."""

    competitor = tables.Column(
        "Nation", accessor="nation", empty_values=(), exclude_from_export=True
    )

    class Meta(StandingsEntryTable.Meta):
        exclude = ("athlete", "athlete_url")


def standings_entry_table(standings):
    """The tables2 table for one prefetched StandingsTable (``for_standings_page``)."""
    table_class = RelayStandingsEntryTable if standings.is_relay else StandingsEntryTable
    return table_class(standings.entries.all(), standings=standings, flags=standings.flags.all())


def compact_standings_table(standings, explained, table_url):
    """The season overview's table: position, whom, points, and a mark on a total in doubt
    (``explained``: the table's ``seasons.standings.explain.Explained``, None when the rule is
    not known), linked to its check on the table's page ``table_url``. The source lines and
    the readers' suggestions are on that page."""
    table_class = RelayStandingsEntryTable if standings.is_relay else StandingsEntryTable
    doubts = {}
    if explained is not None:
        doubts = {
            row.entry.row: f"{table_url}#{row.anchor}"
            for row in explained.checks
            if row.check.is_flagged
        }
    return table_class(
        standings.entries.all(),
        standings=standings,
        flags=standings.flags.all(),
        doubts=doubts,
        exclude=(*table_class._meta.exclude, "source"),
        template_name="includes/table_compact.html",
    )


class VenueTable(ArchiveTable):
    city = tables.Column("City", linkify=True)
    arena = tables.Column("Venue", linkify=True)
    country = tables.Column("Country")
    meets = tables.Column(
        "World Cups held", accessor="meet_count", attrs={"td": {"class": "meets"}}
    )

    class Meta(ArchiveTable.Meta):
        attrs = {"class": "data venues", "id": "venues"}
        empty_text = "No venues yet."

    def render_country(self, value):
        return render_to_string("includes/country.html", {"country": value})

    def render_meets(self, record):
        return format_html(
            '<ul class="inline-list">{}</ul>',
            format_html_join(
                "",
                '<li><a href="{}">{} <span class="muted">World Cup {}</span></a></li>',
                (
                    (meet.get_absolute_url(), meet.season.years, meet.order)
                    for meet in record.meets.all()
                ),
            ),
        )

    def order_meets(self, queryset, is_descending):
        return queryset.order_by("-meet_count" if is_descending else "meet_count", "city"), True


class SourceFileTable(ArchiveTable):
    name = tables.Column("File", linkify=True, attrs={"td": {"class": "mono"}})
    season = tables.Column(
        "Season",
        accessor="season_title",
        linkify=lambda record: (
            reverse("seasons:season", kwargs={"season": record.season_slug})
            if record.season_slug
            else None
        ),
    )
    imported_at = tables.Column(
        "Imported",
        default=or_unknown(None, "not recorded: loaded from the bundled fixtures"),
    )
    line_count = tables.Column("Lines", attrs=NUMBER)
    open_flag_count = tables.Column("Open flags", attrs=NUMBER)
    resolved_flag_count = tables.Column("Resolved flags", attrs=NUMBER)
    sha256 = tables.Column("SHA-256", orderable=False)

    class Meta(ArchiveTable.Meta):
        attrs = {"class": "data sources", "id": "sources"}
        empty_text = "No source has been imported yet."

    def render_imported_at(self, value):
        return format_html(
            '<time datetime="{}">{}</time>',
            value.isoformat(),
            format_date(localtime(value), "D j F Y, H:i T"),
        )

    def render_sha256(self, value):
        return format_html('<code title="{}">{}…</code>', value, value[:12])

    def order_season(self, queryset, is_descending):
        return queryset.order_by(*nulls_last(["season_slug"], is_descending), "name"), True


class FlagTable(ArchiveTable):
    """The flags of one source file, each with its line and the page it concerns."""

    line = tables.Column("Line", attrs=NUMBER)
    kind = tables.Column("Doubt")
    message = tables.Column("What the source says", orderable=False)
    concerns = tables.Column(
        "Concerns",
        accessor="target",
        orderable=False,
        linkify=lambda record: record.get_absolute_url(),
    )
    state = tables.Column("State", accessor="resolved_at", empty_values=())

    class Meta(ArchiveTable.Meta):
        attrs = {"class": "data flags", "id": "flag-table"}
        empty_text = "No flags: nothing in this source looked wrong to the importer."
        row_attrs = {
            "id": lambda record: f"flag-{record.line}-{record.kind}",
            "class": lambda record: "resolved" if record.is_resolved else "open",
        }

    def render_line(self, value):
        return format_html('<a href="#L{}">{}</a>', value, value)

    def render_message(self, value):
        # A message may quote its line, which may be long: the line itself is on the page.
        return Truncator(value).chars(MESSAGE_SHOWN)

    def render_state(self, record):
        # Staff resolve a flag from here; the table has a request once RequestConfig configured it.
        request = getattr(self, "request", None)
        back = f"{back_here(request)}#flag-{record.line}-{record.kind}" if request else ""
        edit = edit_link_for(getattr(request, "user", None), record, "flag", next_url=back)
        if not record.is_resolved:
            return format_html('<span class="state state-open">{}</span>{}', "Open", edit)
        return format_html(
            '<span class="state state-resolved">Resolved</span> '
            '<time datetime="{}">{}</time>: {}{}',
            record.resolved_at.isoformat(),
            format_date(localtime(record.resolved_at), "j M Y"),
            record.resolution,
            edit,
        )

    def value_state(self, record):
        return record.resolution if record.is_resolved else "open"

    def order_state(self, queryset, is_descending):
        return queryset.order_by(*nulls_last(["resolved_at"], not is_descending), "line"), True
