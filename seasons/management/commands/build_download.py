from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from seasons.downloads import build, build_lock


class Command(BaseCommand):
    help = (
        "Build the whole-archive download of /data/ for the archive as it is now, unless it is "
        "built already (for cron and deploys: no reader then waits for it)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--wait",
            type=float,
            default=600.0,
            help="Seconds to wait for a build another process is running (default 600).",
        )

    def handle(self, *args, wait, **options):
        with build_lock(wait=wait) as held:
            if not held:
                raise CommandError(
                    f"Another build of the download held {settings.DOWNLOAD_ROOT} for more "
                    f"than {wait:g} seconds; nothing was built."
                )
            download = build()
        self.stdout.write(f"{download.path} ({filesizeformat(download.size)})")
