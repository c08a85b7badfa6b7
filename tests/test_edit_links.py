"""Staff "Edit" links on the public pages: shown to a signed-in editor allowed to change the
record, to nobody else, and never out of the page cache."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from seasons.models import Flag, Meet, Race, ScoringRule, Season, StandingsTable, Venue
from seasons.templatetags.editing import admin_change_url

pytestmark = pytest.mark.django_db

# The admin page linked, without the ``?next=`` back to the page (tests/test_returning.py).
EDIT_LINK = re.compile(
    r'<a class="edit-link" href="([^"?]+)(?:\?[^"]*)?">Edit<span class="visually-hidden"> '
)


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE = False


def edit_hrefs(response):
    assert response.status_code == 200
    return EDIT_LINK.findall(response.text)


def meet(slug="dordrecht"):
    return Meet.objects.select_related("season").get(season__slug="2011-12", slug=slug)


def test_edit_link_season_page_links_the_season_and_its_meets(editor_client):
    season = Season.objects.get(slug="2011-12")

    hrefs = edit_hrefs(editor_client.get("/seasons/2011-12/"))

    assert hrefs[0] == admin_change_url(season)
    assert admin_change_url(meet("saguenay")) in hrefs


def test_edit_link_meet_page_links_the_meet_screen_and_every_race_row(editor_client):
    dordrecht = meet()

    response = editor_client.get(dordrecht.get_absolute_url())

    hrefs = edit_hrefs(response)
    assert hrefs[0] == reverse("admin:seasons_meet_podiums", args=[dordrecht.pk])
    row = response.text.split('id="men-500m"', 1)[1].split("</tr>", 1)[0]
    sprint = Race.objects.get(meet=dordrecht, gender="men", distance=500)
    assert f'href="{admin_change_url(sprint)}?next=' in row
    assert 'Edit<span class="visually-hidden"> Men&#x27;s 500 m</span>' in row
    assert len(hrefs) == 1 + dordrecht.races.count() + dordrecht.flags.count()


def test_edit_link_venue_page_links_the_venue(editor_client):
    venue = Venue.objects.get(slug="nagoya-nippon-gaishi-hall")

    assert edit_hrefs(editor_client.get(venue.get_absolute_url())) == [admin_change_url(venue)]


def test_edit_link_standings_page_links_each_table_the_rule_and_the_flags(editor_client):
    tables = StandingsTable.objects.filter(season__slug="2012-13")
    rule = ScoringRule.objects.get(season__slug="2012-13")
    flag = Flag.objects.get(kind="total-unreachable")

    hrefs = edit_hrefs(editor_client.get("/seasons/2012-13/standings/"))

    assert admin_change_url(rule) in hrefs
    assert {admin_change_url(table) for table in tables} <= set(hrefs)
    assert admin_change_url(flag) in hrefs


def test_edit_link_standings_table_page_links_the_table_the_rule_and_its_flags(editor_client):
    table = StandingsTable.objects.get(season__slug="2012-13", gender="women", distance=3000)
    rule = ScoringRule.objects.get(season__slug="2012-13")
    flag = Flag.objects.get(kind="total-unreachable")

    hrefs = edit_hrefs(editor_client.get("/seasons/2012-13/standings/women-3000m-relay/"))

    assert {admin_change_url(table), admin_change_url(rule), admin_change_url(flag)} <= set(hrefs)


def test_edit_link_source_page_links_each_flag(editor_client):
    flag = Flag.objects.get(source__name="2011-12.txt", line=57)

    response = editor_client.get("/sources/2011-12.txt")

    row = response.text.split('id="flag-57-race-outside-season"', 1)[1].split("</tr>", 1)[0]
    assert f'href="{admin_change_url(flag)}?next=' in row


@pytest.mark.parametrize(
    "path",
    [
        "/seasons/2011-12/",
        "/seasons/2011-12/dordrecht/",
        "/venues/nagoya-nippon-gaishi-hall/",
        "/seasons/2012-13/standings/",
        "/seasons/2012-13/standings/women-3000m-relay/",
        "/sources/2011-12.txt",
    ],
)
def test_edit_link_never_shown_to_anonymous_visitors(client, archive, path):
    response = client.get(path)

    assert response.status_code == 200
    assert "edit-link" not in response.text
    assert "/admin/" not in response.text


def test_edit_link_never_shown_to_a_signed_in_user_who_is_not_staff(
    client, archive, django_user_model
):
    user = django_user_model.objects.create_user("reader")
    user.user_permissions.add(Permission.objects.get(codename="change_meet"))
    client.force_login(user)

    assert "edit-link" not in client.get("/seasons/2011-12/dordrecht/").text


def test_edit_link_needs_the_change_permission(client, archive, django_user_model):
    """Staff who may change races but not meets get the race rows' links only."""
    user = django_user_model.objects.create_user("podiums", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_race"))
    client.force_login(user)
    dordrecht = meet()

    hrefs = edit_hrefs(client.get(dordrecht.get_absolute_url()))

    assert admin_change_url(dordrecht) not in hrefs
    assert reverse("admin:seasons_meet_podiums", args=[dordrecht.pk]) not in hrefs
    assert len(hrefs) == dordrecht.races.count()


def test_edit_link_costs_an_anonymous_visitor_no_query(
    client, archive, django_assert_max_num_queries
):
    # The meet page's own pin (test_views.py): the links add nothing for a visitor.
    with django_assert_max_num_queries(5):
        client.get("/seasons/2011-12/dordrecht/")


def test_edit_link_page_cache_serves_the_anonymous_page_without_links(
    client, editor, archive, settings
):
    """An anonymous visit fills the cache; the editor still gets links (never the cached
    page) and the editor's page is not what the next anonymous visitor gets."""
    settings.PAGE_CACHE = True
    path = "/seasons/2011-12/dordrecht/"
    client.get(path)
    assert client.get(path)["X-Page-Cache"] == "hit"

    client.force_login(editor)
    staff_page = client.get(path)
    client.logout()
    anonymous_page = client.get(path)

    assert "X-Page-Cache" not in staff_page
    assert "edit-link" in staff_page.text
    assert anonymous_page["X-Page-Cache"] == "hit"
    assert "edit-link" not in anonymous_page.text


def test_edit_link_admin_view_on_site_stays_on_the_admins_host(editor_client):
    """ "View on site" goes to the public page on the host the admin is on, not to the Site
    record's example.com."""
    dordrecht = meet()

    response = editor_client.get(admin_change_url(dordrecht))

    assert f'href="{dordrecht.get_absolute_url()}" class="viewsitelink"' in response.text


def test_admin_change_url_points_to_the_admin_form(archive):
    race = Race.objects.get(
        meet__season__slug="2011-12", meet__slug="saguenay", gender="men", distance=500, number=1
    )
    assert admin_change_url(race) == f"/admin/seasons/race/{race.pk}/change/"
