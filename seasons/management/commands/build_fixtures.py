from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from seasons.importing.fixtures import FixturesError, build_fixtures, write_fixtures
from seasons.importing.records import SourceError


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
        build = write_fixtures if in_scratch_database else build_fixtures
        try:
            written = build(sources, output)
        except (FixturesError, SourceError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(written)
