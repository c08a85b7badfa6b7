"""The Atom feed of editors' corrections, /changes/feed/ (Django's syndication framework).

Every text in it is an editor's (names, values, reasons), so none is trusted. Titles and author
names are Atom text: XML-escaped once, as the feed writer does. The summary is
``type="html"``: feed readers unescape it once and then read it as HTML, so it is HTML-escaped
here first (``escape``), and XML-escaped again by the writer; a name like ``<img onerror=…>``
arrives in the reader as the text it is. Characters XML cannot carry are dropped from all of
them (``xml_text``): the feed writer would refuse the whole feed for one.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from .corrections import CHANGES_SHOWN, recent_corrections
from .text import one_line, xml_text
from .views.data import site_root


class ChangesFeed(Feed):
    """/changes/ as an Atom feed. Its links are absolute on the host the request came to
    (``site_root``): the syndication view would otherwise prefix the Site record's domain. The
    feed's "object" is that root, so that one Feed instance serves every host."""

    feed_type = Atom1Feed
    title = "skatearchive: recent corrections"
    subtitle = "Editors' corrections to the ISU Short Track Speed Skating World Cup archive."

    def get_object(self, request):
        return site_root(request)

    def link(self, base):
        return base + reverse("seasons:changes")

    def feed_url(self, base):
        return base + reverse("seasons:changes-feed")

    def items(self, base):
        return [(base, correction) for correction in recent_corrections(limit=CHANGES_SHOWN)]

    def item_title(self, item):
        _, correction = item
        return xml_text(one_line(f"{correction.kind} {correction.record} {correction.action}"))

    def item_description(self, item):
        """The change, line by line, as HTML: each line escaped, then joined with ``<br>``."""
        _, correction = item
        lines = [str(change) for change in correction.field_changes]
        if correction.reason:
            lines.append(f"Reason: {correction.reason}")
        if correction.suggestion is not None:
            lines.append(
                f"Suggested by a reader, with their source: {correction.suggestion.source_url}"
            )
        lines.append(f"By {correction.who}.")
        return "<br>".join(escape(xml_text(line)) for line in lines)

    def item_link(self, item):
        base, correction = item
        return base + (correction.url or correction.get_absolute_url())

    def item_guid(self, item):
        base, correction = item
        return base + correction.get_absolute_url()

    def item_guid_is_permalink(self, item):
        return False

    def item_pubdate(self, item):
        return item[1].when

    def item_updateddate(self, item):
        return item[1].when

    def item_author_name(self, item):
        return xml_text(one_line(item[1].who))
