"""The editors' admin. Django's autodiscovery imports this package; each module registers the
admins of its models when imported here."""

from . import archive, scoring  # noqa: F401
