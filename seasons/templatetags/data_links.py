"""Links from a page to its data: the JSON document next to it and, for seasons and meets, the
calendar feed. The base template asks once; each page type is listed here, not in its template.

The page is known by its URL name. A page answers only when its object is in the context, so
that a 404 for ``/seasons/1999-00/`` (which resolves, then finds nothing) links to no data.
"""

from dataclasses import dataclass

from django import template
from django.urls import reverse

register = template.Library()


@dataclass(frozen=True)
class DataLink:
    url: str
    type: str
    label: str


# URL name of a page -> (context variable that proves the page exists, its data's URL names).
PAGES = {
    "season": ("season", ["season-json", "season-calendar"]),
    "meet": ("meet", ["meet-json", "meet-calendar"]),
    "standings": ("season", ["standings-json"]),
    "venue": ("venue", ["venue-json"]),
    "nation-list": ("nations", ["nation-list-json"]),
    "nation": ("nation", ["nation-json"]),
    "athlete": ("athlete", ["athlete-json"]),
}
TYPES = {
    "json": ("application/json", "JSON"),
    "calendar": ("text/calendar", "Calendar (iCalendar)"),
}


def data_links_for(context):
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != "seasons" or match.url_name not in PAGES:
        return []
    needed, names = PAGES[match.url_name]
    if not context.get(needed):
        return []
    links = []
    for name in names:
        content_type, label = TYPES[name.rsplit("-", 1)[1]]
        url = reverse(f"seasons:{name}", kwargs=match.kwargs)
        links.append(DataLink(url=url, type=content_type, label=label))
    return links


@register.inclusion_tag("includes/data_links_head.html", takes_context=True)
def data_link_tags(context):
    """``<link rel="alternate">`` for the head."""
    return {"links": data_links_for(context)}


@register.inclusion_tag("includes/data_links.html", takes_context=True)
def data_links(context):
    """A visible line: "This page as data: JSON · Calendar (iCalendar)"."""
    return {"links": data_links_for(context)}
