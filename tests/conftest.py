"""Shared fixtures. Database access is opt-in per test (``@pytest.mark.django_db`` or a fixture
that needs ``db``); parser tests run without one."""

import json
import os
from pathlib import Path
from typing import NamedTuple

import pytest
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from seasons.sample_pages import SAMPLE_PAGES, add_demo_athletes


@pytest.fixture
def archive(db, _archive_snapshot):
    """The bundled archive (both seasons) loaded from fixtures/archive.json (through a snapshot
    of it taken once per run: see ``_archive_snapshot``)."""
    restore_archive(_archive_snapshot)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """PBKDF2 costs a fifth of a second per login by design; tests need no such protection."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def _page_cache_in_a_scratch_directory(tmp_path_factory):
    """The workers' shared page cache in a directory of this run, not the project's var/pages:
    pages of another run's database must never be served here."""
    from django.test import override_settings

    caches = {**settings.CACHES, "pages": {**settings.CACHES["pages"]}}
    if "FileBasedCache" in caches["pages"]["BACKEND"]:
        caches["pages"]["LOCATION"] = tmp_path_factory.mktemp("pages")
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with no cached page: a page stored by another test's archive could carry
    the same (never changed) scope tokens."""
    from django.core.cache import caches

    caches["pages-local"].clear()
    caches["pages"].clear()


@pytest.fixture(autouse=True, scope="session")
def _downloads_in_a_scratch_folder(tmp_path_factory):
    """The whole-archive download (/data/) is built by the first request for it: in the tests,
    somewhere of their own, never in the checkout's var/, and in the request, whose connection
    alone sees the test's data (tests/test_download.py covers the background thread)."""
    from django.test import override_settings

    with override_settings(
        DOWNLOAD_ROOT=tmp_path_factory.mktemp("downloads"),
        DOWNLOAD_BUILD_IN_BACKGROUND=False,
        DOWNLOAD_REBUILD_SECONDS=0,
    ):
        yield


@pytest.fixture(autouse=True)
def _static_without_manifest(settings):
    """With DEBUG off, settings pick the manifest storage, whose ``{% static %}`` needs a
    collectstatic run first; tests render templates without one."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


class Skaters(NamedTuple):
    canada: object
    netherlands: object


@pytest.fixture
def skaters(archive):
    """Test data, not facts: the bundled sources name no athlete, so this adds two athletes of
    one name in two nations (``seasons.sample_pages.add_demo_athletes`` says where they stand,
    and the athlete page's screenshot shows them too)."""
    return Skaters(*add_demo_athletes())


@pytest.fixture
def write_source(tmp_path):
    """Write a season article to a temporary file and return its path."""

    def write(text, name="season.txt"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def editor(db, django_user_model):
    """A staff user in the Editors group."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "editor", password="correct horse battery staple", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor, archive):
    """The test client, signed in as ``editor``, over the bundled archive."""
    client.force_login(editor)
    return client


# Browser tests (marker ``browser``): Debian's Chromium, driven by pytest-playwright, against
# pytest-django's live server. Playwright cannot download its own browsers on our machines.

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    # The network is closed: without these Chromium keeps dialling Google's hosts.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
ARCHIVE = Path(settings.BASE_DIR) / "fixtures" / "archive.json"
BROWSER_FIXTURES = {"page", "context", "new_context", "browser", "live_archive"}
# Every browser test runs once per viewport.
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


# One page of each HTML type, for the checks that every page type must pass (accessibility, valid
# HTML). A test that takes a ``public_page`` argument runs once per entry: new page types go in
# seasons/sample_pages.py.
PUBLIC_PAGES = [page for page in SAMPLE_PAGES if page.is_html]


@pytest.fixture(scope="session")
def public_pages():
    return PUBLIC_PAGES


def pytest_generate_tests(metafunc):
    if "public_page" in metafunc.fixturenames:
        metafunc.parametrize("public_page", PUBLIC_PAGES, ids=[page.name for page in PUBLIC_PAGES])


def database_order(item):
    """Django's order: tests in a rolled-back transaction, then tests that commit (and flush the
    database after, data migrations' rows with it), then tests without a database."""
    fixtures = set(getattr(item, "fixturenames", ()))
    marker = item.get_closest_marker("django_db")
    committing = {"transactional_db", "live_server"} & fixtures or (
        marker is not None
        and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    )
    if committing:
        return 1
    return 0 if marker is not None or "db" in fixtures else 2


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Mark every test that drives the browser, so ``-m "not browser"`` gives a quick local run.
    Then sort again as pytest-django did: pytest-playwright's session-scoped ``browser_name``
    parameter makes pytest regroup the tests after that, running flushing tests first."""
    for item in items:
        # A test's own parameter may share a fixture's name (``page``): that is not a browser.
        params = getattr(getattr(item, "callspec", None), "params", {})
        if BROWSER_FIXTURES & (set(getattr(item, "fixturenames", ())) - set(params)):
            item.add_marker(pytest.mark.browser)
    items.sort(key=database_order)


@pytest.fixture(scope="session")
def required_tool():
    """Return a function that checks a test tool is installed. Missing on a developer's machine,
    the test skips with the reason; missing in CI (``CI=true``), it fails: CI must install it."""

    def require(path, what):
        path = Path(path)
        if not path.exists():
            message = f"{what} is not installed ({path} is missing); .ci/run installs it"
            if IN_CI:
                pytest.fail(message, pytrace=False)
            pytest.skip(message)
        return path

    return require


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, required_tool):
    executable = required_tool(CHROMIUM, "Chromium (Debian package chromium)")
    return {**browser_type_launch_args, "executable_path": str(executable), "args": CHROMIUM_ARGS}


@pytest.fixture(params=list(VIEWPORTS))
def browser_context_args(request, browser_context_args):
    """Each browser test at desktop and phone size. CSP is bypassed so that tests can inject
    axe-core into the page."""
    return {**browser_context_args, **VIEWPORTS[request.param], "bypass_csp": True}


@pytest.fixture(scope="session")
def _allow_async_unsafe_orm():
    """Playwright's sync API keeps an event loop running in the test thread, which Django's
    async-safety check mistakes for async code calling the ORM (fixtures, flushes)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def base_url(live_server, _allow_async_unsafe_orm):
    """Playwright's ``page.goto("/seasons/")`` resolves against the live server."""
    return live_server.url


@pytest.fixture(scope="session")
def _archive_snapshot(django_db_setup, django_db_blocker):
    """The bundled archive serialized with database ids, taken once per run. Loading the
    natural-key fixture costs a query per reference, over a second for every test that needs the
    archive; loading the snapshot costs only its inserts. Both save raw, with the same signals."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", "archive", verbosity=0)
        labels = dict.fromkeys(entry["model"] for entry in json.loads(ARCHIVE.read_text()))
        models = [apps.get_model(label) for label in labels]
        snapshot = serializers.serialize(
            "json", [obj for model in models for obj in model._base_manager.order_by("pk")]
        )
        transaction.set_rollback(True)
    return models, snapshot


def restore_archive(snapshot):
    models, data = snapshot
    with transaction.atomic():
        for obj in serializers.deserialize("json", data):
            obj.save(force_insert=True)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


@pytest.fixture
def live_archive(_allow_async_unsafe_orm, live_server, transactional_db, _archive_snapshot):
    """The bundled archive, committed so that the live server's thread sees it; pytest-django
    flushes the database after the test."""
    restore_archive(_archive_snapshot)
    return live_server.url


@pytest.fixture
def hostile_archive(archive, editor):
    """The bundled archive with hostile text in every kind of text it shows (names, places,
    intro, notes, flags, a correction by an editor whose name is markup, a source file):
    ``tests.helpers.make_hostile_archive``. Returns the hostile athletes."""
    from tests.helpers import MARKUP, make_hostile_archive

    editor.first_name = MARKUP
    editor.save()
    return make_hostile_archive(editor)
