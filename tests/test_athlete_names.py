"""An athlete's names: the display name, a native-script name and aliases. Search (the site's and
the admin's) finds an athlete by any of them, editors manage aliases on the athlete's admin page,
the athlete page lists them, and the slug, given once, survives any rename."""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from seasons.importing.shared_rows import unique_slug
from seasons.models import Athlete, AthleteAlias, Correction, Nation, Venue
from seasons.search import search
from tests.helpers import form_fields, save

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE = False


@pytest.fixture
def kwak(archive):
    athlete = Athlete.objects.create(
        name="Kwak Yoon-gy",
        slug="kwak-yoon-gy",
        native_name="곽윤기",
        nation=Nation.objects.get(code="KOR"),
    )
    AthleteAlias.objects.create(athlete=athlete, name="Gwak Yun-gi")
    AthleteAlias.objects.create(athlete=athlete, name="KWAK Yoon-gy")
    return athlete


def athlete_hits(query):
    results = search(query)
    sections = [section for section in results.sections if section.kind == "athlete"]
    return [hit.obj for hit in sections[0].hits] if sections else []


@pytest.mark.parametrize("query", ["Gwak Yun-gi", "gwak", "곽윤기", "KWAK yoon", "Kwak"])
def test_search_finds_an_athlete_by_any_of_their_names(kwak, query):
    # Once, however many of its names match ("Kwak" matches the name and an alias).
    assert athlete_hits(query) == [kwak]


def test_search_names_the_native_name_beside_the_nation(kwak):
    [section] = [s for s in search("gwak").sections if s.kind == "athlete"]
    assert section.hits[0].detail == "South Korea · 곽윤기"


def test_search_terms_may_match_different_names(kwak):
    assert athlete_hits("gwak 곽윤기") == [kwak]
    assert athlete_hits("gwak hamelin") == []


def test_admin_athlete_search_finds_aliases_and_native_names(editor_client, kwak):
    for query in ("Gwak", "곽윤기"):
        response = editor_client.get("/admin/seasons/athlete/", {"q": query})
        assert list(response.context["cl"].result_list) == [kwak], query


def test_editor_adds_an_alias_on_the_athletes_page(editor_client, kwak):
    url = f"/admin/seasons/athlete/{kwak.pk}/change/"
    data = form_fields(editor_client.get(url), "athlete_form")
    empty = next(name for name, value in data.items() if name.endswith("-name") and not value)
    data[empty] = "Kwak Yun-gi"

    response = save(editor_client, kwak, data, reason="ISU spelling of 2014")

    assert response.status_code == 302
    alias = kwak.aliases.get(name="Kwak Yun-gi")
    assert (alias.key, alias.source) == ("kwakyungi", None)
    assert Athlete.objects.named("Yun-gi KWAK").get() == kwak
    logged = Correction.objects.get(kind="Athlete alias")
    assert (logged.action, logged.reason) == ("added", "ISU spelling of 2014")


def test_editor_rename_keeps_the_slug_and_the_old_name_as_an_alias(editor_client, kwak):
    url = f"/admin/seasons/athlete/{kwak.pk}/change/"
    data = form_fields(editor_client.get(url), "athlete_form")
    assert "slug" not in data  # fixed once given
    data["name"] = "Kwak Yun-gi"

    assert save(editor_client, kwak, data, reason="ISU spelling").status_code == 302

    kwak.refresh_from_db()
    assert (kwak.name, kwak.slug, kwak.name_key) == ("Kwak Yun-gi", "kwak-yoon-gy", "kwakyungi")
    assert kwak.aliases.filter(name="Kwak Yoon-gy").exists()
    assert editor_client.get("/athletes/kwak-yoon-gy/").status_code == 200


def test_athlete_page_shows_the_native_name_and_aliases(client, kwak):
    content = client.get(kwak.get_absolute_url()).content.decode()
    assert "<dt>Native name</dt><dd>곽윤기</dd>" in content
    assert "<dt>Also written</dt><dd>Gwak Yun-gi; KWAK Yoon-gy</dd>" in content


def test_athlete_page_without_other_names_shows_no_empty_rows(client, skaters):
    content = client.get(skaters.canada.get_absolute_url()).content.decode()
    assert "Native name" not in content
    assert "Also written" not in content


def test_alias_is_unique_per_athlete(kwak):
    with pytest.raises(IntegrityError), transaction.atomic():
        AthleteAlias.objects.create(athlete=kwak, name="Gwak Yun-gi")


def test_alias_natural_key_round_trips(kwak):
    alias = kwak.aliases.first()
    assert AthleteAlias.objects.get_by_natural_key(*alias.natural_key()) == alias


def test_slugs_of_colliding_names_stay_unique(archive):
    Athlete.objects.create(name="곽윤기", slug="gwag-yun-gi")
    Venue.objects.create(city="Gwag", arena="Yun-gi", slug="gwag-yun-gi")

    assert unique_slug(Athlete, "gwag-yun-gi") == "gwag-yun-gi-2"
    assert unique_slug(Venue, "gwag-yun-gi") == "gwag-yun-gi-2"


def test_slug_of_a_very_long_name_fits_its_field(archive):
    base = "-".join(["gwag-yun-gi"] * 40)
    slug = unique_slug(Athlete, base)
    assert len(slug) <= Athlete._meta.get_field("slug").max_length - 6
    assert not slug.endswith("-")


def test_the_migration_gives_existing_athletes_their_name_keys(kwak, skaters):
    migration = importlib.import_module("seasons.migrations.0016_athlete_aliases_dead_heats")
    Athlete.objects.update(name_key="", native_key="")

    migration.fill_name_keys(apps, None)

    assert dict(Athlete.objects.values_list("slug", "name_key")) == {
        "kwak-yoon-gy": "kwakyoongy",
        "elodie-testaz": "elodietestaz",
        "elodie-testaz-ned": "elodietestaz",
    }
    assert Athlete.objects.get(pk=kwak.pk).native_key == "곽윤기"
    assert Athlete.objects.named("곽윤기").get() == kwak
