"""Server-rendered SVG charts (no JavaScript): standings after each meet.

The chart draws :attr:`seasons.standings.scoring.TableAnalysis.progression`: each competitor's
computed total (best N of its known results so far) after every meet, and, at the last meet, the
published total as a hollow diamond, so a gap between computed and published shows at a glance.
Every value is also in a ``<title>`` (a tooltip, and read out by screen readers); the ``<desc>``
sums the chart up in words. Colour is never the only cue: series differ in dash pattern too and
are named in the legend.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Okabe–Ito colours (distinguishable with the common colour-vision deficiencies), with dashes.
SERIES_STYLES = (
    ("#0072B2", ""),
    ("#D55E00", "6 3"),
    ("#009E73", "2 3"),
    ("#CC79A7", "8 3 2 3"),
    ("#E69F00", ""),
    ("#56B4E9", "6 3"),
    ("#000000", "2 3"),
    ("#999999", "8 3 2 3"),
)
WIDTH = 640
PLOT_HEIGHT = 240
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 56, 40, 16, 36
LEGEND_LINE = 20


def _axis_top(highest):
    """A round top for the y axis and its gridline step."""
    step = 500 if highest <= 2500 else 1000
    return max(step, -(-highest // step) * step), step


def _number(value):
    return f"{value:.1f}".rstrip("0").rstrip(".")


def standings_chart(analysis, *, chart_id, title=None):
    """SVG markup (safe) for one table's standings after each meet.

    ``chart_id`` must be unique on the page (it names the title and description elements), e.g.
    the table's anchor. ``title`` defaults to the table's title.
    """
    title = title or f"{analysis.title}: points after each meet"
    meets = [step.meet for step in analysis.progression]
    series = [
        (standing, [dict(step.totals).get(standing.competitor, 0) for step in analysis.progression])
        for standing in analysis.standings
    ]
    published = {
        standing.competitor: standing.published.points
        for standing in analysis.standings
        if standing.published is not None
    }
    legend_rows = len(series) + (1 if published else 0)
    height = MARGIN_TOP + PLOT_HEIGHT + MARGIN_BOTTOM + LEGEND_LINE * legend_rows + 8
    ids = {"title": f"{chart_id}-title", "desc": f"{chart_id}-desc"}

    if series:
        ranked = ", ".join(f"{standing.name} {values[-1]}" for standing, values in series)
        description = (
            f"Computed points after each meet from the known results, {analysis.rule.description}"
            f" counting, over {len(meets)} meets ({', '.join(meets)}). After the last meet: "
            f"{ranked}."
        )
        if published:
            description += " Hollow diamonds mark the published totals: " + ", ".join(
                f"{standing.name} {published[standing.competitor]}"
                for standing, _ in series
                if standing.competitor in published
            )
            description += "."
    else:
        description = "No results are known for this table, so nothing can be computed yet."

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="standings-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{escape(ids["title"])} {escape(ids["desc"])}">',
        f'<title id="{escape(ids["title"])}">{escape(title)}</title>',
        f'<desc id="{escape(ids["desc"])}">{escape(description)}</desc>',
    ]
    if not series:
        parts.append(
            f'<text x="{WIDTH / 2}" y="{height / 2}" text-anchor="middle">'
            "No known results to chart.</text></svg>"
        )
        return mark_safe("".join(parts))

    highest = max([*published.values(), *(value for _, values in series for value in values)])
    top, step = _axis_top(highest)
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT

    def x(index):
        if len(meets) == 1:
            return MARGIN_LEFT + plot_width / 2
        return MARGIN_LEFT + plot_width * index / (len(meets) - 1)

    def y(value):
        return MARGIN_TOP + PLOT_HEIGHT * (1 - value / top)

    parts.append('<g class="axes" font-size="11" fill="#333">')
    for value in range(0, top + 1, step):
        parts.append(
            f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{_number(y(value))}" '
            f'y2="{_number(y(value))}" stroke="#ddd"/>'
            f'<text x="{MARGIN_LEFT - 6}" y="{_number(y(value) + 4)}" '
            f'text-anchor="end">{value}</text>'
        )
    for index, meet in enumerate(meets):
        parts.append(
            f'<text x="{_number(x(index))}" y="{MARGIN_TOP + PLOT_HEIGHT + 16}" '
            f'text-anchor="middle">{escape(meet)}</text>'
        )
    parts.append("</g>")

    for number, (standing, values) in enumerate(series):
        colour, dashes = SERIES_STYLES[number % len(SERIES_STYLES)]
        name = escape(standing.name)
        points = " ".join(f"{_number(x(i))},{_number(y(v))}" for i, v in enumerate(values))
        dash = f' stroke-dasharray="{dashes}"' if dashes else ""
        parts.append(f'<g class="series" data-competitor="{escape(standing.competitor)}">')
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
        )
        for index, value in enumerate(values):
            parts.append(
                f'<circle cx="{_number(x(index))}" cy="{_number(y(value))}" r="3.5" '
                f'fill="{colour}"><title>{name} after {escape(meets[index])}: '
                f"{value}</title></circle>"
            )
        if standing.competitor in published:
            value = published[standing.competitor]
            cx, cy = x(len(meets) - 1), y(value)
            diamond = f"{_number(cx)},{_number(cy - 6)} {_number(cx + 6)},{_number(cy)} "
            diamond += f"{_number(cx)},{_number(cy + 6)} {_number(cx - 6)},{_number(cy)}"
            parts.append(
                f'<polygon class="published" points="{diamond}" fill="#fff" '
                f'stroke="{colour}" stroke-width="2"><title>{name}: published {value}'
                "</title></polygon>"
            )
        parts.append("</g>")

    legend_top = MARGIN_TOP + PLOT_HEIGHT + MARGIN_BOTTOM
    parts.append('<g class="legend" font-size="12" fill="#222">')
    for number, (standing, values) in enumerate(series):
        colour, dashes = SERIES_STYLES[number % len(SERIES_STYLES)]
        row_y = legend_top + LEGEND_LINE * number
        dash = f' stroke-dasharray="{dashes}"' if dashes else ""
        shown = (
            f", {published[standing.competitor]} published"
            if standing.competitor in published
            else ""
        )
        parts.append(
            f'<line x1="{MARGIN_LEFT}" x2="{MARGIN_LEFT + 28}" y1="{row_y}" y2="{row_y}" '
            f'stroke="{colour}" stroke-width="2"{dash}/>'
            f'<text x="{MARGIN_LEFT + 36}" y="{row_y + 4}">{escape(standing.name)}: '
            f"{values[-1]} computed{shown}</text>"
        )
    if published:
        row_y = legend_top + LEGEND_LINE * len(series)
        cx = MARGIN_LEFT + 14
        parts.append(
            f'<polygon points="{cx},{row_y - 6} {cx + 6},{row_y} {cx},{row_y + 6} '
            f'{cx - 6},{row_y}" fill="#fff" stroke="#222" stroke-width="2"/>'
            f'<text x="{MARGIN_LEFT + 36}" y="{row_y + 4}">published total</text>'
        )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))
