"""The editors' admin. Django's autodiscovery imports this package; each module registers the
admins of its models when imported here.

- ``base``: what every archive admin shares (reason, version check, provenance, filters);
- ``archive``: the archive's own rows: nations to standings, with their inlines;
- ``people``: athletes, their aliases, merging two and moving results between them;
- ``scoring``: the scoring rules, which re-check the standings when saved;
- ``flags``: the data-quality flags, the editors' queue;
- ``records``: source files, the corrections log and editors' deletions, read only;
- ``suggestions``: readers' suggestions, the queue editors accept (by applying) or decline;
- ``forms``: the edit-safe forms all of them use; ``meet_screen``: every podium of a meet on one
  page; ``reverts``: a race's revert restores its podium; ``returning``: back to the public page
  after a save.
"""

from . import archive, flags, people, records, scoring, suggestions  # noqa: F401
