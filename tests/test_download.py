"""The whole-archive download of /data/ (seasons/downloads/): every table with every row, the
API's own documents, names in any script intact, a new file after an edit, one builder at a
time, and the page that says its date and size."""

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from seasons import downloads
from seasons.downloads import files
from seasons.downloads.archive import SQLITE_NAME
from seasons.downloads.tables import TABLES
from seasons.models import Athlete, Meet, Nation, Result, Season, Venue

pytestmark = pytest.mark.django_db

DOWNLOAD = "/data/skatearchive.zip"


@pytest.fixture(autouse=True)
def _download_root(settings, tmp_path):
    settings.DOWNLOAD_ROOT = tmp_path / "downloads"


def fetch(client):
    """The download as the site sends it: ``(response, ZipFile)``."""
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    return response, zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def members(archive):
    """``{path inside the folder: bytes}``."""
    folder = archive.namelist()[0].split("/")[0]
    return {
        name.removeprefix(f"{folder}/"): archive.read(name)
        for name in archive.namelist()
        if not name.endswith("/")
    }


def csv_rows(content, table):
    rows = list(csv.reader(io.StringIO(content[f"csv/{table}.csv"].decode("utf-8"))))
    return rows[0], rows[1:]


def sqlite_of(content, tmp_path):
    path = tmp_path / "copy.sqlite3"
    path.write_bytes(content[SQLITE_NAME])
    return sqlite3.connect(path)


def test_download_holds_every_row_of_each_table(client, skaters, tmp_path):
    content = members(fetch(client)[1])
    database = sqlite_of(content, tmp_path)
    counted = {}
    for table in TABLES:
        header, rows = csv_rows(content, table.name)
        assert tuple(header) == table.columns, table.name
        query = f'SELECT COUNT(*) FROM "{table.name}"'
        counted[table.name] = (len(rows), database.execute(query).fetchone()[0])
    expected = {table.name: (table.model.objects.count(),) * 2 for table in TABLES}
    assert counted == expected
    # Every table has rows to count but those the bundled archive leaves empty.
    assert {name for name, (rows, _) in counted.items() if not rows} == {
        "athlete_aliases",
        "corrections",
    }


def test_download_rows_use_readable_keys(client, skaters):
    content = members(fetch(client)[1])
    header, rows = csv_rows(content, "results")
    by_column = [dict(zip(header, row, strict=True)) for row in rows]
    leader = skaters.canada
    placed = [row for row in by_column if row["athlete"] == leader.slug]
    assert {(row["season"], row["meet"], row["race"]) for row in placed} == {
        ("2011-12", "saguenay", "women-1500m"),
        ("2012-13", "calgary", "women-500m"),
    }
    # The result an editor added names no nation of its own: unknown is an empty cell, and it
    # counts for the athlete's nation.
    added = next(row for row in placed if row["meet"] == "saguenay")
    assert (added["nation"], added["counts_for"], added["source_file"]) == ("", "CAN", "")


def test_download_json_documents_are_the_apis(client, skaters):
    content = members(fetch(client)[1])
    documents = {name: body for name, body in content.items() if name.startswith("json/")}
    expected = (
        1
        + 2 * Season.objects.count()
        + Meet.objects.count()
        + Venue.objects.count()
        + Nation.objects.count()
        + Athlete.objects.count()
    )
    assert len(documents) == expected
    for name, body in documents.items():
        response = client.get("/" + name.removeprefix("json/"))
        assert response.status_code == 200, name
        assert json.loads(body.decode("utf-8")) == response.json(), name


@pytest.mark.parametrize(
    ("name", "native"),
    [("Kwak Yoon-gy", "곽윤기"), ("Wang Meng", "王濛"), ("Terao Satoru", "寺尾悟 てらお")],
)
def test_download_names_in_any_script_round_trip(client, archive, tmp_path, name, native):
    athlete = Athlete.objects.create(
        name=native, native_name=native, slug=f"cjk-{len(name)}", nation=Nation.objects.first()
    )
    content = members(fetch(client)[1])
    header, rows = csv_rows(content, "athletes")
    row = dict(zip(header, next(row for row in rows if row[0] == athlete.slug), strict=True))
    assert (row["name"], row["native_name"]) == (native, native)
    database = sqlite_of(content, tmp_path)
    query = "SELECT name, native_name FROM athletes WHERE slug = ?"
    assert database.execute(query, [athlete.slug]).fetchone() == (native, native)
    document = json.loads(content[f"json/athletes/{athlete.slug}.json"].decode("utf-8"))
    assert document["name"] == native


def test_download_csv_cell_never_starts_a_formula(client, archive, tmp_path):
    formula = '=HYPERLINK("http://example.com")'
    Athlete.objects.create(name=formula, slug="formula")
    content = members(fetch(client)[1])
    header, rows = csv_rows(content, "athletes")
    assert (
        dict(zip(header, rows[[row[0] for row in rows].index("formula")], strict=True))["name"]
        == "'" + formula
    )
    # The database keeps the value as it is.
    database = sqlite_of(content, tmp_path)
    assert database.execute("SELECT name FROM athletes WHERE slug = 'formula'").fetchone() == (
        formula,
    )


def test_download_readme_says_what_and_when(client, archive):
    changed_at = files.current_version()[1]
    content = members(fetch(client)[1])
    readme = content["README.txt"].decode("utf-8")
    assert changed_at.strftime("%-d %B %Y") in readme
    assert all(f"csv/{table.filename}" in readme for table in TABLES)
    assert "CC BY-SA 4.0" in readme
    assert all(f"sources/{name}" in content for name in ("2011-12.txt", "2012-13.txt"))


def test_download_is_sent_whole_with_its_date_in_the_name(client, archive):
    response, _ = fetch(client)
    (download,) = downloads.built()
    assert int(response["Content-Length"]) == download.size
    assert response["Content-Type"] == "application/zip"
    day = files.current_version()[1].strftime("%Y-%m-%d")
    assert f'filename="skatearchive-{day}.zip"' in response["Content-Disposition"]


def test_download_new_file_after_an_edit_and_the_old_one_removed(client, archive):
    fetch(client)
    (before,) = downloads.built()
    result = Result.objects.filter(race__meet__slug="saguenay").order_by("pk").first()
    result.time = "1:23.456"
    result.save()
    _, after_zip = fetch(client)
    (after,) = downloads.built()
    assert after.token != before.token
    assert not before.path.exists()
    header, rows = csv_rows(members(after_zip), "results")
    assert "1:23.456" in [row[header.index("time")] for row in rows]


def test_download_is_not_rebuilt_after_every_save_while_editors_work(client, archive, settings):
    settings.DOWNLOAD_REBUILD_SECONDS = 600
    fetch(client)
    (before,) = downloads.built()
    result = Result.objects.filter(race__meet__slug="saguenay").order_by("pk").first()
    result.time = "1:23.456"
    result.save()

    page = client.get("/data/").content.decode()

    assert downloads.built() == [before]  # no build started: the file is a moment old
    assert "at most every 10 minutes" in page
    os.utime(before.path, (time.time() - 601, time.time() - 601))
    fetch(client)
    (after,) = downloads.built()
    assert after.token != before.token


def test_data_page_shows_date_size_and_link(client, archive):
    response = client.get("/data/")
    assert response.status_code == 200
    (download,) = downloads.built()
    page = response.content.decode()
    assert filesizeformat(download.size) in page
    changed_at = files.current_version()[1]
    assert timezone.localtime(changed_at).strftime("%-d %B %Y, %H:%M") in page
    assert f'href="{DOWNLOAD}"' in page
    assert "is being built" not in page


def test_data_page_shows_the_previous_file_while_another_builds(client, archive, settings):
    fetch(client)
    (previous,) = downloads.built()
    Result.objects.order_by("pk").first().save()  # a new archive version
    with downloads.build_lock(wait=0) as held:  # another process is building
        assert held
        response = client.get("/data/")
    assert response.status_code == 200
    assert previous.filename in response.content.decode()
    assert "a new file is being built" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_download_while_the_first_build_runs_elsewhere_is_a_503(client, archive, settings):
    settings.DOWNLOAD_WAIT_SECONDS = 0.2
    with downloads.build_lock(wait=0):
        response = client.get(DOWNLOAD)
        page = client.get("/data/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert page.status_code == 200
    assert "The file is being built" in page.content.decode()


def test_download_vanished_file_is_built_again(client, archive):
    fetch(client)
    (download,) = downloads.built()
    download.path.unlink()
    _, archive_zip = fetch(client)
    assert archive_zip.testzip() is None


def test_download_that_cannot_be_opened_is_a_404(client, archive, monkeypatch, tmp_path):
    gone = downloads.Download(path=tmp_path / "gone.zip", token="x", changed_at=None, size=1)
    monkeypatch.setattr(downloads, "ensure", lambda wait: gone)
    assert client.get(DOWNLOAD).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/data/skatearchive-2011-12-01.zip",
        "/data/other.zip",
        "/data/skatearchive.zip/",
        "/data/../settings.py",
        "/data/%2e%2e/db.sqlite3",
    ],
)
def test_download_unknown_address_is_a_404(client, archive, path):
    assert client.get(path).status_code == 404


def test_build_download_command_builds_once(archive):
    out = io.StringIO()
    call_command("build_download", stdout=out)
    (download,) = downloads.built()
    assert str(download.path) in out.getvalue()
    modified = download.path.stat().st_mtime_ns
    call_command("build_download", stdout=io.StringIO())
    assert downloads.built() == [download]
    assert download.path.stat().st_mtime_ns == modified


def test_download_build_clears_what_a_dead_builder_left(archive):
    root = Path(settings.DOWNLOAD_ROOT)
    (root / f"{files.TEMP_PREFIX}half").mkdir(parents=True)
    (root / f"{files.TEMP_PREFIX}half.zip").write_bytes(b"PK half a zip")
    call_command("build_download", stdout=io.StringIO())
    assert not list(root.glob(f"{files.TEMP_PREFIX}*"))
    assert len(downloads.built()) == 1


class FakeArchive:
    """Stands in for the database in threads, which do not see the test's: a version to change,
    and a writer that is slow, counts its calls and can be held until released."""

    def __init__(self):
        self.token, self.changed_at = "first", timezone.now()
        self.calls = []
        self.release = threading.Event()
        self.release.set()

    def version(self):
        return self.token, self.changed_at

    def write(self, target, *, token, **kwargs):
        self.calls.append(token)
        self.release.wait(10)
        for _ in range(5):
            target.write(token.encode() * 100)
            time.sleep(0.05)


@pytest.fixture
def fake_archive(monkeypatch):
    fake = FakeArchive()
    monkeypatch.setattr(files, "current_version", fake.version)
    monkeypatch.setattr(files, "snapshot", tempfile.TemporaryDirectory)
    monkeypatch.setattr(files, "write_archive", fake.write)
    return fake


def test_download_two_builders_build_once(fake_archive):
    """Two requests at once for a version nobody has built: one builds, the other waits for it
    (there is no earlier file to show), and both get the one whole file."""
    got = []
    threads = [
        threading.Thread(target=lambda: got.append(downloads.ensure(wait=10))) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fake_archive.calls == ["first"]
    assert [download.path for download in got] == [got[0].path] * 2
    assert got[0].path.read_bytes() == b"first" * 500
    assert sorted(path.name for path in Path(settings.DOWNLOAD_ROOT).iterdir()) == sorted(
        [got[0].path.name, files.LOCK_NAME]
    )


def test_download_built_in_the_background_while_the_previous_is_served(fake_archive, settings):
    settings.DOWNLOAD_BUILD_IN_BACKGROUND = True
    first = downloads.ensure(wait=10)
    fake_archive.token, fake_archive.changed_at = "second", timezone.now()
    fake_archive.release.clear()
    served = downloads.ensure(wait=10)
    # Answered at once with the earlier file, while the build waits to be released.
    assert (served.path, served.is_current) == (first.path, False)
    deadline = time.monotonic() + 10
    while len(fake_archive.calls) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)  # the build has begun, holding the lock
    fake_archive.release.set()
    with downloads.build_lock(wait=10) as held:  # the build has finished
        assert held
    (current,) = downloads.built()
    assert (current.token, current.is_current) == ("second", True)
    assert current.path.read_bytes() == b"second" * 500
    assert not first.path.exists()
    assert fake_archive.calls == ["first", "second"]


def test_download_two_processes_build_one_whole_file(tmp_path):
    """Two ``build_download`` processes at once over one database (a SQLite file of their own:
    the lock is about files, whatever the database): both succeed, one whole zip is left."""
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SKATEARCHIVE_DOWNLOAD_ROOT": str(tmp_path / "downloads"),
    }
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    for command in (["migrate", "-v0"], ["loaddata", "archive", "-v0"]):
        subprocess.run([*manage, *command], env=environment, check=True, timeout=300)
    builders = [
        subprocess.Popen(
            [*manage, "build_download"],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outputs = [builder.communicate(timeout=300) for builder in builders]
    assert [builder.returncode for builder in builders] == [0, 0], outputs
    built = sorted((tmp_path / "downloads").glob("skatearchive-*.zip"))
    assert len(built) == 1
    assert zipfile.ZipFile(built[0]).testzip() is None
    assert not list((tmp_path / "downloads").glob(f"{files.TEMP_PREFIX}*"))
