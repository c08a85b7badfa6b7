from django.core.management.base import BaseCommand, CommandError

from seasons.importing.synthetic import MAX_SEASONS, SyntheticArchiveError, generate_archive


class Command(BaseCommand):
    help = (
        "Add a synthetic archive at scale (for benchmarks and scale tests): N seasons of 6 meets, "
        "10 races each with 8 named results, and 8 standings tables of 50 rows, dated from "
        "1901-02 and marked synthetic. Refuses a database with real seasons unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seasons", type=int, required=True, help=f"how many seasons (1 to {MAX_SEASONS})"
        )
        parser.add_argument("--seed", type=int, default=0, help="same seed, same archive")
        parser.add_argument(
            "--force",
            action="store_true",
            help="add synthetic seasons even though the database holds real ones",
        )

    def handle(self, *args, seasons, seed, force, **options):
        try:
            report = generate_archive(seasons, seed=seed, force=force)
        except SyntheticArchiveError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Generated {report.summary}")
