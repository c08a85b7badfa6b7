"""What an import did, for the command to report: rows created, updated and unchanged, the
conflicts with editors' changes, and the editors' corrections it kept."""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Conflict:
    record: str
    field: str
    source_value: object
    current_value: object

    def __str__(self):
        if self.field == MOVED_HERE:
            return (
                f"{self.record}: moved here by an editor (imported as {self.current_value}); "
                f"the source also names a row here ({self.source_value!r}), not imported"
            )
        if self.field == DELETED:
            return (
                f"{self.record}: deleted by an editor, and the source has changed it since: "
                f"it now says {self.source_value!r}"
            )
        return (
            f"{self.record}: {self.field} is {self.current_value!r} in the archive, "
            f"the source says {self.source_value!r}"
        )


# A conflict's field when the row itself is what the editor changed: deleted it, or moved
# another imported row into its place. In parentheses, so that no model field can share the name
# ("place" did: a real conflict on such a field would have read as a move).
DELETED = "(deleted)"
MOVED_HERE = "(moved here)"


@dataclass
class ImportReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    conflicts: list[Conflict] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # editor corrections the source did not touch
    missing: list[str] = field(default_factory=list)  # imported rows the source no longer has
    deleted: list[str] = field(default_factory=list)  # rows editors deleted, left deleted
    same_as: list[str] = field(default_factory=list)  # files that are an imported article
    open_flags: list[str] = field(default_factory=list)  # "FILE:LINE: message", after import
    flags_created: int = 0
    flags_removed: int = 0
    # Venues, nations and athletes are shared by many rows: each is counted once per import.
    counted: set = field(default_factory=set)

    def count(self, outcome, obj):
        key = (type(obj), obj.pk)
        if key not in self.counted:
            self.counted.add(key)
            getattr(self, outcome)[obj._meta.verbose_name_plural] += 1

    @property
    def summary(self):
        return (
            f"{self.created.total()} created, {self.updated.total()} updated, "
            f"{self.unchanged.total()} unchanged"
        )
