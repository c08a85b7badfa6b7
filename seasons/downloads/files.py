"""Where the built download lives and when it is built again.

One file per archive version (``seasons.caching.current_version``), named by the version's
moment and token: ``skatearchive-20261201T101500Z-<token>.zip`` in ``settings.DOWNLOAD_ROOT``.
A file whose version is not the archive's current one is out of date, and the next reader who
asks builds the current one (or a deploy or cron runs ``manage.py build_download``).

- **Atomic.** A build writes a temporary file in the same directory and renames it into place,
  so a reader sees a whole file or none.
- **One builder at a time**, across every process of every worker, by an exclusive ``flock``
  on a lock file in that directory. The kernel drops the lock when its holder dies, so a
  builder killed mid-way (a worker timeout) blocks nobody; the next one clears its leftovers.
- **Nobody waits who need not.** A build runs in a thread of its own, so the request that set
  it off is answered at once, like every other meanwhile: with the newest earlier file
  (``Download.is_current`` is False), which the page says is being replaced. Only when there is
  no file at all does a request wait for the build, for at most the given time.
- **Not after every save.** While editors work, a new build starts only once the newest file is
  ``settings.DOWNLOAD_REBUILD_SECONDS`` old; until then the page says a newer one will follow.
- **Old files go** once the new one is in place. A reader already sending one keeps its open
  file: on POSIX an unlinked file lives on until it is closed.
"""

import fcntl
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction

from ..caching import current_version
from .archive import TEMP_PREFIX, folder_name, write_archive

PREFIX = "skatearchive-"
NAME = re.compile(r"^skatearchive-(?P<stamp>\d{8}T\d{6}Z|undated)-(?P<token>[0-9A-Za-z]+)\.zip$")
STAMP = "%Y%m%dT%H%M%SZ"
LOCK_NAME = ".build.lock"
POLL_SECONDS = 0.1

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Download:
    path: Path
    token: str
    changed_at: datetime | None
    size: int
    # False while a newer version is being built and this is the last one built.
    is_current: bool = True

    @property
    def filename(self) -> str:
        """What a browser saves it as: ``skatearchive-2026-12-01.zip``."""
        return f"{folder_name(self.changed_at)}.zip"


def root() -> Path:
    return Path(settings.DOWNLOAD_ROOT)


def file_name(token: str, changed_at: datetime | None) -> str:
    stamp = changed_at.astimezone(UTC).strftime(STAMP) if changed_at else "undated"
    return f"{PREFIX}{stamp}-{token or 'none'}.zip"


def read(path: Path) -> Download | None:
    """The download ``path`` holds, or None if it is not one (or vanished meanwhile)."""
    match = NAME.match(path.name)
    if match is None:
        return None
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None
    stamp = match["stamp"]
    changed_at = None if stamp == "undated" else datetime.strptime(stamp, STAMP).replace(tzinfo=UTC)
    token = "" if match["token"] == "none" else match["token"]
    return Download(path=path, token=token, changed_at=changed_at, size=size)


def built() -> list[Download]:
    """Every download on disk, newest version first."""
    found = [download for path in root().glob(f"{PREFIX}*.zip") if (download := read(path))]
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(found, key=lambda download: download.changed_at or oldest, reverse=True)


def find(token: str) -> Download | None:
    return next((download for download in built() if download.token == token), None)


@contextmanager
def build_lock(wait: float) -> Iterator[bool]:
    """Hold the build lock, waiting up to ``wait`` seconds for it; yields whether it is held."""
    root().mkdir(parents=True, exist_ok=True)
    descriptor = os.open(root() / LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o644)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(POLL_SECONDS)
        try:
            yield True
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


@contextmanager
def snapshot() -> Iterator[None]:
    """Read the whole archive as of one moment, holding no write lock.

    PostgreSQL: a read-only REPEATABLE READ transaction. SQLite (in WAL mode, as settings set
    it): a plain deferred transaction, whose first read fixes what it sees; not Django's
    ``atomic()``, which the settings make take the write lock (IMMEDIATE) and so would hold
    every editor's save until the build ends. Inside a transaction already (the tests), that
    transaction's view is the one there is."""
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")


def build() -> Download:
    """Build the download of the archive as it is now, unless it exists; remove every other.
    The caller holds the build lock."""
    folder = root()
    folder.mkdir(parents=True, exist_ok=True)
    clear_leftovers()
    with snapshot():
        token, changed_at = current_version()
        path = folder / file_name(token, changed_at)
        if not path.exists():
            descriptor, temporary = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".zip", dir=folder)
            try:
                with os.fdopen(descriptor, "wb") as target:
                    write_archive(target, token=token, changed_at=changed_at, scratch=folder)
                    target.flush()
                    os.fsync(target.fileno())
                os.chmod(temporary, 0o644)  # mkstemp's 0o600 would hide it from a web server
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
    for download in built():
        if download.path != path:
            download.path.unlink(missing_ok=True)
    return read(path)


def clear_leftovers() -> None:
    """Remove what a builder that died left behind (the lock says no other is running)."""
    for leftover in root().glob(f"{TEMP_PREFIX}*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def start_build() -> None:
    """Build the current download unless a build is running, in a thread of its own (a full
    archive takes longer to build than a request may last: gunicorn would kill the worker), or
    right here when ``settings.DOWNLOAD_BUILD_IN_BACKGROUND`` is off (the tests, whose data only
    their own connection sees)."""
    if getattr(settings, "DOWNLOAD_BUILD_IN_BACKGROUND", True):
        threading.Thread(target=build_in_background, name="download-build", daemon=True).start()
        return
    with build_lock(wait=0) as held:
        if held:
            build()


def build_in_background() -> None:
    try:
        with build_lock(wait=0) as held:
            if held:
                build()
    except Exception:
        # The reader who set it off has had an answer; the next one tries again.
        logger.exception("Building the whole-archive download failed")
    finally:
        connections.close_all()


def age_of(download: Download) -> float:
    """Seconds since ``download`` was written."""
    try:
        return time.time() - download.path.stat().st_mtime
    except FileNotFoundError:
        return float("inf")


def ensure(wait: float) -> Download | None:
    """The download of the archive as it is now, if built. Else a build starts (unless one is
    running) and meanwhile this answers with the newest earlier download (``is_current``
    False), or, when there is none at all, with the new one if it is ready within ``wait``
    seconds; None if it is not."""
    token, _ = current_version()
    found = find(token)
    if found is not None:
        return found
    newest = next(iter(built()), None)
    # An editor saving every few seconds would set off a build (a minute of a worker's time at
    # 30 seasons) after each save: one is started only when the newest file has stood a while.
    if newest is None or age_of(newest) >= settings.DOWNLOAD_REBUILD_SECONDS:
        start_build()
    deadline = time.monotonic() + wait
    while newest is None and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        newest = next(iter(built()), None)
    if newest is None:
        return None
    return replace(newest, is_current=newest.token == token)
