"""What the site promises against hostile requests and careless deployment (docs/SECURITY.md):
a Content-Security-Policy on every page, public pages that take GET and HEAD only, NUL bytes
refused, admin logins throttled and logged, production settings that pass ``check --deploy``, and
a server that will not start with the public key unless told it is a local trial."""

import os
import subprocess
import sys

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings

from seasons.middleware import FORM_URL_NAMES
from seasons.models import Flag
from seasons.sample_pages import SAMPLE_PAGE, SAMPLE_PAGES

PASSWORD = "correct horse battery staple"
BASE = settings.BASE_DIR


def clean_environment(**env):
    """This environment without the test run's DJANGO_* and SKATEARCHIVE_* variables (the browser
    tests set DJANGO_ALLOW_ASYNC_UNSAFE, which the deploy checks refuse), and ``env`` on top."""
    clean = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "SKATEARCHIVE_"))
    }
    return {**clean, "DJANGO_SETTINGS_MODULE": "skatearchive.settings", **env}


def run_python(code, **env):
    """Run ``code`` in a fresh Python with the project's settings and ``env``."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE,
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


# Content-Security-Policy


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/seasons/2011-12/", "/admin/login/", "/static/css/site.css"]
)
def test_every_response_carries_the_content_security_policy(client, archive, path):
    response = client.get(path)
    policy = dict(
        part.strip().split(" ", 1)
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_templates_hold_no_inline_script_or_style():
    """The policy allows no inline script or style; the browser test sees what runs, this sees
    what is written (including pages the browser test does not reach)."""
    import re

    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.I)
    found = [
        f"{path.relative_to(BASE)}: {match.group(0)}"
        for path in sorted((BASE / "templates").rglob("*.html"))
        for match in inline.finditer(path.read_text())
        if "application/json" not in match.group(0)
    ]
    assert not found


# Methods


PAGES = [page for page in SAMPLE_PAGES if page.name not in FORM_URL_NAMES]
FORMS = [page for page in SAMPLE_PAGES if page.name in FORM_URL_NAMES]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options", "trace"])
@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_public_pages_take_get_and_head_only(client, page, method):
    """Refused before anything reads the database (no database here: a query would fail)."""
    response = client.generic(method.upper(), page.path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert b"<html" not in response.content


@pytest.mark.parametrize("method", ["put", "patch", "delete", "options", "trace"])
@pytest.mark.parametrize("page", FORMS, ids=[page.name for page in FORMS])
def test_readers_forms_take_get_and_post_only(client, page, method):
    """The suggestion forms take a POST (tests/test_suggestions.py), and nothing else."""
    assert FORMS, "the sample pages name the readers' forms"
    response = client.generic(method.upper(), page.path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"


@pytest.mark.django_db
def test_head_of_a_public_page_answers_like_get(client, archive):
    response = client.head(SAMPLE_PAGE["season"].path)
    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.django_db
def test_admin_still_takes_posts(client, archive, editor):
    response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302


# NUL bytes


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/search/?q=%00",
        "/search/?q=nag%00oya",
        "/search/?%00=1",
        "/sources/2011-12%00.txt",
        "/sources/%00",
        "/seasons/2011-12/standings/?table=%00&_export=csv",
        "/changes/feed/?x=%00",
        "/admin/seasons/race/?q=%00",
    ],
)
def test_nul_byte_in_path_or_query_is_a_bad_request(client, archive, path):
    """On PostgreSQL a NUL reaching a query answered 500; on both databases it is now a 400."""
    assert client.get(path).status_code == 400


# Admin login throttling (django-axes)


def login(client, password, username="editor", address="203.0.113.7"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


@pytest.mark.django_db
def test_wrong_passwords_lock_the_account_out_from_that_address(client, editor):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert login(client, "wrong").status_code == 200  # the form again, with its error
    locked = login(client, "wrong")

    assert locked.status_code == 429
    assert "Too many failed logins" in locked.text
    # Locked out: the right password does not get in from there either...
    assert login(client, PASSWORD).status_code == 429
    # ...while the editor, from elsewhere, still does.
    assert login(client, PASSWORD, address="198.51.100.2").status_code == 302


@pytest.mark.django_db
def test_thirty_wrong_passwords_are_all_logged(client, editor):
    for _ in range(30):
        login(client, f"guess {_}")

    failures = AccessFailureLog.objects.filter(username="editor", ip_address="203.0.113.7")
    assert failures.count() == 30
    attempt = AccessAttempt.objects.get(username="editor", ip_address="203.0.113.7")
    assert attempt.failures_since_start == 30


@pytest.mark.django_db
def test_lockout_is_by_account_so_a_stranger_cannot_lock_an_editor_out(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        login(client, "wrong", address="192.0.2.66")
    assert login(client, PASSWORD, address="203.0.113.7").status_code == 302


@pytest.mark.django_db
def test_commands_authenticate_without_a_request(editor):
    """``authenticate()`` with no request (a management command) is not throttled, and does not
    fail as django-axes' own backend would."""
    from django.contrib.auth import authenticate

    assert authenticate(username="editor", password=PASSWORD) == editor


# Deployment


def test_deploy_checks_pass_with_production_settings():
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE,
        env=clean_environment(
            DJANGO_DEBUG="0",
            DJANGO_SECURE="1",
            DJANGO_ALLOWED_HOSTS="skatearchive.example",
            DJANGO_SECRET_KEY="k" * 10 + "-a-long-random-looking-test-key-" + "x7Qz" * 8,
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert "no issues" in done.stdout


HSTS = (
    "from django.conf import settings; "
    "print(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
    "settings.SECURE_HSTS_PRELOAD)"
)


def test_hsts_covers_this_host_only_unless_asked():
    assert run_python(HSTS, DJANGO_SECURE="1").stdout.split() == ["31536000", "False", "False"]
    asked = run_python(
        HSTS, DJANGO_SECURE="1", DJANGO_HSTS_INCLUDE_SUBDOMAINS="1", DJANGO_HSTS_PRELOAD="1"
    )
    assert asked.stdout.split() == ["31536000", "True", "True"]
    assert run_python(HSTS, DJANGO_HSTS_PRELOAD="1").stdout.split() == ["0", "False", "False"]


SERVE = "import skatearchive.wsgi; print('serving')"


def test_server_refuses_the_public_key_with_debug_off():
    refused = run_python(SERVE, DJANGO_DEBUG="0")
    assert refused.returncode != 0
    assert "DJANGO_SECRET_KEY is not set, and the default key is public" in refused.stderr
    assert "SKATEARCHIVE_LOCAL_TRIAL=1" in refused.stderr


@pytest.mark.parametrize(
    "env",
    [
        {"DJANGO_DEBUG": "0", "SKATEARCHIVE_LOCAL_TRIAL": "1"},
        {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "a-key-of-this-deployment-" + "q" * 40},
        {"DJANGO_DEBUG": "1"},
    ],
    ids=["local trial", "own key", "debug"],
)
def test_server_starts_when_told_or_given_a_key(env):
    started = run_python(SERVE, **env)
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "serving"


def test_make_serve_checks_the_key_before_anything_else():
    """`make serve` must refuse before it migrates or loads anything into the database."""
    refused = run_python(
        "import runpy; runpy.run_module('skatearchive.serving', run_name='__main__')",
        DJANGO_DEBUG="0",
    )
    assert refused.returncode == 1
    assert refused.stderr.startswith("Not serving: DJANGO_SECRET_KEY is not set")
    makefile = (BASE / "Makefile").read_text()
    recipe = makefile.split("\nserve: install\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert recipe[0].strip() == "DJANGO_DEBUG=0 $(BIN)/python -m skatearchive.serving"
    readme = (BASE / "README.md").read_text()
    assert "SKATEARCHIVE_LOCAL_TRIAL=1 make serve" in readme


# A write that waited too long


def test_busy_database_errors_are_told_apart():
    from django.db import OperationalError

    from seasons.middleware import database_is_busy

    class LockNotAvailable(Exception):
        sqlstate = "55P03"

    postgres = OperationalError("canceling statement due to lock timeout")
    postgres.__cause__ = LockNotAvailable()
    assert database_is_busy(OperationalError("database is locked"))
    assert database_is_busy(postgres)
    assert not database_is_busy(OperationalError("no such table: seasons_race"))
    assert not database_is_busy(ValueError("database is locked"))


@pytest.mark.django_db
def test_a_write_that_waited_too_long_is_a_503_that_says_try_again(editor_client, monkeypatch):
    """Outside the change forms (which show the form again: tests/test_concurrent_saves.py), a
    save whose write waited too long answers with a page that says nothing was saved, never a
    500: here the flags' bulk resolution."""
    from django.db import OperationalError

    def busy(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("seasons.admin.flags.resolve_flag", busy)
    selected = [str(Flag.objects.open().order_by("pk").first().pk)]
    response = editor_client.post(
        "/admin/seasons/flag/",
        {"action": "resolve_flags", "_selected_action": selected, "apply": "Resolve", "note": "x"},
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Busy: nothing was saved" in response.text
    assert Flag.objects.open().filter(pk__in=selected).exists()
