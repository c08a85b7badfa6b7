"""The scopes' tokens (:class:`~seasons.models.PageScope`): read for a page, changed by a save.

* A save or delete of an archive row retires the scopes of what the row was and of what it is
  (``seasons.caching.scopes.row_scopes``): ``pre_save`` reads the stored row, ``post_save`` the
  new one. The tokens change inside the transaction that changes the data, so they commit or
  roll back with it, and every worker on every machine sees them on its next request.
* Writes that send no signals (``bulk_create``, ``QuerySet.update()``, raw SQL) must call
  :func:`retire` or :func:`bump_archive_version` themselves. An import, which saves thousands of
  rows, retires everything once at its end instead (:func:`retiring_everything`).
* When a retirement commits, :data:`pages_retired` is sent with its scopes: the hook for a CDN
  or reverse proxy purge (docs/CACHING.md).
"""

import contextlib
import contextvars
import datetime
import secrets

import django.dispatch
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ..models import PageScope, Suggestion
from .scopes import ALL, ANY, changed_scopes, only_version_saved, row_scopes

# Apps whose rows public pages show; each of their models retires scopes when saved.
# (sites: sitemap.xml takes its domain from the Site; redirects: an old slug's 301.)
ARCHIVE_APPS = frozenset({"seasons", "sites", "redirects"})
# Rows of those apps that no public page shows: a reader's suggestion changes no page until an
# editor applies it (and that save retires the pages), so a flood of them retires nothing.
NOT_SHOWN = frozenset({PageScope, Suggestion})

# Sent once a retirement has committed, with ``scopes`` (a frozenset of names): for a purge.
pages_retired = django.dispatch.Signal()

# Inside :func:`retiring_everything`: the rows saved so far retire nothing each.
_batch = contextvars.ContextVar("page_scope_batch", default=None)


def scope_tokens(names, using=DEFAULT_DB_ALIAS, *, parsed=True):
    """``{name: (token, changed_at)}`` of the scopes ``names`` that have ever changed. Plain SQL:
    this runs on every cached request, and the ORM's query building was most of a hit's time.
    With ``parsed=False``, ``changed_at`` as the database gives it (text on SQLite, which sorts
    as the times do): a hit parses only the latest, with :func:`aware`."""
    names = list(names)
    connection = connections[using]
    table = connection.ops.quote_name(PageScope._meta.db_table)
    marks = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name, token, changed_at FROM {table} WHERE name IN ({marks})", names
        )
        rows = cursor.fetchall()
    if not parsed:
        return {name: (token, changed_at) for name, token, changed_at in rows}
    return {name: (token, aware(changed_at)) for name, token, changed_at in rows}


def aware(value):
    """A ``changed_at`` as an aware datetime: SQLite gives naive UTC as text, PostgreSQL an
    aware datetime."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.UTC)
    return value


def current_version(using=DEFAULT_DB_ALIAS):
    """``(token, changed_at)`` of the archive as a whole (``~any``); ``("", None)`` before its
    first change."""
    return scope_tokens([ANY], using).get(ANY, ("", None))


def retire(scopes, using=DEFAULT_DB_ALIAS):
    """Give ``scopes`` (and ``~any``) new tokens, retiring every cached page that shows them. Runs
    in the caller's transaction: rolled back with it, seen by every process when it commits."""
    batch = _batch.get()
    if batch is not None:
        batch.add(using)
        return
    names = {*scopes, ANY}
    token, now = secrets.token_hex(16), timezone.now()
    PageScope.objects.using(using).bulk_create(
        [PageScope(name=name, token=token, changed_at=now) for name in sorted(names)],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["token", "changed_at"],
    )
    retired = frozenset(names)
    transaction.on_commit(
        lambda: pages_retired.send(sender=PageScope, scopes=retired, using=using), using=using
    )


def bump_archive_version(using=DEFAULT_DB_ALIAS):
    """Retire every cached page (after a write that sends no signals)."""
    retire({ALL}, using)


@contextlib.contextmanager
def retiring_everything():
    """Within the block, saves retire nothing one by one; at its end, if any row was saved, every
    page is retired once. For imports: a season's thousands of rows would each look up and retire
    their scopes, and an import changes most of what the pages of its season show anyway. Use it
    inside the transaction of the writes."""
    batch = set()
    reset = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(reset)
    for using in batch:
        if not transaction.get_rollback(using):  # a dry run, rolled back: nothing changed
            retire({ALL}, using)


# The signals


def is_archive_model(model):
    # simple-history's historical models only ever change together with their instance.
    return (
        model._meta.app_label in ARCHIVE_APPS
        and model not in NOT_SHOWN
        and not hasattr(model, "instance_type")
    )


def before_save(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, update_fields=None, **kw):
    """Remember the row as stored, before the save changes it: its scopes retire too, and what
    changed says which (``changed_scopes``)."""
    if raw or _batch.get() is not None or instance.pk is None:
        return
    if only_version_saved(instance, update_fields):
        return
    instance._stored = sender._base_manager.using(using).filter(pk=instance.pk).first()


def after_save(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, update_fields=None, **kw):
    if raw:  # loaddata: the rows it points at may not be loaded yet
        retire({ALL}, using)
        return
    if only_version_saved(instance, update_fields):
        return
    if _batch.get() is not None:
        retire((), using)
        return
    retire(changed_scopes(instance.__dict__.pop("_stored", None), instance), using)


def after_delete(sender, instance, using=DEFAULT_DB_ALIAS, **kw):
    retire(row_scopes(instance) if _batch.get() is None else (), using)


def connect_signals():
    """Connect each archive model (not every model: a receiver for all senders would turn off
    Django's fast delete everywhere). Called from ``SeasonsConfig.ready()``."""
    from django.apps import apps

    for model in apps.get_models():
        if is_archive_model(model):
            uid = f"page-scopes:{model._meta.label}"
            pre_save.connect(before_save, sender=model, dispatch_uid=uid)
            post_save.connect(after_save, sender=model, dispatch_uid=uid)
            post_delete.connect(after_delete, sender=model, dispatch_uid=uid)
