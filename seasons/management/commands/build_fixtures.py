import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from seasons.importing.parser import SourceError, read_source
from seasons.importing.writer import import_seasons
from seasons.models import (
    Athlete,
    Flag,
    Meet,
    Nation,
    Race,
    Result,
    ScoringRule,
    Season,
    SourceFile,
    StandingsEntry,
    StandingsTable,
    Venue,
)

# Dependency order, so loaddata never meets a natural key before the row it names.
FIXTURE_MODELS = [
    SourceFile,
    Nation,
    Athlete,
    Season,
    ScoringRule,
    Venue,
    Meet,
    Race,
    Result,
    StandingsTable,
    StandingsEntry,
    Flag,
]


class Command(BaseCommand):
    help = "Regenerate fixtures/archive.json from fixtures/sources/*.txt with the importer."

    def add_arguments(self, parser):
        parser.add_argument("--sources", default=str(settings.SOURCES_DIR))
        parser.add_argument(
            "--output", default=str(Path(settings.FIXTURE_DIRS[0]) / "archive.json")
        )
        # Internal: set by the parent process on the child that builds in a scratch database.
        parser.add_argument("--in-scratch-database", action="store_true", help="(internal)")

    def handle(self, *args, sources, output, in_scratch_database, **options):
        files = sorted(Path(sources).glob("*.txt"))
        if not files:
            raise CommandError(f"{sources}: no *.txt season sources")
        if in_scratch_database:
            self.build(files, Path(output))
            return
        # Build in a throwaway SQLite database in a child process, so the fixtures never depend
        # on (or touch) the database this command was started against.
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
            raise CommandError(lines[-1] if lines else "building the fixtures failed")
        self.stdout.write(done.stdout.strip())

    def build(self, files, output):
        try:
            parsed = [read_source(path) for path in files]
        except SourceError as error:
            raise CommandError(str(error)) from error
        call_command("migrate", interactive=False, verbosity=0)
        # No import time: it would make every build differ.
        import_seasons(parsed, imported_at=None)
        objects = [obj for model in FIXTURE_MODELS for obj in model.objects.order_by("pk")]
        text = serializers.serialize(
            "json",
            objects,
            indent=1,
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
        output.write_text(text + "\n", encoding="utf-8")
        self.stdout.write(f"Wrote {output} ({len(objects)} records from {len(files)} sources)")
