"""Display helpers shared by the archive's templates: unknowns, date spans, canonical URLs."""

from django import template
from django.template.defaultfilters import date as format_date
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

NOT_IN_SOURCE = "not in the source"
DAY = "D j F Y"  # Sat 22 October 2011


@register.filter
def or_unknown(value, hint=NOT_IN_SOURCE):
    """The value, or a dash that says why there is none: never "None" or an empty cell."""
    if value is None or value == "":
        return format_html('<abbr class="unknown" title="{}">—</abbr>', hint)
    return conditional_escape(value)


# Whom a row names. Tags, not included templates: a full season page names a thousand
# competitors, and an include costs several times what a tag does (a third of the page's time).


@register.simple_tag
def competitor(athlete, nation, plain=False, full=False):
    """The athlete, linked to their page, and the nation of the day (the row's own, which may
    differ from the athlete's nation of today); "unknown" when the row names neither. ``plain``:
    the name without its link, where the row is itself a control (a <summary>) and repeats a
    linked row nearby; ``full``: the nation's name, not only its code."""
    parts = []
    if athlete:
        if plain:
            parts.append(format_html('<span class="athlete">{}</span> ', athlete.name))
        else:
            url = athlete.get_absolute_url()
            parts.append(format_html('<a class="athlete" href="{}">{}</a> ', url, athlete.name))
    if nation:
        parts.append(nation_mark(nation, full=full))
    elif not athlete:
        parts.append(or_unknown(None))
    return mark_safe("".join(parts))  # every part escaped by format_html


@register.simple_tag
def nation_mark(nation, full=False):
    """A nation's flag and IOC code (its name on hover); ``full``: its name and code."""
    flag = ""
    if nation.flag_url:
        flag = format_html(
            '<img class="flag" src="{}" alt="Flag of {}" width="16" height="11">',
            nation.flag_url,
            nation.name,
        )
    if full:
        label = format_html(
            '<span class="nation-name">{}</span> <span class="ioc">{}</span>',
            nation.name,
            nation.code,
        )
    else:
        label = format_html('<abbr class="ioc" title="{}">{}</abbr>', nation.name, nation.code)
    return format_html('<span class="nation">{}{}</span>', flag, label)


def _time(day, fmt):
    return format_html('<time datetime="{}">{}</time>', day.isoformat(), format_date(day, fmt))


@register.simple_tag
def date_span(start, end, hint=NOT_IN_SOURCE):
    """``Sat 22 – Sun 23 October 2011``: a span written once, repeating only what changes."""
    if start is None and end is None:
        return or_unknown(None, hint)
    if start is None or end is None or start == end:
        return _time(start or end, DAY)
    return format_html("{} – {}", _time(start, _first_format(start, end)), _time(end, DAY))


def _first_format(start, end):
    """The span's first date leaves out the month and year it shares with the last."""
    if start.year != end.year:
        return DAY
    return "D j F" if start.month != end.month else "D j"


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's absolute URL without its query string (sorting, exports)."""
    request = context["request"]
    return request.build_absolute_uri(request.path)


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """``path`` on the host the request came to: link previews need absolute addresses."""
    return context["request"].build_absolute_uri(path)


def span_text(start, end):
    """The plain-text ``date_span``, for link previews: ``Sat 22 – Sun 23 October 2011``."""
    if start is None and end is None:
        return NOT_IN_SOURCE
    if start is None or end is None or start == end:
        return format_date(start or end, DAY)
    return f"{format_date(start, _first_format(start, end))} – {format_date(end, DAY)}"


@register.filter
def years(slug):
    """``2011–12`` for the season slug ``2011-12``, as Season.years writes it."""
    return slug.replace("-", "–")


@register.filter
def sentence(text):
    """``text`` capitalised and ending in one full stop: flag messages from the parser have
    none, those of the standings check end with their arithmetic's own."""
    text = str(text)
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."
