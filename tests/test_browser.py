"""A reader's paths through the archive in real Chromium, at desktop and phone sizes (each test runs
once per viewport: see ``browser_context_args`` in conftest). The live server holds the bundled
archive: the 2011–12 season runs Salt Lake City, Saguenay, Nagoya, Shanghai, Moscow, Dordrecht."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from seasons.sample_pages import add_demo_athletes

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_archive")]

SEASON = "/seasons/2011-12/"
MEET = "/seasons/2011-12/saguenay/"
STANDINGS = "/seasons/2011-12/standings/"


def link_to(page, path):
    """The first visible link whose target is ``path`` (a site path, absolute or relative href)."""
    links = page.locator(f'a[href="{path}"], a[href$="{path}"]').filter(visible=True)
    expect(links.first).to_be_visible()
    return links.first


def labelled_link(page, word, path_pattern):
    """The one link named ``word`` (such as "next") whose target matches ``path_pattern``."""
    links = page.get_by_role("link", name=re.compile(word, re.IGNORECASE)).filter(visible=True)
    page.wait_for_load_state()
    matching = [
        link for link in links.all() if re.search(path_pattern, link.get_attribute("href") or "")
    ]
    hrefs = {link.get_attribute("href") for link in matching}
    assert len(hrefs) == 1, f"expected one {word!r} link to {path_pattern}, found {sorted(hrefs)}"
    return matching[0]


def assert_fits_width(page):
    """No sideways scrolling of the whole page (wide tables may scroll inside their own box)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the {page.viewport_size} viewport"


def headers(table):
    return [text.strip().lower() for text in table.locator("thead th").all_inner_texts()]


def column_values(table, header):
    """The text of each body cell of ``table`` in the column headed ``header``."""
    column = headers(table).index(header.lower()) + 1
    return [
        text.strip() for text in table.locator(f"tbody tr > :nth-child({column})").all_inner_texts()
    ]


def as_numbers(values):
    return [int(re.sub(r"\D", "", value)) for value in values]


def test_reader_goes_from_front_page_to_standings_by_links(page):
    failed = []

    def note_failure(response):
        # Browsers ask for /favicon.ico on their own; only what the pages load counts.
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            failed.append(f"{response.status} {response.url}")

    page.on("response", note_failure)

    page.goto("/")
    link_to(page, SEASON).click()
    expect(page).to_have_url(re.compile(f"{SEASON}$"))
    expect(page.locator("h1")).to_contain_text("2011–12")

    link_to(page, MEET).click()
    expect(page).to_have_url(re.compile(f"{MEET}$"))
    expect(page.locator("h1")).to_contain_text("Saguenay")
    expect(page.locator("main")).to_contain_text("Centre Georges-Vézina")

    link_to(page, SEASON).click()
    expect(page).to_have_url(re.compile(f"{SEASON}$"))
    link_to(page, STANDINGS).click()
    expect(page).to_have_url(re.compile(f"{STANDINGS}$"))
    expect(page.locator("main")).to_contain_text("best 6 out of 8")
    expect(page.locator("main table").first).to_be_visible()

    assert_fits_width(page)
    assert not failed, f"requests failed on the way: {failed}"


def sort_first_table_by(page, header):
    """Click the sort link in the first table's ``header`` cell; return the column afterwards."""
    before = page.url
    cell = page.locator("main table").first.locator("thead th")
    cell.filter(has_text=re.compile(rf"^\s*{header}\s*$")).get_by_role("link").click()
    page.wait_for_url(lambda url: url != before)
    return as_numbers(column_values(page.locator("main table").first, header))


def test_standings_table_sorts_by_points_when_its_header_is_clicked(page):
    page.goto(STANDINGS)
    published = as_numbers(column_values(page.locator("main table").first, "Points"))

    first_order = sort_first_table_by(page, "Points")
    second_order = sort_first_table_by(page, "Points")

    assert sorted(first_order) == sorted(published), "sorting changed the rows"
    assert first_order in (sorted(published), sorted(published, reverse=True))
    assert second_order == first_order[::-1], "a second click reverses the order"


def test_standings_table_exports_as_csv(page):
    page.goto(STANDINGS)
    tables_points = [
        as_numbers(column_values(table, "Points"))
        for table in page.locator("main table").all()
        if "points" in headers(table)
    ]
    export = page.locator('main a[href*="_export=csv"]').filter(visible=True).first

    with page.expect_download() as download_info:
        export.click()
    download = download_info.value
    rows = list(csv.reader(io.StringIO(download.path().read_text(encoding="utf-8-sig"))))

    assert download.suggested_filename.endswith(".csv")
    header = [cell.strip().lower() for cell in rows[0]]
    assert "points" in header, rows[0]
    exported = as_numbers(row[header.index("points")] for row in rows[1:])
    assert len(exported) == 5
    assert exported in tables_points, "the CSV holds the rows of a table on the page"


def test_season_links_to_next_and_previous_season(page):
    page.goto(SEASON)
    labelled_link(page, "next", r"/seasons/2012-13/$").click()
    expect(page).to_have_url(re.compile(r"/seasons/2012-13/$"))
    expect(page.locator("h1")).to_contain_text("2012–13")

    labelled_link(page, "prev", r"/seasons/2011-12/$").click()
    expect(page).to_have_url(re.compile(f"{SEASON}$"))
    # The archive ends with 2012–13: the source names a next season, but there is no page to link.
    page.goto("/seasons/2012-13/")
    expect(page.locator('a[href*="/seasons/2013-14/"]')).to_have_count(0)


def test_meet_links_to_next_and_previous_meet(page):
    page.goto(MEET)
    expect(page.locator("main")).to_contain_text(re.compile(r"World Cup 2 of 6", re.IGNORECASE))

    labelled_link(page, "next", r"/seasons/2011-12/nagoya/$").click()
    expect(page).to_have_url(re.compile(r"/seasons/2011-12/nagoya/$"))
    expect(page.locator("h1")).to_contain_text("Nagoya")

    labelled_link(page, "prev", r"/seasons/2011-12/saguenay/$").click()
    expect(page).to_have_url(re.compile(f"{MEET}$"))
    labelled_link(page, "prev", r"/seasons/2011-12/salt-lake-city/$").click()
    expect(page).to_have_url(re.compile(r"/seasons/2011-12/salt-lake-city/$"))
    expect(page.locator("h1")).to_contain_text("Salt Lake City")
    assert_fits_width(page)


def test_unknown_page_answers_404_with_a_way_on(page):
    response = page.goto("/seasons/1999-00/")

    assert response.status == 404
    expect(page.locator("h1")).to_be_visible()
    link_to(page, "/seasons/2012-13/")
    link_to(page, SEASON).click()
    expect(page).to_have_url(re.compile(f"{SEASON}$"))
    assert_fits_width(page)


def test_a_click_on_a_winner_reaches_their_podium_and_standings_place(page):
    """The demo athlete (seasons.sample_pages.add_demo_athletes) wins the Saguenay women's
    1500 m and heads the 2011–12 women's 1500 m standings."""
    add_demo_athletes()
    page.goto(MEET)

    race = page.locator("#women-1500m")
    race.locator("td.place-1").get_by_role("link", name="Élodie Testaz").click()

    expect(page).to_have_url(re.compile(r"/athletes/elodie-testaz/$"))
    expect(page.locator("h1")).to_have_text("Élodie Testaz")
    podium = page.locator("#podiums tbody tr").filter(has_text="Saguenay")
    expect(podium).to_have_count(1)
    expect(podium).to_contain_text("Women's 1500 m")
    expect(podium.locator('[data-label="Place"]')).to_have_text("Gold")
    expect(podium.get_by_role("link", name="Women's 1500 m")).to_have_attribute(
        "href", "/seasons/2011-12/saguenay/#women-1500m"
    )
    place = page.locator("#standings tbody tr").filter(has_text="Women's 1500 m")
    expect(place).to_have_count(1)
    expect(place.locator('[data-label="Position"]')).to_have_text("1")
    expect(place.locator('[data-label="Season"]')).to_have_text("2011–12")
    assert_fits_width(page)


# The standings chart on a table's page (issue 16): drawn for a phone's width, its text reads at
# 11 CSS px or more on a 390 px screen, and grows no larger than body text on a wide one.
CHART_PAGE = "/seasons/2012-13/standings/women-3000m-relay/"
CHART_TEXT_SIZES = """() => [...document.querySelectorAll("svg.standings-chart text")].map(text => {
  const svg = text.ownerSVGElement;
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return {
    text: text.textContent,
    font: parseFloat(getComputedStyle(text).fontSize) * scale,
    height: text.getBoundingClientRect().height,
    right: text.getBoundingClientRect().right - svg.getBoundingClientRect().right,
  };
})"""


def test_standings_chart_text_is_legible_at_the_pages_width(page):
    page.goto(CHART_PAGE)
    expect(page.locator("svg.standings-chart")).to_be_visible()

    sizes = page.evaluate(CHART_TEXT_SIZES)

    assert len(sizes) > 10, sizes  # axes, meets and legend: something was measured
    smallest = min(sizes, key=lambda size: size["font"])
    assert smallest["font"] >= 11, smallest
    # The box the text takes on screen (a line is taller than its font size).
    assert min(size["height"] for size in sizes) >= 11, sizes
    assert max(size["font"] for size in sizes) <= 20, sizes
    assert max(size["right"] for size in sizes) <= 1, "a label runs out of the chart"
    assert_fits_width(page)


def test_standings_overview_leads_to_each_tables_page(page):
    page.goto(STANDINGS)
    link_to(page, "/seasons/2011-12/standings/women-1500m/").click()

    expect(page).to_have_url(re.compile(r"/seasons/2011-12/standings/women-1500m/$"))
    expect(page.locator("h1")).to_contain_text("Women's 1500 m")
    expect(page.locator("main")).to_contain_text("Published totals checked")
    assert_fits_width(page)


def test_standings_old_anchor_lands_on_the_compact_table(page):
    page.goto(f"{STANDINGS}#men-5000m-relay")

    expect(page.locator("#men-5000m-relay")).to_be_in_viewport()
    expect(page.locator("#men-5000m-relay-table")).to_be_visible()
