"""The standings chart's SVG: structure and accessibility, no database."""

import xml.etree.ElementTree as ET

from seasons.standings.chart import standings_chart
from seasons.standings.reachability import analyze
from seasons.standings.scoring import Event, Known, Published, Rule, TableInput

SVG = "{http://www.w3.org/2000/svg}"


def relay_analysis():
    events = tuple(Event(city, city, city) for city in ("Calgary", "Nagoya", "Sochi"))
    results = (
        Known("Calgary", "KOR", 1),
        Known("Calgary", "CAN", 2),
        Known("Nagoya", "CAN", 1),
        Known("Sochi", "KOR", 1),
    )
    entries = (Published(1, 1, "KOR", 2000), Published(2, 2, "CAN", 2100))
    names = {"KOR": "KOR", "CAN": "Canada <CAN>"}
    return analyze(
        TableInput("Men's 5000 m relay", Rule((1000, 800, 640), 2), events, results, entries, names)
    )


def test_standings_chart_is_accessible_svg():
    svg = ET.fromstring(str(standings_chart(relay_analysis(), chart_id="men-5000m-relay")))
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "men-5000m-relay-title men-5000m-relay-desc"
    assert svg.find(f"{SVG}title").get("id") == "men-5000m-relay-title"
    desc = svg.find(f"{SVG}desc")
    assert desc.get("id") == "men-5000m-relay-desc"
    assert "KOR 2000" in desc.text
    assert "Canada <CAN> 1800" in desc.text


def test_standings_chart_draws_one_line_per_competitor_and_a_point_per_meet():
    svg = ET.fromstring(str(standings_chart(relay_analysis(), chart_id="c")))
    series = svg.findall(f".//{SVG}g[@class='series']")
    assert [group.get("data-competitor") for group in series] == ["KOR", "CAN"]
    for group in series:
        assert len(group.findall(f"{SVG}polyline")) == 1
        assert len(group.findall(f"{SVG}circle")) == 3
    tooltips = [circle.find(f"{SVG}title").text for circle in series[0].findall(f"{SVG}circle")]
    assert tooltips == [
        "KOR after Calgary: 1000",
        "KOR after Nagoya: 1000",
        "KOR after Sochi: 2000",
    ]


def test_standings_chart_marks_published_totals():
    svg = ET.fromstring(str(standings_chart(relay_analysis(), chart_id="c")))
    marks = [
        mark.find(f"{SVG}title").text
        for mark in svg.iter(f"{SVG}polygon")
        if mark.get("class") == "published"
    ]
    assert marks == ["KOR: published 2000", "Canada <CAN>: published 2100"]


def test_standings_chart_escapes_names_and_uses_no_script():
    markup = str(standings_chart(relay_analysis(), chart_id="c"))
    assert "Canada &lt;CAN&gt;" in markup
    assert "<script" not in markup


def test_standings_chart_without_known_results_says_so():
    empty = analyze(TableInput("Men's 500 m", Rule((1000,), 1), (), (), (), {}))
    svg = ET.fromstring(str(standings_chart(empty, chart_id="e")))
    assert "No results are known" in svg.find(f"{SVG}desc").text
    assert svg.find(f".//{SVG}polyline") is None
