"""The flags an import leaves on its source's lines: the parser's anomalies (what the text alone
shows) and the writer's (whom a cell names, which needs the database), one flag per line and kind.
Flags whose cause is gone from the source go at the next import; resolved ones stay as a record.
"""

from ..models import Flag, FlagKind
from .checks import DATA_KINDS
from .records import merged_anomalies


def write_flags(source, anomalies, report, *, season, found):
    """Store ``anomalies`` as the open flags of ``source`` (``season``'s), each on the rows it
    concerns; ``found`` holds those rows by natural identity within the season: ``(meets,
    races, tables, entries)`` as the writer saved them (None for a row an editor deleted)."""
    meets, races, tables, entries = found
    wanted = set()
    for anomaly in merged_anomalies(anomalies):
        if anomaly.kind in DATA_KINDS:
            continue  # checked on the archive's rows once written (seasons.doubts)
        target = anomaly.target
        race = races.get((target.meet, target.race)) if target.race else None
        table = tables.get(target.table) if target.table else None
        entry = entries.get((target.table, target.row)) if target.row else None
        meet = meets.get(target.meet) if target.meet else None
        named = (target.meet, target.race, target.table, target.row)
        rows = (meet, race, table, entry)
        if any(part and row is None for part, row in zip(named, rows, strict=True)):
            continue  # about a row an editor deleted: gone with it
        values = {
            "message": anomaly.message,
            "season": season,
            "meet": meet,
            "race": race,
            "table": table,
            "entry": entry,
        }
        flag, created = Flag.objects.get_or_create(
            source=source, line=anomaly.line, kind=anomaly.kind, defaults=values
        )
        wanted.add(flag.pk)
        if created:
            report.flags_created += 1
        elif any(getattr(flag, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(flag, name, value)
            flag.save()
    # Open flags whose cause is gone from the source go; resolved ones stay as a record.
    # Unreachable totals are the standings check's flags (seasons.standings), not the parser's.
    stale = (
        Flag.objects.filter(source=source, resolved_at__isnull=True)
        .exclude(pk__in=wanted)
        .exclude(kind=FlagKind.TOTAL_UNREACHABLE)
        .exclude(kind__in=DATA_KINDS)
    )
    report.flags_removed += stale.count()
    stale.delete()
