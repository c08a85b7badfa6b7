import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skatearchive.settings")


def refuse_the_public_key():
    """A server with DEBUG off is one that others may reach; with the key everyone can read in
    settings.py, they could forge sessions and signed values. It starts that way only when told it
    is a trial on this machine (SKATEARCHIVE_LOCAL_TRIAL=1, as `make serve` documents)."""
    from django.conf import settings

    if settings.DEBUG or settings.LOCAL_TRIAL:
        return
    if settings.SECRET_KEY == settings.DEFAULT_SECRET_KEY:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set, and the default key is public. Set DJANGO_SECRET_KEY "
            "to a long random value (python3 -c 'import secrets; print(secrets.token_urlsafe(64))'"
            "), or, for a trial on this machine only, SKATEARCHIVE_LOCAL_TRIAL=1."
        )


refuse_the_public_key()
application = get_wsgi_application()
