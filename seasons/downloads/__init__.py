"""The whole archive as one download for statisticians (``/data/``): every table as CSV and in
SQLite, every JSON document, the sources and a README, in one zip file rebuilt when the archive
changes.

- ``tables``: the archive's tables as rows of plain values (readable keys, unknown as None);
- ``documents``: every JSON document of ``seasons.api`` at its URL's path;
- ``archive``: the zip file written from both, with its README.txt;
- ``files``: where built files live, one per archive version, built atomically by one process
  at a time.
"""

from .files import Download, build, build_lock, built, ensure

__all__ = ["Download", "build", "build_lock", "built", "ensure"]
