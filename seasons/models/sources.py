"""The season articles the archive was read from, and the doubts (flags) raised on their lines."""

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from simple_history.models import HistoricalRecords

from ..vocabulary import FlagKind
from .base import NaturalKeyManager, Versioned, count_of, source_line_url


class SourceFileQuerySet(models.QuerySet):
    def with_flag_counts(self):
        """Annotate the season imported from each file (``season_slug``, ``season_title``) and
        its ``open_flag_count`` and ``resolved_flag_count``."""
        from .calendar import Season  # calendar.py imports this module

        season = Season.objects.filter(source=OuterRef("pk")).order_by("slug")
        flags = Flag.objects.filter(source=OuterRef("pk"))
        return self.annotate(
            season_slug=Subquery(season.values("slug")[:1]),
            season_title=Subquery(season.values("title")[:1]),
            open_flag_count=count_of(flags.filter(resolved_at__isnull=True)),
            resolved_flag_count=count_of(flags.filter(resolved_at__isnull=False)),
        )


class SourceFile(models.Model):
    """A season article the archive was imported from."""

    name = models.CharField(max_length=200, unique=True, help_text="File name, e.g. 2011-12.txt")
    sha256 = models.CharField(max_length=64)
    line_count = models.PositiveIntegerField()
    text = models.TextField(help_text="The source as imported, so every line can be quoted.")
    # Null in the bundled fixtures: a build time would make them differ on every build.
    imported_at = models.DateTimeField(null=True, blank=True)

    objects = NaturalKeyManager.from_queryset(SourceFileQuerySet)("name")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return source_line_url(self.name)

    def natural_key(self):
        return (self.name,)

    def line_text(self, line):
        lines = self.text.splitlines()
        return lines[line - 1] if 0 < line <= len(lines) else ""


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def shown(self):
        """What public pages show: open doubts, and those an editor resolved with a note (kept
        as published, say). A flag that closed itself when its cause was fixed has left the
        main view; the source page keeps it."""
        return self.filter(Q(resolved_at__isnull=True) | Q(fixed_by__isnull=True))

    def on_season(self):
        """Flags about the season itself (its stated dates), not about a meet or table in it."""
        return self.filter(meet__isnull=True, race__isnull=True, table__isnull=True)

    def with_source(self):
        """Flags with their source file's name (for ``source_url``), not its whole text."""
        return self.select_related("source").defer("source__text")

    def with_targets(self):
        """Flags with what they concern, ready to link to the page of each."""
        return self.select_related(
            "source",
            "season",
            "meet__season",
            "race__meet__season",
            "table__season",
            "entry__table__season",
        )


class Flag(Versioned):
    """Something in a source that looks wrong. The archive keeps the source's value and says so;
    an editor resolves the flag with a note."""

    source = models.ForeignKey(SourceFile, on_delete=models.CASCADE, related_name="flags")
    line = models.PositiveIntegerField()
    kind = models.CharField(max_length=30, choices=FlagKind.choices)
    message = models.TextField()
    # What the flag concerns, most specific last. Explicit relations (not a generic foreign key)
    # keep fixtures free of database ids and let pages ask "flags for this meet" with a join.
    season = models.ForeignKey("seasons.Season", on_delete=models.CASCADE, related_name="flags")
    meet = models.ForeignKey(
        "seasons.Meet", null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    race = models.ForeignKey(
        "seasons.Race", null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    table = models.ForeignKey(
        "seasons.StandingsTable",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="flags",
    )
    entry = models.ForeignKey(
        "seasons.StandingsEntry",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="flags",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.TextField(blank=True, help_text="How the flag was resolved.")
    # Set when the flag closed itself: the editor's change that removed its cause (the checks
    # run again after every edit, seasons.doubts). Empty for a flag an editor resolved.
    fixed_by = models.ForeignKey(
        "seasons.Correction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fixed_flags",
        editable=False,
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = NaturalKeyManager.from_queryset(FlagQuerySet)("source__name", "line", "kind")

    class Meta:
        ordering = ["source__name", "line", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["source", "line", "kind"], name="flag_unique_per_line"),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | ~Q(resolution=""),
                name="flag_resolution_has_note",
            ),
        ]

    def __str__(self):
        return f"{self.source}:{self.line}: {self.message}"

    def get_absolute_url(self):
        return self.target.get_absolute_url()

    def natural_key(self):
        return (*self.source.natural_key(), self.line, self.kind)

    natural_key.dependencies = [
        "seasons.sourcefile",
        "seasons.season",
        "seasons.meet",
        "seasons.race",
        "seasons.standingsentry",
    ]

    @property
    def target(self):
        """The most specific record the flag concerns."""
        return self.entry or self.table or self.race or self.meet or self.season

    @property
    def is_resolved(self):
        return self.resolved_at is not None

    @property
    def is_fixed(self):
        """Closed by itself: the change that removed its cause is ``fixed_by``."""
        return self.resolved_at is not None and self.fixed_by_id is not None

    @property
    def source_url(self):
        """The flagged line in the source (``/sources/2011-12.txt#L57``)."""
        return source_line_url(self.source.name, self.line)
