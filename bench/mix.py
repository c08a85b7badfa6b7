"""The read/write mix of ``make bench``: requests per second over a mix of pages readers visit,
with nobody editing and with an editor saving a race every second, side by side in alternating
rounds against one gunicorn started as ``make serve`` starts it.

The editor is real: a staff user in this process posting the Django admin's race form (its
podium inline, a reason for the change) for a race of a meet in the mix, as an editor's browser
would, through the whole admin path (the version check, the correction log, the re-check of
doubts). Each save retires what it touches (seasons/caching/scopes.py); the readers' gunicorn
workers see it on their next request.
"""

import re
import shutil
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

ACCEPT_ENCODING = "gzip, deflate, br"


def wrk_script(paths, directory):
    """A wrk Lua script that requests ``paths`` in turn, with a browser's Accept-Encoding."""
    quoted = ", ".join(f'"{path}"' for path in paths)
    script = Path(directory) / "mix.lua"
    script.write_text(
        f"local paths = {{{quoted}}}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        f'  return wrk.format("GET", paths[i], {{["Accept-Encoding"] = "{ACCEPT_ENCODING}"}})\n'
        "end\n",
        encoding="utf-8",
    )
    return script


def wrk_run(url, seconds, connections, script=None):
    """``(requests/s, median latency ms)`` of one wrk run; refuses a run with errors."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    command += ["-s", str(script)] if script else ["-H", f"Accept-Encoding: {ACCEPT_ENCODING}"]
    done = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    if "Non-2xx" in done.stdout or "Socket errors" in done.stdout:
        raise RuntimeError(f"{url}: errors under load (or a request over 10 s)\n{done.stdout}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", done.stdout).group(1))
    value, unit = re.search(r"50%\s+([\d.]+)(us|ms|s)", done.stdout).groups()
    return rps, float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


class Editor(threading.Thread):
    """Saves ``race`` through the admin's race form every ``interval`` seconds until stopped,
    changing its winner's time back and forth."""

    TIMES = ("1:30.111", "1:30.222")

    def __init__(self, race, interval=1.0):
        super().__init__(daemon=True)
        self.race, self.interval = race, interval
        self.stopping = threading.Event()
        self.saves, self.failures, self.seconds = 0, [], []

    def run(self):
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client

        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(get_user_model().objects.filter(is_superuser=True).first())
        url = f"/admin/seasons/race/{self.race.pk}/change/"
        try:
            while not self.stopping.is_set():
                started = time.perf_counter()
                try:
                    self.save(client, url)
                except Exception as error:  # reported with the figures, never silent
                    self.failures.append(repr(error))
                spent = time.perf_counter() - started
                self.seconds.append(spent)
                self.stopping.wait(max(0.0, self.interval - spent))
        finally:
            connection.close()

    def save(self, client, url):
        from tests.helpers import form_fields  # the admin form as a browser would post it

        data = form_fields(client.get(url), "race_form")
        # The first podium row (the inline lists the race's results by place).
        data["results-0-time"] = self.TIMES[self.saves % 2]
        data["change_reason"] = "times from the ISU results"
        response = client.post(url, data)
        if response.status_code == 302:
            self.saves += 1
        else:
            self.failures.append(response.status_code)

    def stop(self):
        self.stopping.set()
        self.join(timeout=30)


def editor_account():
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    if not users.filter(is_superuser=True).exists():
        users.create_superuser("bench-editor", "bench@example.org", "bench-editor-password")


def measure_mix(base, paths, race, rounds, seconds, connections, scratch):
    """Per round, the mix read-only and then with the editor saving every second:
    ``{"read-only": [(rps, ms)...], "editing": [...], "saves": n, "failures": [...]}``."""
    if not shutil.which("wrk"):
        return None
    editor_account()
    script = wrk_script(paths, scratch)
    for path in paths:  # every page once into the shared cache
        with urllib.request.urlopen(base + path, timeout=30) as response:
            response.read()
    samples = {"read-only": [], "editing": [], "saves": 0, "failures": [], "save seconds": []}
    for _ in range(rounds):
        samples["read-only"].append(wrk_run(base + paths[0], seconds, connections, script))
        editor = Editor(race)
        editor.start()
        try:
            samples["editing"].append(wrk_run(base + paths[0], seconds, connections, script))
        finally:
            editor.stop()
        samples["saves"] += editor.saves
        samples["failures"] += editor.failures
        samples["save seconds"] += editor.seconds
    if not samples["saves"]:
        raise RuntimeError(f"the editor saved nothing: {samples['failures'][:3]}")
    return samples
