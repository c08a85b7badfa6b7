"""Shared fixtures. Database access is opt-in per test (``@pytest.mark.django_db`` or a fixture
that needs ``db``); parser tests run without one."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

SOURCES = Path(settings.SOURCES_DIR)
SEASON_2011 = SOURCES / "2011-12.txt"
SEASON_2012 = SOURCES / "2012-13.txt"


@pytest.fixture
def archive(db):
    """The bundled archive (both seasons) loaded from fixtures/archive.json."""
    call_command("loaddata", "archive", verbosity=0)


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
