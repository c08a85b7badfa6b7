"""What editors' work leaves behind: the page scopes whose tokens retire cached pages, the log of
corrections, and the imported rows they deleted."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from .sources import SourceFile


class PageScope(models.Model):
    """A part of the archive that public pages show, with a token that changes whenever a row
    in it changes (see ``seasons/caching/``): ``season:2011-12``, ``meet:2011-12/nagoya``,
    ``athlete:elodie-testaz``, ``nation:kor``, a list (``athletes``), ``all`` (every page) and
    ``~any`` (changes with every change, shown by no page but the whole-archive download).

    A cached page stores the tokens of the scopes it shows and is served only while they are
    current. The tokens live in the database, not in a cache, and change inside the transaction
    that changes the data: every gunicorn worker, on every machine, sees an editor's save on its
    next request, and a save rolled back retires nothing. Tokens are random, never counters, so a
    rolled-back token is never reused with different data. A scope never changed has no row.
    """

    name = models.CharField(max_length=200, primary_key=True)
    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} {self.token} of {self.changed_at:%Y-%m-%d %H:%M:%S}"


@dataclass(frozen=True)
class FieldChange:
    """One field of one record, as an editor reads it: labels, not ids or codes."""

    field: str
    old: str
    new: str

    def __str__(self):
        return f"{self.field}: {self.old} → {self.new}"


class CorrectionAction(models.TextChoices):
    ADDED = "added", "added"
    CHANGED = "changed", "changed"
    DELETED = "deleted", "deleted"
    # Two athletes found to be one person (seasons.merging): one entry for the whole move.
    MERGED = "merged", "merged"


class Correction(models.Model):
    """One editor's saved edit of one archive record: the log that /changes/ and its feed read.

    Written when the edit is saved (``seasons.corrections``), with everything the public list shows
    worked out then, so that reading the latest corrections is one query however many there are
    and however many models they touch. Labels stay as the edit left them: renaming an athlete
    later does not rewrite what an earlier correction said. ``content_type`` and ``object_id``
    trace the record (and its history in admin) even after it is deleted.
    """

    when = models.DateTimeField()
    kind = models.CharField(max_length=100, help_text="The record's type: “Result”.")
    # Text, not a length-limited string: a label too long must not fail an editor's save.
    record = models.TextField(help_text="The record as it read after the edit (before a deletion).")
    url = models.CharField(max_length=500, blank=True, help_text="Its public page, if it has one.")
    action = models.CharField(max_length=7, choices=CorrectionAction.choices)
    changes = models.JSONField(
        default=list,
        blank=True,
        help_text="For a change: [{field, old, new}] as the page shows them.",
    )
    who = models.CharField(
        max_length=301,  # first and last name, 150 characters each
        help_text="The editor's full name, else “an editor”: never a username.",
    )
    reason = models.CharField(max_length=100, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    suggestion = models.ForeignKey(
        "seasons.Suggestion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="corrections",
        help_text="The reader's suggestion this correction applied, if any.",
    )

    class Meta:
        ordering = ["-when", "-id"]
        indexes = [
            models.Index(fields=["-when", "-id"], name="correction_newest_first"),
            models.Index(fields=["content_type", "object_id"], name="correction_record"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=CorrectionAction.values), name="correction_action_valid"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.record} {self.action}"

    def get_absolute_url(self):
        return f"{reverse('seasons:changes')}#{self.anchor}"

    @property
    def anchor(self):
        """The correction's row id on /changes/ and its feed entry's id: from what it changed and
        when, not a database id, so a rebuilt log keeps every id its feed readers have seen."""
        key = f"{self.kind}|{self.record}|{self.when.isoformat()}"
        return "c-" + hashlib.sha256(key.encode()).hexdigest()[:12]

    @property
    def field_changes(self):
        return tuple(FieldChange(**change) for change in self.changes)

    @property
    def summary(self):
        """``Result Nagoya 2011–12 Men 500 m: 1. X — changed Athlete: — → X``."""
        detail = "; ".join(map(str, self.field_changes))
        return f"{self.kind} {self.record} — {self.action}" + (f" {detail}" if detail else "")


class Deletion(models.Model):
    """An imported row an editor deleted: the importer does not bring it back.

    Without it, the next import of an unchanged source would re-create the row, silently undoing
    the editor's correction. Kept per row by its natural key (what the importer matches on), with
    what the source said when it was deleted: a re-import of the same values leaves it deleted;
    one whose source changed that row since reports a conflict (``--overwrite`` re-creates it).
    Deleting this record lets the next import restore the row.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    key = models.JSONField(help_text="The row's natural key: what the importer matches on.")
    record = models.TextField(help_text="The row as it read when it was deleted.")
    imported_values = models.JSONField(
        default=dict, help_text="What the source said of the row when it was deleted."
    )
    source = models.ForeignKey(
        SourceFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_line = models.PositiveIntegerField(null=True, blank=True)
    deleted_at = models.DateTimeField(default=timezone.now)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-deleted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "key"], name="deletion_unique_row"),
        ]

    def __str__(self):
        return f"{self.content_type.name} {self.record}"

    @property
    def kind(self):
        return capfirst(self.content_type.name)
