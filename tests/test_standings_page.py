"""The standings explain themselves (issue 7): the published tables stay the primary fact; on
each table's page, every published total checked against the season's rule, and where results
are known the standings computed from them, with their chart (issue 16: the season's overview
shows the tables compact, and marks a total in doubt)."""

import html
import re
import xml.etree.ElementTree as ET

import pytest

from seasons.models import Flag, ScoringRule, Season, StandingsTable
from seasons.standings.check import analyze_season
from seasons.standings.explain import explain_tables, season_rule

pytestmark = pytest.mark.django_db

STANDINGS_2012 = "/seasons/2012-13/standings/"


def table_page(anchor, season="2012-13"):
    """A table's own page: its explanation."""
    return f"/seasons/{season}/standings/{anchor}/"


RELAY_2012 = table_page("women-3000m-relay")
CAN_ARITHMETIC = (
    "CAN: published 2992; known results 2nd in Montreal (800), 2nd in Sochi (800), 2nd in "
    "Dresden (800), best 4 of 6 giving 800 + 800 + 800 = 2400; no choice of places in the events "
    "still open (Calgary: 4th or lower, Nagoya: 4th or lower, Shanghai: 4th or lower) makes the "
    "best 4 of 6 total 2992; at most 2912 can be reached (with 4th in Calgary (512), best 4 of 6 "
    "give 512 + 800 + 800 + 800 = 2912)."
)


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE = False


def text_of(fragment):
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def block(response, anchor):
    """The standings section of one table."""
    return response.text.split(f'<section class="standings-block" id="{anchor}"', 1)[1].split(
        "\n  </section>", 1
    )[0]


def check_item(response, anchor, row):
    item = response.text.split(f'id="{anchor}-check-{row}"', 1)[1]
    return item.split("</li>", 1)[0]


def computed_rows(response, anchor):
    table = response.text.split(f'id="{anchor}-computed"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr>.*?</tr>", table.split("<tbody>", 1)[1], re.S)


# The published table stays the primary fact


def test_standings_page_keeps_the_published_table_sortable_and_exportable(client, archive):
    response = client.get(STANDINGS_2012)

    relay = block(response, "women-3000m-relay")
    assert 'id="women-3000m-relay-table"' in relay
    assert 'href="?women-3000m-relay-sort=-points#women-3000m-relay"' in relay
    assert 'href="?_export=csv&amp;table=women-3000m-relay"' in relay


def test_standings_table_page_puts_the_published_table_before_its_checks(client, archive):
    relay = block(client.get(RELAY_2012), "women-3000m-relay")

    assert 'id="women-3000m-relay-table"' in relay
    assert relay.index('id="women-3000m-relay-table"') < relay.index("Published totals checked")
    assert 'href="?women-3000m-relay-sort=-points#women-3000m-relay"' in relay
    assert 'href="?_export=csv"' in relay


def test_standings_table_page_export_is_the_tables(client, archive):
    on_its_page = client.get(f"{RELAY_2012}?_export=csv")
    by_query = client.get(f"{STANDINGS_2012}?_export=csv&table=women-3000m-relay")

    assert on_its_page["Content-Type"].startswith("text/csv")
    assert on_its_page.content == by_query.content
    assert "2012-13-women-3000m-relay-standings.csv" in on_its_page["Content-Disposition"]


def test_standings_page_export_leaves_out_the_computed_part(client, archive):
    response = client.get(f"{STANDINGS_2012}?_export=csv&table=women-3000m-relay")

    assert response["Content-Type"].startswith("text/csv")
    assert "reproduced" not in response.content.decode()


# Every published entry checked


def test_standings_page_states_each_tables_rule(client, archive):
    men = client.get(table_page("men-1000m"))
    relay = client.get(table_page("men-5000m-relay"))

    assert "Rule: best 6 of 8 individual results count" in text_of(block(men, "men-1000m"))
    assert "Rule: best 4 of 6 relay results count" in text_of(block(relay, "men-5000m-relay"))


def test_standings_page_checks_every_published_entry(client, archive):
    for table in StandingsTable.objects.filter(season__slug="2012-13"):
        response = client.get(table_page(table.anchor))
        for entry in table.entries.all():
            assert f'id="{table.anchor}-check-{entry.row}"' in response.text


def test_standings_page_says_an_entry_is_reproduced_exactly(client, archive):
    item = text_of(check_item(client.get(RELAY_2012), "women-3000m-relay", 1))

    assert "CHN published 4000 reproduced exactly known results give 4000" in item
    assert "best 4 of 6 giving 1000 + 1000 + 1000 + 1000 = 4000" in item


def test_standings_page_says_an_entry_is_reachable_with_an_example(client, archive):
    item = text_of(check_item(client.get(RELAY_2012), "women-3000m-relay", 3))

    assert "KOR published 2824 reachable known results give 1800" in item
    assert "2824 is reachable, e.g. with 4th in Montreal (512), 4th in Shanghai (512)" in item


def test_standings_page_flags_the_unreachable_entry_with_its_arithmetic(client, archive):
    response = client.get(RELAY_2012)

    item = check_item(response, "women-3000m-relay", 2)
    assert "<details open>" in item
    assert "⚑ cannot be reached" in item
    assert "known results give 2400" in text_of(item)
    assert CAN_ARITHMETIC in text_of(item)
    assert "⚑ 1 cannot be reached" in text_of(block(response, "women-3000m-relay"))


def test_standings_page_opens_only_flagged_checks(client, archive):
    opened = {
        table.anchor: client.get(table_page(table.anchor)).text.count("<details open>")
        for table in StandingsTable.objects.filter(season__slug="2012-13")
    }

    assert sum(opened.values()) == 1
    assert opened["women-3000m-relay"] == 1


def test_sources_show_the_flagged_entry_with_its_arithmetic(client, archive):
    flag = Flag.objects.get(kind="total-unreachable")

    response = client.get(flag.source.get_absolute_url())

    row = response.text.split('id="flag-183-total-unreachable"', 1)[1].split("</tr>", 1)[0]
    assert CAN_ARITHMETIC in html.unescape(row)
    assert 'href="/seasons/2012-13/standings/women-3000m-relay/"' in row


# The overview: compact tables, a total in doubt marked and linked to its arithmetic


def test_standings_overview_marks_the_total_in_doubt_and_links_its_check(client, archive):
    response = client.get(STANDINGS_2012)

    relay = block(response, "women-3000m-relay")
    rows = re.findall(r"<tr>.*?</tr>", relay.split("<tbody>", 1)[1], re.S)
    doubted = [row for row in rows if "doubt-mark" in row]
    assert len(doubted) == 1
    # As published (with the stored flag's mark), then the mark of the check.
    assert text_of(doubted[0]).startswith("2. ")
    assert text_of(doubted[0]).endswith(" CAN 2992 in doubt")
    href = re.search(r'class="doubt-mark" href="([^"]+)"', doubted[0]).group(1)
    assert href == f"{RELAY_2012}#women-3000m-relay-check-2"
    # The mark is explained in words on the page, not by its colour.
    legend = text_of(response.text.split('id="in-doubt"', 1)[1].split("</p>", 1)[0])
    assert "no choice of the places still unknown gives this one (1 in 2012–13)" in legend
    # ...and the check it links to says why.
    assert CAN_ARITHMETIC in text_of(check_item(client.get(RELAY_2012), "women-3000m-relay", 2))


def test_standings_overview_marks_only_totals_in_doubt(client, archive):
    response = client.get(STANDINGS_2012)

    assert response.text.count('class="doubt-mark" href=') == 1


def test_standings_overview_shows_position_competitor_points_only(client, archive):
    men = block(client.get(STANDINGS_2012), "men-1000m")

    headers = re.findall(r"<th [^>]*>(?:<a [^>]*>)?([^<]+)", men.split("</thead>", 1)[0])
    assert headers == ["Position", "Athlete", "Points"]
    assert "suggest-link" not in men and "Source line" not in men
    assert 'href="/seasons/2012-13/standings/men-1000m/"' in men


def test_standings_overview_links_every_table_page(client, archive):
    response = client.get(STANDINGS_2012)

    for table in StandingsTable.objects.filter(season__slug="2012-13"):
        url = table_page(table.anchor)
        assert f'href="{url}"' in block(response, table.anchor)
        page = client.get(url)
        assert page.status_code == 200
        heading = page.text.split("<h1>", 1)[1].split("</h1>", 1)[0]
        assert text_of(heading).startswith(table.title)
        assert "2012–13" in heading
        assert f'id="{table.anchor}"' in page.text  # the overview's anchor lands there too


def test_standings_table_page_of_no_table_is_not_found(client, archive):
    assert client.get(table_page("men-700m")).status_code == 404
    assert client.get(table_page("mixed-500m")).status_code == 404  # a name, but no table
    assert client.get(table_page("men-500m", season="1999-00")).status_code == 404


def test_standings_table_page_does_not_shadow_meets_or_suggestions(client, archive):
    assert client.get("/seasons/2011-12/saguenay/").status_code == 200
    assert client.get("/seasons/2011-12/standings/men-500m/1/suggest/").status_code == 200
    assert client.get("/seasons/2011-12/standings/men-500m/").status_code == 200


# Computed standings and their chart


def test_standings_page_labels_the_computed_part(client, archive):
    relay = text_of(block(client.get(RELAY_2012), "women-3000m-relay"))

    assert "Standings from the known results computed by the archive from known results" in relay
    assert "Published totals checked computed by the archive from known results" in relay


def test_standings_page_computes_standings_with_counted_and_dropped_results(client, archive):
    rows = computed_rows(client.get(RELAY_2012), "women-3000m-relay")

    first = rows[0]
    assert 'alt="Flag of China"' in first
    assert text_of(first).startswith("1. CHN 4000 4000")
    assert "1st in Montreal (1000)" in first
    assert '<del><span class="visually-hidden">dropped: </span>2nd in Calgary (800)</del>' in first
    assert '<del><span class="visually-hidden">dropped: </span>3rd in Dresden (640)</del>' in first
    assert "<del>" not in rows[1]  # JPN: four results, all counted


def test_standings_page_computed_standings_include_unpublished_competitors(client, archive):
    rows = computed_rows(client.get(RELAY_2012), "women-3000m-relay")

    ned = text_of(rows[-1])
    assert ned.startswith("6. NED 1000")
    assert "not among the published rows" in rows[-1]


def test_standings_page_draws_the_chart_where_results_are_known(client, archive):
    response = client.get(RELAY_2012)

    svg = re.search(r"<svg .*?</svg>", block(response, "women-3000m-relay"), re.S).group(0)
    chart = ET.fromstring(svg)
    assert chart.get("aria-labelledby") == (
        "women-3000m-relay-chart-title women-3000m-relay-chart-desc"
    )
    assert "<script" not in response.text
    charted = [
        table.anchor
        for table in StandingsTable.objects.filter(season__slug="2012-13")
        if "<svg " in client.get(table_page(table.anchor)).text
    ]
    # The two relays; no individual result is known.
    assert sorted(charted) == ["men-5000m-relay", "women-3000m-relay"]


def test_standings_overview_draws_no_chart_and_no_computed_part(client, archive):
    response = client.get(STANDINGS_2012)

    assert "<svg " not in response.text
    assert 'class="check-known"' not in response.text
    assert 'class="check-list"' not in response.text
    assert 'id="women-3000m-relay-computed"' not in response.text


def test_standings_page_shows_no_computed_part_without_known_results(client, archive):
    men = block(client.get(table_page("men-1000m")), "men-1000m")

    assert "Published totals checked" in men
    assert "Standings from the known results" not in men
    assert "<svg" not in men


def test_standings_page_computes_an_individual_table_from_named_results(client, skaters):
    response = client.get(table_page("women-500m"))

    rows = computed_rows(response, "women-500m")
    assert len(rows) == 1
    assert "Élodie Testaz" in rows[0]
    assert 'alt="Flag of Canada"' in rows[0]
    assert text_of(rows[0]).startswith("1. Élodie Testaz CAN 640")


def test_standings_page_explains_how_standings_are_checked(client, archive):
    response = client.get(STANDINGS_2012)

    how = text_of(response.text.split('id="how-checked"', 1)[1].split("</section>", 1)[0])
    assert 'href="#how-checked"' in response.text
    assert "the best 6 of 8 results of each individual distance count" in how
    assert "the best 4 of 6 relay results" in how
    assert "1000, 800, 640, 512, 410, 328, 262, 210 … 28 for places 1–17" in how


def test_standings_page_without_a_known_rule_claims_nothing_and_says_so(client, archive):
    """Issue #18: a season whose points rule is not known (2014–15: the archive knows the
    2011–13 table only) shows its published standings, says the rule is not known, and makes
    no reachability claim."""
    from seasons.importing.parser import read_source
    from seasons.importing.writer import import_seasons
    from tests.test_formats import DATA

    import_seasons([read_source(DATA / "2014-15-plain.txt")])
    assert not ScoringRule.objects.filter(season__slug="2014-15").exists()

    response = client.get("/seasons/2014-15/standings/")

    assert response.status_code == 200
    text = text_of(response.text)
    assert "The points rule of 2014–15 is not known to the archive" in text
    assert "Charles Hamelin" in text  # the published standings are there
    assert "cannot be reached" not in text and "reachable" not in text
    assert 'id="how-checked"' not in response.text
    assert "in doubt" not in text

    table = client.get("/seasons/2014-15/standings/men-500m/")
    assert table.status_code == 200
    text = text_of(table.text)
    assert "The points rule of 2014–15 is not known to the archive" in text
    assert "cannot be reached" not in text and "reachable" not in text
    assert "Published totals checked" not in text


# The page and check_standings agree


@pytest.mark.parametrize("has_stored_rule", [True, False], ids=["stored-rule", "no-rule"])
@pytest.mark.parametrize("slug", ["2011-12", "2012-13"])
def test_standings_page_explains_as_analyze_season(skaters, slug, has_stored_rule):
    # Both build their inputs with scoring.build_inputs, but from rows and a rule each loads its
    # own way; check_standings flags what analyze_season gives.
    if not has_stored_rule:
        ScoringRule.objects.filter(season__slug=slug).delete()
    season = Season.objects.select_related("scoring_rule").get(slug=slug)
    _, rule = season_rule(season)
    tables = list(season.standings.for_standings_page())

    explained = explain_tables(season, tables, rule)

    if rule is None:
        # No rule known: neither the page nor the check claims anything.
        assert set(explained.values()) == {None} and analyze_season(season) == []
        return
    page = [(table.pk, explained[table.pk].analysis) for table in tables]
    assert page == [(table.pk, analysis) for table, analysis in analyze_season(season)]


def test_standings_page_explains_every_table_in_two_queries(archive, django_assert_num_queries):
    season = Season.objects.select_related("scoring_rule").get(slug="2012-13")
    _, rule = season_rule(season)
    tables = list(season.standings.for_standings_page())

    with django_assert_num_queries(2):
        explained = explain_tables(season, tables, rule)

    assert set(explained) == {table.pk for table in tables}


def test_standings_page_query_count_with_a_sorted_table(
    client, archive, django_assert_max_num_queries
):
    with django_assert_max_num_queries(7):
        client.get(f"{STANDINGS_2012}?women-3000m-relay-sort=-points")


def test_standings_page_query_count_with_named_athletes(
    client, skaters, django_assert_max_num_queries
):
    # The 2011-12 women's 1500 m leader names an athlete but no nation of its own: showing it
    # must not cost a query per such row.
    with django_assert_max_num_queries(6):
        client.get("/seasons/2011-12/standings/")
