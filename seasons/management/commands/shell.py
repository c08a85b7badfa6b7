from django.core.management.commands import shell


class Command(shell.Command):
    """Django's shell, importing every model of the archive at the prompt.

    django-simple-history names a model package's historical models after the app
    (``seasons.HistoricalRace``), where they cannot be imported from; each is imported from the
    module that defines it instead, so the shell starts without "could not be imported".
    """

    def get_auto_imports(self):
        from django.apps import apps

        paths = []
        for path in super().get_auto_imports():
            module, _, name = path.rpartition(".")
            if module == "seasons" and name.startswith("Historical"):
                model = apps.get_model("seasons", name)
                path = f"{model.instance_type.__module__}.{name}"
            paths.append(path)
        return paths
