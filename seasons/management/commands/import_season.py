from django.core.management.base import BaseCommand, CommandError

from seasons.importing.parser import read_source
from seasons.importing.records import SourceError
from seasons.importing.writer import import_seasons


class Command(BaseCommand):
    help = "Import season articles into the archive, all files in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="season article text files")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change; write nothing"
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="settle conflicts with the source: where an editor and the source both changed "
            "a value since the last import, take the source's (and re-create a row an editor "
            "deleted whose source line has changed since)",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="import a different article for a season already imported from another file",
        )

    def handle(self, *args, files, dry_run, overwrite, replace, verbosity, **options):
        # Parse everything first: a bad file stops the import before anything is written.
        try:
            parsed = [read_source(path) for path in files]
        except SourceError as error:
            raise CommandError(str(error)) from error
        try:
            report = import_seasons(parsed, overwrite=overwrite, dry_run=dry_run, replace=replace)
        except SourceError as error:
            raise CommandError(str(error)) from error
        prefix = "Dry run, nothing written: would be " if dry_run else ""
        names = ", ".join(season.path for season in parsed)
        self.stdout.write(f"{prefix}{names}: {report.summary}")
        for label, outcome in (
            ("created", report.created),
            ("updated", report.updated),
        ):
            if outcome:
                detail = ", ".join(f"{count} {name}" for name, count in sorted(outcome.items()))
                self.stdout.write(f"  {label}: {detail}")
        if report.flags_created or report.flags_removed:
            self.stdout.write(
                f"  data-quality flags: {report.flags_created} new, "
                f"{report.flags_removed} no longer apply"
            )
        # -v 2 lists every open doubt, file:line first; a dry run always gives the whole report.
        if report.open_flags and (verbosity >= 2 or dry_run):
            self.stdout.write(f"  open data-quality flags ({len(report.open_flags)}):")
            for line in report.open_flags:
                self.stdout.write(f"    {line}")
        for line in report.same_as:
            self.stdout.write(f"  {line}: nothing to change")
        if report.kept:
            self.stdout.write(
                f"  kept {len(report.kept)} editor corrections the source did not touch"
            )
        for line in report.missing:
            self.stdout.write(f"  no longer in the source (kept): {line}")
        for line in report.deleted:
            self.stdout.write(f"  deleted by an editor (left deleted): {line}")
        if report.conflicts:
            action = (
                "replaced by the source (--overwrite)" if overwrite else "kept the editor's value"
            )
            self.stdout.write(
                self.style.WARNING(
                    f"  {len(report.conflicts)} conflicts with editors' changes, {action}:"
                )
            )
            for conflict in report.conflicts:
                self.stdout.write(f"    {conflict}")
