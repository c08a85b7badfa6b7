"""The archive's data model, one module per concept.

The sources are incomplete (most athlete names are missing) and partly wrong. The model therefore
keeps what a source says, marks where it came from (``source`` and ``source_line``), represents
unknowns on purpose (a null relation, never an empty-string athlete) and records doubts as
:class:`Flag` rows instead of correcting them silently.

- ``base``: natural keys, provenance and edit-safety shared by every imported row;
- ``sources``: the season articles and the flags raised on their lines;
- ``people``: nations, athletes and the other ways their names are written;
- ``calendar``: seasons, venues and meets;
- ``races``: races and their results;
- ``standings``: published standings and the scoring rule;
- ``editing``: the archive version, the corrections log and editors' deletions;
- ``suggestions``: readers' suggestions, waiting for an editor.

The fixed vocabularies (genders, distances, kinds of flag) live in ``seasons.vocabulary``, where
the parser can use them without the database.
"""

from ..vocabulary import (
    RELAY_DISTANCES,
    Distance,
    FlagKind,
    Gender,
    RecordMark,
    distance_slug,
    event_title,
)
from .base import (
    IMPORT_FIELDS,
    NaturalKeyManager,
    Sourced,
    SourcedQuerySet,
    count_of,
    key_text,
    source_line_url,
)
from .calendar import Meet, Season, Venue
from .editing import Correction, CorrectionAction, Deletion, FieldChange, PageScope
from .people import (
    Athlete,
    AthleteAlias,
    NamesCompetitor,
    Nation,
    competitor_name,
    competitor_nation,
)
from .races import RACE_KEY, Race, Result, competitor_errors, podium_place_text, raced_for
from .sources import Flag, SourceFile
from .standings import ScoringRule, StandingsEntry, StandingsTable
from .suggestions import Suggestion, SuggestionStatus

# The archive's models in dependency order: a row's natural key names only rows of the models
# before it. Fixtures are written in this order, so loaddata never meets a key before its row,
# and the synthetic archive is created in it.
ARCHIVE_MODELS = [
    SourceFile,
    Nation,
    Athlete,
    AthleteAlias,
    Season,
    ScoringRule,
    Venue,
    Meet,
    Race,
    Result,
    StandingsTable,
    StandingsEntry,
    Flag,
]

__all__ = [
    "ARCHIVE_MODELS",
    "IMPORT_FIELDS",
    "RACE_KEY",
    "RELAY_DISTANCES",
    "Athlete",
    "AthleteAlias",
    "Correction",
    "CorrectionAction",
    "Deletion",
    "Distance",
    "FieldChange",
    "Flag",
    "FlagKind",
    "Gender",
    "Meet",
    "NamesCompetitor",
    "Nation",
    "NaturalKeyManager",
    "PageScope",
    "Race",
    "RecordMark",
    "Result",
    "ScoringRule",
    "Season",
    "SourceFile",
    "Sourced",
    "SourcedQuerySet",
    "StandingsEntry",
    "StandingsTable",
    "Suggestion",
    "SuggestionStatus",
    "Venue",
    "competitor_errors",
    "competitor_name",
    "competitor_nation",
    "count_of",
    "distance_slug",
    "event_title",
    "key_text",
    "podium_place_text",
    "raced_for",
    "source_line_url",
]
