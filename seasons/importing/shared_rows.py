"""The rows many seasons share: venues, nations and athletes.

They are not upserted like a season's own rows: each is found by how a source named it (however
an editor has corrected it since) or created, never overwritten by an import, and counted once
per import however many rows name it. Athletes are found by any way their name is written
(:mod:`.athletes`); a relay row names a nation, never an athlete.
"""

from django.db import models

from ..models import Nation, Venue
from ..names import nation_code
from ..vocabulary import FlagKind, readable_slug
from .athletes import AthleteFinder
from .records import Anomaly


class SharedRows:
    """The venues, nations and athletes one season's source names, found or created."""

    def __init__(self, source, report):
        self.source = source
        self.report = report
        self.nations = {}
        # Doubts about cells that only the database can raise (whom a name matches), flagged
        # with the parser's anomalies.
        self.anomalies = []
        self.athletes = AthleteFinder(source, report, self.anomalies, unique_slug)

    def venue(self, parsed_meet):
        # The venue as it was imported first: an editor may since have named its arena (Shanghai
        # with no arena in the source), and a re-import must not split it into a second venue.
        venue = (
            Venue.objects.filter(
                imported_values__city=parsed_meet.city, imported_values__arena=parsed_meet.arena
            ).first()
            or Venue.objects.filter(city=parsed_meet.city, arena=parsed_meet.arena).first()
        )
        if venue is not None:
            self.report.count("unchanged", venue)
            return venue
        city_slug = readable_slug(parsed_meet.city, "")
        arena_slug = readable_slug(parsed_meet.arena, "")
        base = (
            arena_slug
            if city_slug in arena_slug
            else "-".join(filter(None, [city_slug, arena_slug]))
        )
        venue = Venue(
            slug=unique_slug(Venue, base),
            city=parsed_meet.city,
            arena=parsed_meet.arena,
            source=self.source,
            source_line=parsed_meet.line,
            imported_values={"city": parsed_meet.city, "arena": parsed_meet.arena},
        )
        venue._change_reason = f"imported from {self.source.name}"
        venue.save()
        self.report.count("created", venue)
        return venue

    def competitor(self, competitor, *, is_relay, line, target):
        """``(athlete, nation)`` a podium or standings cell names; either may be None. A relay
        row names a nation, never an athlete (:meth:`relay_nation`)."""
        if competitor is None:
            return None, None
        if is_relay:
            return None, self.relay_nation(competitor, line, target)
        nation = self.nation(competitor.nation) if competitor.nation else None
        if not (competitor.athlete or competitor.native):
            return None, nation
        return self.athletes.athlete(competitor, nation, line, target), nation

    def relay_nation(self, competitor, line, target):
        """The nation a relay row names: its code, or a nation written by name ("South Korea",
        "Netherlands") or as a code in small letters ("kor"). What names no nation is flagged:
        a relay team is never imported as an athlete."""
        code = competitor.nation
        written = competitor.athlete or competitor.native
        if written:
            named = next(filter(None, map(nation_code, (written, *competitor.aliases))), None)
            if named is None:
                kept = f"the row is kept for {code}" if code else "no nation kept"
                self.doubt(line, target, f"relay row names “{written}”, not a nation: {kept}")
            elif code and named != code:
                self.doubt(line, target, f"relay row names “{written}” ({named}) and {code}")
            else:
                code = named
        return self.nation(code) if code else None

    def doubt(self, line, target, message):
        self.anomalies.append(Anomaly(line, FlagKind.CELL_DOUBTFUL, message, target))

    def nation(self, code):
        if code not in self.nations:
            nation, created = Nation.objects.get_or_create(
                code=code, defaults={"country": Nation.country_for(code)}
            )
            self.report.count("created" if created else "unchanged", nation)
            self.nations[code] = nation
        return self.nations[code]


def unique_slug(model: type[models.Model], base: str) -> str:
    """``base``, or the first of ``base-2``, ``base-3``… that no row of ``model`` has: slugs
    are public identifiers, never reused. A long base is cut (at a hyphen where it can be) to
    leave the suffix room within the field."""
    room = model._meta.get_field("slug").max_length - 6
    if len(base) > room:
        cut = base[:room]
        base = cut.rsplit("-", 1)[0] if "-" in cut else cut
    slug, suffix = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug
