"""The rows many seasons share: venues, nations and athletes.

They are not upserted like a season's own rows: each is found by how a source named it (however
an editor has corrected it since) or created, never updated by an import, and counted once per
import however many rows name it.
"""

from django.db import models

from ..models import Athlete, Nation, Venue
from ..vocabulary import readable_slug


class SharedRows:
    """The venues, nations and athletes one season's source names, found or created."""

    def __init__(self, source, report):
        self.source = source
        self.report = report
        self.nations = {}

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

    def competitor(self, competitor):
        if competitor is None:
            return None, None
        nation = self.nation(competitor.nation) if competitor.nation else None
        athlete = None
        if competitor.athlete:
            as_imported = {
                "imported_name": competitor.athlete,
                "imported_nation": competitor.nation or "",
            }
            # The athlete a source named so before, however an editor has corrected the name or
            # nation since; else one of that name and nation (an editor's, or from a source
            # imported before athletes remembered how they were named).
            athlete = (
                Athlete.objects.filter(**as_imported).first()
                or Athlete.objects.filter(name=competitor.athlete, nation=nation).first()
            )
            if athlete is not None:
                if not athlete.imported_name:
                    for name, value in as_imported.items():
                        setattr(athlete, name, value)
                    athlete.save(update_fields=list(as_imported))
                self.report.count("unchanged", athlete)
            else:
                base = readable_slug(competitor.athlete, "athlete")
                if Athlete.objects.filter(slug=base).exists() and nation is not None:
                    base = f"{base}-{nation.code.lower()}"
                athlete = Athlete.objects.create(
                    name=competitor.athlete,
                    nation=nation,
                    slug=unique_slug(Athlete, base),
                    **as_imported,
                )
                self.report.count("created", athlete)
        return athlete, nation

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
    are public identifiers, never reused."""
    slug, suffix = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug
