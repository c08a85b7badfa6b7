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
# Sized for a phone: drawn 360 units wide, the chart fills a 390 px screen at about its own
# scale, so 13-unit text shows at 12 CSS px or more there (tests/test_browser.py measures it);
# on a wider screen the stylesheet caps its width, so the text never grows past about 16 px.
WIDTH = 360
PLOT_HEIGHT = 200
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP = 44, 12, 12
FONT_SIZE = 13
# About how wide a character of the chart's sans-serif font is, in font sizes: enough to keep
# labels apart, not to typeset them.
CHARACTER_WIDTH = 0.6
LABEL_ROW = 17  # one row of meet labels under the plot
LEGEND_LINE = 18
LEGEND_X, LEGEND_TEXT_X = 8, 44
# A line per competitor stays readable for as many as there are distinct styles: beyond that the
# chart draws the leaders, and says so; the table beside it has every competitor.
MAX_SERIES = 8


def _text_width(text):
    return len(text) * FONT_SIZE * CHARACTER_WIDTH


def _label_rows(xs, labels):
    """``[(x, anchor, row)]`` for the meet labels at ``xs``: each in the first row (from the top)
    where it clears the label before it, so that no two overlap however many meets there are.
    The first label starts at its meet and the last ends at it, so neither leaves the chart."""
    placed, row_ends = [], []
    for index, (x, label) in enumerate(zip(xs, labels, strict=True)):
        width = _text_width(label)
        if len(xs) > 1 and index == 0:
            anchor, left = "start", x
        elif len(xs) > 1 and index == len(xs) - 1:
            anchor, left = "end", x - width
        else:
            anchor, left = "middle", x - width / 2
        row = next((r for r, end in enumerate(row_ends) if left > end + 6), len(row_ends))
        if row == len(row_ends):
            row_ends.append(0)
        row_ends[row] = left + width
        placed.append((x, anchor, row))
    return placed


def _legend_lines(text):
    """A legend entry in one line, or two where one would leave the chart (at its comma)."""
    if LEGEND_TEXT_X + _text_width(text) <= WIDTH - 4 or ": " not in text:
        return [text]
    name, values = text.split(": ", 1)
    return [f"{name}:", values]


def _axis_top(highest):
    """A round top for the y axis and its gridline step."""
    step = 500 if highest <= 2500 else 1000
    return max(step, -(-highest // step) * step), step


def _number(value):
    return f"{value:.1f}".rstrip("0").rstrip(".")


def standings_chart(analysis, *, chart_id, title=None):
    """SVG markup (safe) for one table's standings after each meet.

    ``chart_id`` must be unique on the page (it names the title and description elements), e.g.
    the table's anchor. ``title`` defaults to the table's title. The leading ``MAX_SERIES``
    competitors are drawn.
    """
    title = title or f"{analysis.title}: points after each meet"
    meets = [step.meet for step in analysis.progression]
    series = [
        (standing, [dict(step.totals).get(standing.competitor, 0) for step in analysis.progression])
        for standing in analysis.standings[:MAX_SERIES]
    ]
    left_out = len(analysis.standings) - len(series)
    published = {
        standing.competitor: standing.published.points
        for standing in analysis.standings[:MAX_SERIES]
        if standing.published is not None
    }
    ids = {"title": f"{chart_id}-title", "desc": f"{chart_id}-desc"}
    description = _description(analysis, meets, series, published, left_out)

    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT

    def x(index):
        if len(meets) == 1:
            return MARGIN_LEFT + plot_width / 2
        return MARGIN_LEFT + plot_width * index / (len(meets) - 1)

    labels = _label_rows([x(index) for index in range(len(meets))], meets)
    label_rows = 1 + max((row for *_, row in labels), default=0)
    legend_top = MARGIN_TOP + PLOT_HEIGHT + 10 + LABEL_ROW * label_rows + 12
    legend = [
        _legend_lines(_legend_text(standing, values, published)) for standing, values in series
    ]
    legend_rows = sum(len(lines) for lines in legend) + (1 if published else 0)
    height = legend_top + LEGEND_LINE * legend_rows

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="standings-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'font-size="{FONT_SIZE}" aria-labelledby="{escape(ids["title"])} {escape(ids["desc"])}">',
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

    def y(value):
        return MARGIN_TOP + PLOT_HEIGHT * (1 - value / top)

    parts.append('<g class="axes" fill="#333">')
    for value in range(0, top + 1, step):
        parts.append(
            f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{_number(y(value))}" '
            f'y2="{_number(y(value))}" stroke="#ddd"/>'
            f'<text x="{MARGIN_LEFT - 5}" y="{_number(y(value) + 4)}" '
            f'text-anchor="end">{value}</text>'
        )
    for meet, (label_x, anchor, row) in zip(meets, labels, strict=True):
        label_y = MARGIN_TOP + PLOT_HEIGHT + 6 + LABEL_ROW * (row + 1)
        parts.append(
            f'<text x="{_number(label_x)}" y="{label_y}" text-anchor="{anchor}">'
            f"{escape(meet)}</text>"
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

    parts.append('<g class="legend" fill="#222">')
    row_y = legend_top
    for number, lines in enumerate(legend):
        colour, dashes = SERIES_STYLES[number % len(SERIES_STYLES)]
        dash = f' stroke-dasharray="{dashes}"' if dashes else ""
        parts.append(
            f'<line x1="{LEGEND_X}" x2="{LEGEND_X + 28}" y1="{row_y}" y2="{row_y}" '
            f'stroke="{colour}" stroke-width="2"{dash}/>'
        )
        for line in lines:
            parts.append(f'<text x="{LEGEND_TEXT_X}" y="{row_y + 4}">{escape(line)}</text>')
            row_y += LEGEND_LINE
    if published:
        cx = LEGEND_X + 14
        parts.append(
            f'<polygon points="{cx},{row_y - 6} {cx + 6},{row_y} {cx},{row_y + 6} '
            f'{cx - 6},{row_y}" fill="#fff" stroke="#222" stroke-width="2"/>'
            f'<text x="{LEGEND_TEXT_X}" y="{row_y + 4}">published total</text>'
        )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))


def _legend_text(standing, values, published):
    shown = (
        f", {published[standing.competitor]} published" if standing.competitor in published else ""
    )
    return f"{standing.name}: {values[-1]} computed{shown}"


def _description(analysis, meets, series, published, left_out):
    """The chart in words (its ``<desc>``): what it draws, and every drawn value at the end."""
    if not series:
        return "No results are known for this table, so nothing can be computed yet."
    ranked = ", ".join(f"{standing.name} {values[-1]}" for standing, values in series)
    description = (
        f"Computed points after each meet from the known results, {analysis.rule.description}"
        f" counting, over {len(meets)} meets ({', '.join(meets)}). After the last meet: "
        f"{ranked}."
    )
    if left_out:
        description += (
            f" The leading {len(series)} are drawn; the other {left_out} are in the table."
        )
    if published:
        description += " Hollow diamonds mark the published totals: " + ", ".join(
            f"{standing.name} {published[standing.competitor]}"
            for standing, _ in series
            if standing.competitor in published
        )
        description += "."
    return description
