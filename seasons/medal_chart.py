"""A season's medals per nation as an inline SVG bar chart, rendered on the server.

One bar per nation, stacked gold, silver and bronze, each segment with its count written in it,
so the chart reads without colour and without JavaScript. Podium places nobody is known for are
not drawn as a bar (in the real data they would dwarf every nation's) but stated under the
chart and in its description. Screen readers get the whole table as the SVG's ``<desc>``.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

WIDTH = 480
LABEL_WIDTH = 84
ROW_HEIGHT = 26
BAR_HEIGHT = 18
TOP = 34
FLAG_WIDTH, FLAG_HEIGHT = 22, 14
MIN_LABELLED_SEGMENT = 16
# Fill and text colour per medal (the site's medal colours); each pair passes WCAG AA contrast
# for its small text.
MEDALS = [
    ("gold", "Gold", "#e6b422", "#1a1a1a"),
    ("silver", "Silver", "#b4bcc6", "#1a1a1a"),
    ("bronze", "Bronze", "#c27a45", "#1a1a1a"),
]


def coordinate(value):
    return f"{value:.1f}"


def counts_text(medals):
    return f"{medals.gold} gold, {medals.silver} silver, {medals.bronze} bronze"


def description(table, season_name):
    parts = [f"Medals per nation, {season_name}, from the known podiums of {table.races} races."]
    parts += [
        f"{row.nation.name} ({row.nation.code}): {counts_text(row.medals)}." for row in table.rows
    ]
    if table.has_unknown:
        parts.append(f"Nation not known: {counts_text(table.unknown)}.")
    return " ".join(parts)


def _legend():
    items, x = [], LABEL_WIDTH
    for _, name, fill, _ in MEDALS:
        items.append(
            format_html(
                '<rect x="{}" y="6" width="14" height="14" fill="{}" stroke="#555"/>'
                '<text x="{}" y="18" font-size="14" fill="currentColor">{}</text>',
                x,
                fill,
                x + 20,
                name,
            )
        )
        x += 84
    return mark_safe("".join(items))


def _row(index, row, scale, flag_url):
    y = TOP + index * ROW_HEIGHT
    parts = []
    flag = flag_url(row.nation)
    if flag:
        parts.append(
            format_html(
                '<image href="{}" x="0" y="{}" width="{}" height="{}"/>',
                flag,
                y + (BAR_HEIGHT - FLAG_HEIGHT) // 2,
                FLAG_WIDTH,
                FLAG_HEIGHT,
            )
        )
    parts.append(
        format_html(
            '<text x="{}" y="{}" font-size="14" font-weight="bold" fill="currentColor">{}</text>',
            FLAG_WIDTH + 8,
            y + 14,
            row.nation.code,
        )
    )
    x = LABEL_WIDTH
    for field, name, fill, ink in MEDALS:
        count = getattr(row.medals, field)
        if not count:
            continue
        width = count * scale
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                "<title>{}: {} {}</title></rect>",
                coordinate(x),
                y,
                coordinate(width),
                BAR_HEIGHT,
                fill,
                row.nation.code,
                count,
                name.lower(),
            )
        )
        if width >= MIN_LABELLED_SEGMENT:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" fill="{}" text-anchor="middle" font-size="13">{}</text>',
                    coordinate(x + width / 2),
                    y + 13,
                    ink,
                    count,
                )
            )
        x += width
    parts.append(
        format_html(
            '<text x="{}" y="{}" font-size="13" fill="currentColor">{}</text>',
            coordinate(x + 6),
            y + 13,
            row.medals.total,
        )
    )
    return mark_safe("".join(parts))


def default_flag_url(nation):
    return nation.flag_url


def medal_chart_svg(table, season_name, chart_id, flag_url=default_flag_url):
    """The chart for one season's :class:`~seasons.medals.MedalTable` as safe HTML.
    ``chart_id`` must be unique in the page (it names the title and description)."""
    rows = table.rows
    most = max((row.medals.total for row in rows), default=0)
    # Room for the total written after the longest bar.
    scale = (WIDTH - LABEL_WIDTH - 40) / most if most else 0
    body = mark_safe("".join(_row(i, row, scale, flag_url) for i, row in enumerate(rows)))
    y = TOP + len(rows) * ROW_HEIGHT + 14
    notes = []
    if not rows:
        notes.append("No podium of this season names a nation yet.")
    if table.has_unknown:
        notes.append("Nation not known (not in the source):")
        notes.append(f"{counts_text(table.unknown)}.")
    note_lines = format_html_join(
        "",
        '<text x="0" y="{}" font-size="14" fill="currentColor">{}</text>',
        ((y + 18 * i, note) for i, note in enumerate(notes)),
    )
    height = y + 18 * len(notes)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="medal-chart" viewBox="0 0 {} {}" '
        'role="img" aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">Medals per nation, {}</title>'
        '<desc id="{}-desc">{}</desc>'
        "{}{}{}</svg>",
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        season_name,
        chart_id,
        description(table, season_name),
        _legend(),
        body,
        note_lines,
    )
