"""The bundled fixtures (fixtures/archive.json): the importer's output on the bundled sources.

Byte-stable, so that regenerating them from unchanged sources gives no diff: built in a
throwaway database (never the one the command was started against), with no import time, rows
in a fixed order and natural keys instead of database ids.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management import call_command

from ..models import ARCHIVE_MODELS
from .parser import read_source
from .writer import import_seasons


class FixturesError(Exception):
    """The fixtures cannot be built; the message says why."""


def source_files(sources: str | Path) -> list[Path]:
    """The season sources in ``sources``, in name order."""
    files = sorted(Path(sources).glob("*.txt"))
    if not files:
        raise FixturesError(f"{sources}: no *.txt season sources")
    return files


def build_fixtures(sources: str | Path, output: str | Path) -> str:
    """Build the fixtures from ``sources`` into ``output`` in a throwaway SQLite database, in a
    child process (``build_fixtures --in-scratch-database``), so that they never depend on, or
    touch, the database this process uses; return the child's report line."""
    source_files(sources)
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{Path(scratch) / 'build.sqlite3'}"}
        command = [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "build_fixtures",
            "--in-scratch-database",
            f"--sources={sources}",
            f"--output={output}",
        ]
        done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        raise FixturesError(lines[-1] if lines else "building the fixtures failed")
    return done.stdout.strip()


def write_fixtures(sources: str | Path, output: str | Path) -> str:
    """Import ``sources`` into this (scratch) database and write every row to ``output``; return
    what was written. Parses every file before migrating, so a bad source stops it first."""
    files = source_files(sources)
    parsed = [read_source(path) for path in files]
    call_command("migrate", interactive=False, verbosity=0)
    # No import time: it would make every build differ.
    import_seasons(parsed, imported_at=None)
    objects = [obj for model in ARCHIVE_MODELS for obj in model.objects.order_by("pk")]
    text = serializers.serialize(
        "json",
        objects,
        indent=1,
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
    )
    output = Path(output)
    output.write_text(text + "\n", encoding="utf-8")
    return f"Wrote {output} ({len(objects)} records from {len(files)} sources)"
