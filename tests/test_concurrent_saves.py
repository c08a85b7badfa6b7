"""Two editors saving at the same instant, against a real gunicorn with several workers, as
`make serve` runs it: no save answers 500, and nothing is lost. Each trial releases both saves
of one race at once; one is saved, the other is refused with what changed and its input kept,
and saving that form again keeps both edits. A save that waits past the bound for a write held
elsewhere comes back with "try again" and its input, never a 500.

The server runs over a database of its own: a SQLite file (the default) or, when the suite runs
on PostgreSQL (DATABASE_URL), a database created for it on the same server. Neither is the test
database: gunicorn's processes must see committed data, and what they write stays theirs.
"""

import http.client
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings

from seasons.middleware import BUSY_MESSAGE
from tests.helpers import form_fields

BASE = Path(settings.BASE_DIR)
WORKERS = 4
TRIALS = 20
# How long a save waits for another write before it is refused (SKATEARCHIVE_DB_WAIT): short,
# so that the "try again" test is quick, and still ten times a save's time under load.
WAIT = 4
PASSWORD = "a long editor password for the live server"
RACE_DATES = ["28/10/2011", "29/10/2011"]
RECORDS = ["WR", "TR", ""]
CONFLICT = re.compile(r"(alice|bob) saved this race at [^,]+, after you opened it")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveDatabase:
    """The server's own database: ``url`` for it, ``lock_race()`` to hold a race's row (or all of
    SQLite) from outside, ``drop()`` when done."""

    def __init__(self, scratch):
        configured = os.environ.get("DATABASE_URL", "")
        self.postgres = configured.startswith(("postgres://", "postgresql://"))
        if self.postgres:
            import psycopg

            self.server = urlsplit(configured)
            self.name = f"skatearchive_live_{os.getpid()}_{secrets.token_hex(3)}"
            with psycopg.connect(configured, autocommit=True) as connection:
                connection.execute(f'CREATE DATABASE "{self.name}"')
            self.url = self.server._replace(path=f"/{self.name}").geturl()
        else:
            self.path = scratch / "live.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def lock_race(self, race_pk):
        """An open connection holding the lock a save of the race needs; close it to release."""
        if self.postgres:
            import psycopg

            connection = psycopg.connect(self.url)
            connection.execute("SELECT id FROM seasons_race WHERE id = %s FOR UPDATE", [race_pk])
            return connection
        connection = sqlite3.connect(self.path, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        return connection

    def drop(self):
        if self.postgres:
            import psycopg

            with psycopg.connect(self.server.geturl(), autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def live_site(tmp_path_factory):
    """gunicorn with WORKERS workers over the bundled archive in a database of its own, DEBUG
    off, with two editors, alice and bob. Yields ``(base_url, database)``."""
    scratch = tmp_path_factory.mktemp("live")
    database = LiveDatabase(scratch)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_MANIFEST_STATIC": "0",
        "SKATEARCHIVE_DB_WAIT": str(WAIT),
        "SKATEARCHIVE_EDITOR_PASSWORD": PASSWORD,
        "REDIS_URL": "",
    }
    manage = [sys.executable, str(BASE / "manage.py")]
    server = None
    try:
        for command in (
            ["migrate", "--no-input"],
            ["load_archive"],
            ["create_editor", "alice"],
            ["create_editor", "bob"],
        ):
            subprocess.run([*manage, *command], env=env, cwd=BASE, check=True, capture_output=True)
        gunicorn = Path(sys.executable).parent / "gunicorn"
        log = scratch / "gunicorn.log"
        server = subprocess.Popen(
            [
                *(str(gunicorn), "skatearchive.wsgi", f"--bind=127.0.0.1:{port}"),
                *(f"--workers={WORKERS}", "--timeout=60", f"--error-logfile={log}"),
            ],
            env=env,
            cwd=BASE,
        )
        wait_until_up(port, server, log)
        yield f"127.0.0.1:{port}", database
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        database.drop()


def wait_until_up(port, server, log):
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited: {log.read_text()}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/robots.txt")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    pytest.fail("gunicorn did not answer within 90 s")


class Editor:
    """An editor's browser: cookies kept, redirects not followed, forms posted as read."""

    def __init__(self, host, username):
        self.host, self.cookies = host, {}
        login = self.get("/admin/login/")
        fields = form_fields(login, "login-form")
        done = self.post("/admin/login/", {**fields, "username": username, "password": PASSWORD})
        assert done.status == 302, f"{username} could not log in: {done.status}"

    def request(self, method, path, data=None):
        connection = http.client.HTTPConnection(self.host, timeout=120)
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        text = response.read().decode()
        connection.close()
        return SimpleNamespace(status=response.status, text=text)

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, data):
        return self.request("POST", path, data)


@pytest.fixture(scope="module")
def editors(live_site):
    host, _ = live_site
    return Editor(host, "alice"), Editor(host, "bob")


@pytest.fixture(scope="module")
def race_url(editors):
    """The change page of the Saguenay men's 500 m (1), found as an editor finds it."""
    listing = editors[0].get("/admin/seasons/race/?q=Saguenay&gender__exact=men")
    links = re.findall(r'href="(/admin/seasons/race/\d+/change/)[^"]*">([^<]*)</a>', listing.text)
    found = {url for url, label in links if "500" in label and "(1)" in label}
    assert len(found) == 1, links
    return found.pop()


def open_race(editor, url):
    page = editor.get(url)
    assert page.status == 200
    return form_fields(page, "race_form")


def stored_race(editor, url):
    fields = open_race(editor, url)
    return fields["date"], fields["record"]


def save_at_once(saves):
    """Post each ``(editor, url, data)`` from its own thread, released together."""
    barrier = threading.Barrier(len(saves))
    answers = [None] * len(saves)

    def post(index, editor, url, data):
        barrier.wait()
        answers[index] = editor.post(url, data)

    threads = [threading.Thread(target=post, args=(i, *save)) for i, save in enumerate(saves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_simultaneous_saves_of_one_race_lose_nothing(editors, race_url):
    alice, bob = editors
    statuses = []
    for trial in range(TRIALS):
        date, record = stored_race(alice, race_url)
        new_date = next(day for day in RACE_DATES if day != date)
        new_record = RECORDS[(RECORDS.index(record) + 1) % len(RECORDS)]
        alices, bobs = open_race(alice, race_url), open_race(bob, race_url)
        alices.update(date=new_date, change_reason=f"trial {trial}: date")
        bobs.update(record=new_record, change_reason=f"trial {trial}: record")

        answers = save_at_once([(alice, race_url, alices), (bob, race_url, bobs)])

        statuses.append(sorted(answer.status for answer in answers))
        assert sorted(answer.status for answer in answers) == [200, 302], f"trial {trial}"
        refused_editor, refused = next(
            (editor, answer)
            for editor, answer in zip(editors, answers, strict=True)
            if answer.status == 200
        )
        assert CONFLICT.search(refused.text), f"trial {trial}: {refused.text[:2000]}"
        kept = form_fields(refused, "race_form")
        # The refused editor's input is in the form, with the other's edit beside it.
        assert (kept["date"], kept["record"]) == (new_date, new_record), f"trial {trial}"

        resaved = refused_editor.post(race_url, kept)
        assert resaved.status == 302, f"trial {trial}: {resaved.text[:2000]}"
        assert stored_race(alice, race_url) == (new_date, new_record), f"trial {trial}"
    assert statuses == [[200, 302]] * TRIALS


def test_save_waiting_past_the_bound_keeps_the_input(editors, race_url, live_site):
    """A write held elsewhere (an import, a stuck save) for longer than the wait: the editor
    gets the form back, as typed, with "try again"; saved again once the write is done."""
    _, database = live_site
    alice, _ = editors
    race_pk = int(re.search(r"/(\d+)/change/", race_url).group(1))
    date, record = stored_race(alice, race_url)
    form = open_race(alice, race_url)
    new_record = RECORDS[(RECORDS.index(record) + 1) % len(RECORDS)]
    form.update(record=new_record, change_reason="record from the ISU results")

    holder = database.lock_race(race_pk)
    try:
        started = time.monotonic()
        busy = alice.post(race_url, form)
        waited = time.monotonic() - started
    finally:
        holder.close()

    assert busy.status == 200
    assert waited >= WAIT - 0.5
    assert BUSY_MESSAGE.split(",")[0] in busy.text.replace("&#x27;", "'")
    kept = form_fields(busy, "race_form")
    assert (kept["record"], kept["change_reason"]) == (new_record, "record from the ISU results")
    assert stored_race(alice, race_url) == (date, record)  # nothing was saved

    assert alice.post(race_url, kept).status == 302
    assert stored_race(alice, race_url) == (date, new_record)
