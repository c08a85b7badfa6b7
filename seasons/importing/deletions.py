"""Editors' deletions of imported rows, remembered so that a re-import does not undo them.

The importer matches rows on their natural keys and creates what it does not find; a row an
editor deleted would otherwise come back with the next import of an unchanged source. The admin
calls :func:`record_deletion` for each row an editor deletes (from its page, the list's bulk
action or an inline), before deleting it; the importer reads :func:`deleted_keys` once per import.

Only the row the editor deleted is recorded, not the rows it takes with it (a race's results):
the importer skips everything under a deleted row, and deleting the one record restores the
whole branch at the next import.
"""

import json

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from ..models import Deletion, Meet, Race, Result, Season, StandingsEntry, StandingsTable

# The models the importer creates by natural key (seasons.importing.writer.upsert).
IMPORTED_MODELS = (Season, Meet, Race, Result, StandingsTable, StandingsEntry)


def deletion_key(obj: Model) -> tuple[type[Model], list]:
    """``(model, natural key)``: how an imported row is known to the importer, in the form the
    key is stored (JSON: a list of strings, numbers and nulls). The key it was imported under,
    not where an editor may have moved it since: that is the key the source names it by."""
    key = json.loads(obj.imported_key) if obj.imported_key else [*obj.natural_key()]
    return type(obj), key


def record_deletion(obj: Model, user) -> Deletion | None:
    """Remember that ``user`` deleted ``obj``, if it is an imported row (an editor's own rows
    are not re-created by an import, so there is nothing to remember)."""
    if not isinstance(obj, IMPORTED_MODELS) or not obj.is_imported:
        return None
    model, key = deletion_key(obj)
    deletion, _ = Deletion.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(model),
        key=key,
        defaults={
            "record": str(obj),
            "imported_values": obj.imported_values,
            "source_id": obj.source_id,
            "source_line": obj.source_line,
            "deleted_by": user,
        },
    )
    return deletion


def deleted_keys() -> dict[tuple[type[Model], tuple], Deletion]:
    """``{(model, natural key as a tuple): Deletion}`` of every remembered deletion (one query)."""
    models = {ContentType.objects.get_for_model(model).pk: model for model in IMPORTED_MODELS}
    return {
        (models[deletion.content_type_id], tuple(deletion.key)): deletion
        for deletion in Deletion.objects.select_related("deleted_by")
        if deletion.content_type_id in models
    }
