from django.apps import AppConfig


class SeasonsConfig(AppConfig):
    name = "seasons"
    verbose_name = "Archive"

    def ready(self):
        from . import caching

        # Every change to archive data retires the cached pages (seasons/caching.py).
        caching.connect_signals()
