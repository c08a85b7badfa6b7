"""What every stored row shares: natural keys, provenance (the source line it came from) and
edit-safety (what the importer last wrote, a version for stale forms)."""

import json

from django.db import models
from django.db.models import F, Func, IntegerField, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from ..limits import source_page_start


def source_line_url(name, line=None):
    """``/sources/2011-12.txt#L57``: where a source file shows ``line`` (the file's page when
    there is no line); ``/sources/2011-12.txt?from=201#L257`` past the first page. The one place
    that knows how a source line is addressed."""
    url = reverse("seasons:source", kwargs={"name": name})
    if not line:
        return url
    start = source_page_start(line)
    return f"{url}?from={start}#L{line}" if start > 1 else f"{url}#L{line}"


class NaturalKeyManager(models.Manager):
    """``get_by_natural_key`` for a natural key made of the given lookups, in order (a lookup may
    cross relations: ``season__slug``). ``natural_key()`` on the model returns the same values."""

    def __init__(self, *lookups):
        super().__init__()
        self.lookups = lookups

    def get_by_natural_key(self, *key):
        return self.get(**dict(zip(self.lookups, key, strict=True)))


def count_of(queryset):
    """A correlated ``COUNT`` of ``queryset`` (filtered on an ``OuterRef``) for ``annotate()``.
    A subquery, not a join: several counts on one row would multiply each other through joins."""
    counted = queryset.order_by().annotate(count=Func(F("pk"), function="COUNT")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def key_text(natural_key):
    """A natural key as one indexable string: ``["2011-12","saguenay","men",500,1,3]``."""
    return json.dumps(list(natural_key), ensure_ascii=False, separators=(",", ":"))


# The importer's bookkeeping: not part of a row's edit history.
IMPORT_FIELDS = ["imported_values", "imported_key"]


class Versioned(models.Model):
    """A row whose ``version`` moves on with every save of it, so that an admin form opened
    before another save (an editor's, an import's) can be refused (seasons/admin/forms.py).

    The one place a version moves: the importer saves only a row it changes, so an unchanged
    re-import leaves versions as they were. Each model declares ``version`` itself, where it
    stands among its fields: the fixtures list fields in that order, and moving the field here
    would rewrite them.
    """

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        if not self._state.adding:
            self.version += 1
            if update_fields is not None:
                update_fields = {*update_fields, "version"}
        super().save(*args, update_fields=update_fields, **kwargs)


class Sourced(Versioned):
    """Provenance and edit-safety for every imported row.

    ``imported_values`` is what the importer last wrote. A re-import compares it with the row's
    current values to tell an editor's correction (keep it) from an untouched row (update it).
    ``imported_key`` is the row's natural key as the source gives it (:func:`key_text`): an
    editor may move a row (a result to another place or race, a race to another distance) and
    the importer still finds it, instead of creating the source's version again beside it.
    ``version`` increases on every save (:class:`Versioned`), so a stale admin form can be
    refused.
    """

    source = models.ForeignKey(
        "seasons.SourceFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_line = models.PositiveIntegerField(null=True, blank=True)
    imported_values = models.JSONField(default=dict, blank=True, editable=False)
    imported_key = models.CharField(max_length=400, blank=True, db_index=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    @property
    def is_imported(self):
        return self.source_id is not None

    @property
    def source_url(self):
        """The source line this row came from (``/sources/2011-12.txt#L57``); "" if none.
        Load ``source`` with the row (``SourcedQuerySet.with_source``) to avoid a query each."""
        if not self.source_id:
            return ""
        return source_line_url(self.source.name, self.source_line)


class SourcedQuerySet(models.QuerySet):
    def with_source(self):
        """Rows with their source file's name (for ``source_url``), not its whole text."""
        return self.select_related("source").defer("source__text")
