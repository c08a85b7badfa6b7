"""Whether this process may serve the site: never with DEBUG off and the public default secret
key, unless told it is a trial on this machine. The WSGI application (gunicorn) checks it as it
loads; `make serve` runs this module first (``python -m skatearchive.serving``), so that it refuses
before it migrates or loads anything."""

import os

from django.core.exceptions import ImproperlyConfigured


def refuse_the_public_key():
    """A server with DEBUG off is one that others may reach; with the key anyone can read in
    settings.py, they could forge sessions and signed values. It starts that way only when
    SKATEARCHIVE_LOCAL_TRIAL=1 says it is a trial on this machine."""
    from django.conf import settings

    if settings.DEBUG or settings.LOCAL_TRIAL:
        return
    if settings.SECRET_KEY == settings.DEFAULT_SECRET_KEY:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set, and the default key is public. Set DJANGO_SECRET_KEY "
            "to a long random value (python3 -c 'import secrets; print(secrets.token_urlsafe(64))'"
            "), or, for a trial on this machine only, SKATEARCHIVE_LOCAL_TRIAL=1."
        )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skatearchive.settings")
    try:
        refuse_the_public_key()
    except ImproperlyConfigured as error:
        raise SystemExit(f"Not serving: {error}") from None
