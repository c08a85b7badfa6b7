"""Valid HTML: every page type, rendered by Django, passes the W3C Nu validator (npm vnu-jar, run
on the installed Java) with zero errors. The validator starts once for all pages."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="session")
def validate(required_tool):
    """Return a function that validates HTML files and returns the errors by file name."""
    java = required_tool(
        shutil.which("java") or "java", "Java (Debian package default-jre-headless)"
    )
    jar = required_tool(VNU_JAR, "the Nu HTML validator (npm ci installs vnu-jar)")

    def run(paths):
        completed = subprocess.run(
            [java, "-jar", jar, "--format", "json", "--errors-only", "--stdout", *paths],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        # Exit status 1 means "errors found"; anything else that is not 0 means it did not run.
        assert completed.returncode in (0, 1), completed.stderr
        errors = {Path(path).name: [] for path in paths}
        for message in json.loads(completed.stdout)["messages"]:
            name = Path(message.get("url", "")).name
            errors.setdefault(name, []).append(message)
        return errors

    return run


def describe(name, messages):
    lines = [f"{name}:"]
    for message in messages:
        where = f"line {message.get('lastLine', '?')}, column {message.get('firstColumn', '?')}"
        lines.append(f"  {where}: {message['message']}")
        if "extract" in message:
            lines.append(f"    {message['extract'].strip()}")
    return "\n".join(lines)


@pytest.mark.django_db
def test_every_page_type_is_valid_html(client, archive, tmp_path, validate, public_pages):
    paths, wrong_status = [], []
    for page in public_pages:
        response = client.get(page.path)
        if response.status_code != page.status:
            wrong_status.append(f"{page.name} ({page.path}) answered {response.status_code}")
        path = tmp_path / f"{page.name}.html"
        path.write_bytes(response.content)
        paths.append(path)

    errors = validate(paths)

    report = [describe(name, messages) for name, messages in errors.items() if messages]
    assert not wrong_status and not report, "\n".join(
        [*wrong_status, f"{sum(map(len, errors.values()))} validator error(s):", *report]
    )


# Pages as they look once athletes are named (the bundled sources name none): the athlete's
# career, the index of athletes and the pages that link them.
NAMING_ATHLETES = [
    "/athletes/elodie-testaz/",
    "/athletes/",
    "/athletes/by-name/e/",
    "/athletes/by-nation/can/",
    "/seasons/2011-12/",
    "/seasons/2011-12/saguenay/",
    "/seasons/2011-12/standings/",
    "/seasons/2011-12/standings/women-1500m/",
]


@pytest.mark.django_db
def test_pages_naming_athletes_are_valid_html(client, skaters, tmp_path, validate):
    paths = []
    for number, url in enumerate(NAMING_ATHLETES):
        response = client.get(url)
        assert response.status_code == 200, url
        paths.append(tmp_path / f"page-{number}.html")
        paths[-1].write_bytes(response.content)

    errors = validate(paths)

    report = [describe(name, messages) for name, messages in errors.items() if messages]
    assert not report, "\n".join(report)


def test_validator_reports_invalid_html(tmp_path, validate):
    """The gate can fail: an unclosed element and a missing title are errors."""
    path = tmp_path / "broken.html"
    path.write_text('<!doctype html><html lang="en"><head></head><body><p>x<div></body></html>')

    errors = validate([path])

    assert len(errors["broken.html"]) >= 2
