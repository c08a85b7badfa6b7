"""A source is the season it describes, not its file name.

The same article under another name changes nothing (the writer finds it by its SHA-256); a
different article for a season already imported from another file is refused unless the
editor asks for it (``import_season --replace``): two files claiming one season is a mistake
more often than a choice.
"""

from ..models import Season
from .records import ParsedSeason, SourceError


def refuse_second_article(parsed: ParsedSeason) -> None:
    season = Season.objects.filter(slug=parsed.slug).select_related("source").first()
    if season is None or season.source is None:
        return
    source = season.source
    if source.name != parsed.path and source.sha256 != parsed.sha256:
        raise SourceError(
            parsed.path,
            parsed.title_line,
            f"season {parsed.slug} was imported from {source.name}, and this is a different "
            "article for it: import that file again, or pass --replace to take this one instead",
        )
