from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from seasons.models import Season
from seasons.standings.check import check_standings
from seasons.standings.docs import update_markdown


class Command(BaseCommand):
    help = (
        "Check every published standings total against its season's scoring rule and flag the "
        "ones that cannot be reached (idempotent; the importer runs it too)."
    )

    def add_arguments(self, parser):
        parser.add_argument("seasons", nargs="*", help="season slugs, e.g. 2011-12 (default: all)")
        parser.add_argument(
            "--markdown",
            metavar="FILE",
            help="also rewrite the generated section of FILE (docs/STANDINGS.md) from the data",
        )

    def handle(self, *args, seasons, markdown, **options):
        chosen = Season.objects.all()
        if seasons:
            chosen = chosen.filter(slug__in=seasons)
            missing = sorted(set(seasons) - set(chosen.values_list("slug", flat=True)))
            if missing:
                raise CommandError(f"no such season: {', '.join(missing)}")
        report = check_standings(chosen)
        self.stdout.write(
            f"{report.checked} published totals: {report.reproduced} reproduced exactly, "
            f"{report.reachable} reachable, {report.unreachable} cannot be reached"
        )
        self.stdout.write(
            f"  flags: {report.flags_created} new, {report.flags_updated} updated, "
            f"{report.flags_removed} no longer apply"
        )
        if report.rules_created:
            self.stdout.write(f"  default scoring rules created: {report.rules_created}")
        for line in report.unflagged:
            self.stdout.write(self.style.WARNING(f"  not flagged (no source line): {line}"))
        if markdown:
            try:
                changed = update_markdown(Path(markdown))
            except (OSError, ValueError) as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"{markdown}: {'updated' if changed else 'already up to date'}")
