from django.apps import AppConfig


class SeasonsConfig(AppConfig):
    name = "seasons"
    verbose_name = "Archive"

    def ready(self):
        from . import caching, corrections, redirects

        # Every change to archive data retires the cached pages (seasons/caching.py).
        caching.connect_signals()
        # A changed slug leaves a 301 behind (seasons/redirects.py).
        redirects.connect()
        # An editor's save is logged for /changes/ as it happens (seasons/corrections.py).
        corrections.connect()
