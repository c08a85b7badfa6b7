"""Old slugs keep working: a changed season, meet or venue slug leaves 301s behind
(seasons/signals.py), and sitemap.xml names the host it was asked on."""

import re

import pytest
from django.contrib.redirects.models import Redirect
from django.core.management import call_command

from seasons.models import Meet, Season, StandingsTable, Venue
from tests.helpers import SEASON_2011

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE = False


def redirects():
    return dict(Redirect.objects.values_list("old_path", "new_path"))


def rename(obj, slug):
    obj.slug = slug
    obj.save()
    return obj


def test_redirect_season_slug_moves_the_season_its_standings_and_meets(client, archive):
    rename(Season.objects.get(slug="2011-12"), "2011-2012")

    assert redirects() == {
        "/seasons/2011-12/": "/seasons/2011-2012/",
        "/seasons/2011-12/standings/": "/seasons/2011-2012/standings/",
        **{
            f"/seasons/2011-12/{slug}/": f"/seasons/2011-2012/{slug}/"
            for slug in Meet.objects.filter(season__slug="2011-2012").values_list("slug", flat=True)
        },
        **{
            f"/seasons/2011-12/standings/{table.anchor}/": (
                f"/seasons/2011-2012/standings/{table.anchor}/"
            )
            for table in StandingsTable.objects.filter(season__slug="2011-2012")
        },
    }
    response = client.get("/seasons/2011-12/saguenay/", follow=True)
    assert response.redirect_chain == [("/seasons/2011-2012/saguenay/", 301)]
    assert response.status_code == 200
    response = client.get("/seasons/2011-12/standings/men-500m/", follow=True)
    assert response.redirect_chain == [("/seasons/2011-2012/standings/men-500m/", 301)]
    assert response.status_code == 200


def test_redirect_meet_slug(client, archive):
    meet = rename(Meet.objects.get(season__slug="2011-12", slug="dordrecht"), "dordrecht-nl")

    response = client.get("/seasons/2011-12/dordrecht/")

    assert response.status_code == 301
    assert response["Location"] == meet.get_absolute_url() == "/seasons/2011-12/dordrecht-nl/"


def test_redirect_meet_moved_to_another_season(archive):
    meet = Meet.objects.get(season__slug="2011-12", slug="dordrecht")
    meet.season = Season.objects.get(slug="2012-13")
    meet.order = 7
    meet.save()

    assert redirects() == {"/seasons/2011-12/dordrecht/": "/seasons/2012-13/dordrecht/"}


def test_redirect_venue_slug(client, archive):
    rename(Venue.objects.get(slug="moscow"), "moscow-krylatskoye")

    response = client.get("/venues/moscow/")

    assert response.status_code == 301
    assert response["Location"] == "/venues/moscow-krylatskoye/"


def test_redirect_no_chains_after_two_renames(archive):
    venue = rename(Venue.objects.get(slug="moscow"), "moscow-2")
    rename(venue, "moscow-3")

    assert redirects() == {
        "/venues/moscow/": "/venues/moscow-3/",
        "/venues/moscow-2/": "/venues/moscow-3/",
    }


def test_redirect_slug_changed_back_leaves_no_loop(client, archive):
    venue = rename(Venue.objects.get(slug="moscow"), "moscow-2")
    rename(venue, "moscow")

    assert redirects() == {"/venues/moscow-2/": "/venues/moscow/"}
    assert client.get("/venues/moscow/").status_code == 200


def test_redirect_none_for_a_save_that_keeps_the_slug(archive):
    season = Season.objects.get(slug="2011-12")
    season.title = "2011–12 World Cup"
    season.save()
    venue = Venue.objects.get(slug="moscow")
    venue.arena = "Krylatskoye"
    venue.save()

    assert redirects() == {}


def test_redirect_none_for_new_rows_or_fixture_loads(db):
    call_command("loaddata", "archive", verbosity=0)
    Venue.objects.create(slug="seoul", city="Seoul")

    assert redirects() == {}


def test_redirect_none_for_a_reimport(archive):
    call_command("import_season", str(SEASON_2011), verbosity=0)

    assert redirects() == {}


# Through the admin


def admin_form(response):
    return response.context["adminform"].form


def test_redirect_admin_editor_renames_a_venue(editor_client):
    venue = Venue.objects.get(slug="moscow")
    url = f"/admin/seasons/venue/{venue.pk}/change/"
    assert "slug" in admin_form(editor_client.get(url)).fields

    response = editor_client.post(
        url,
        {
            "city": venue.city,
            "arena": "Krylatskoye",
            "slug": "moscow-krylatskoye",
            "country": "RU",
            "change_reason": "arena named from the ISU results",
            "version": venue.version,
        },
    )

    assert response.status_code == 302
    assert redirects() == {"/venues/moscow/": "/venues/moscow-krylatskoye/"}


def test_redirect_admin_keeps_an_imported_seasons_slug(editor_client):
    """The importer finds an imported season by its slug: the admin does not offer to change
    it (an editor-added season's slug it does)."""
    imported = Season.objects.get(slug="2011-12")
    added = Season.objects.create(slug="2013-14", title="2013–14 World Cup")

    imported_form = admin_form(editor_client.get(f"/admin/seasons/season/{imported.pk}/change/"))
    added_form = admin_form(editor_client.get(f"/admin/seasons/season/{added.pk}/change/"))

    assert "slug" not in imported_form.fields
    assert "slug" in added_form.fields


def test_redirect_editors_do_not_manage_redirects_by_hand(editor):
    """Redirects follow slug changes by themselves; a hand-made one may point anywhere, so the
    Editors group (archive data only) has no permission on them."""
    assert not any(
        editor.has_perm(f"redirects.{action}_redirect")
        for action in ("view", "add", "change", "delete")
    )


# sitemap.xml


def test_sitemap_urls_use_the_request_host(client, archive, settings):
    settings.ALLOWED_HOSTS = ["archive.example"]

    response = client.get("/sitemap.xml", HTTP_HOST="archive.example")

    locations = re.findall(r"<loc>(.*?)</loc>", response.text)
    assert locations
    assert all(location.startswith("http://archive.example/") for location in locations)
    assert "example.com" not in response.text


def test_sitemap_urls_use_the_request_scheme(client, archive, settings):
    settings.ALLOWED_HOSTS = ["archive.example"]

    response = client.get("/sitemap.xml", HTTP_HOST="archive.example", secure=True)

    assert "<loc>https://archive.example/seasons/2011-12/</loc>" in response.text
