from django.core.management import call_command
from django.core.management.base import BaseCommand

from seasons.models import Season


class Command(BaseCommand):
    help = "Load the bundled fixtures, but only into an empty archive (never over editors' work)."

    def handle(self, *args, **options):
        if Season.objects.exists():
            count = Season.objects.count()
            self.stdout.write(f"The archive already holds {count} seasons; fixtures not loaded.")
            return
        call_command("loaddata", "archive", stdout=self.stdout)
