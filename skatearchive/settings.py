"""Settings for skatearchive, read from the environment with safe defaults.

DJANGO_DEBUG=1            debug mode (off by default)
DJANGO_SECRET_KEY         required when debug is off outside tests and local runs
DJANGO_ALLOWED_HOSTS      comma-separated, default "127.0.0.1,localhost"
DATABASE_URL              default: SQLite file db.sqlite3 in the project root
DJANGO_SECURE=1           production HTTPS settings (HSTS, secure cookies, SSL redirect)
REDIS_URL                 page cache in Redis (e.g. redis://127.0.0.1:6379/0); default: memory
SKATEARCHIVE_PAGE_CACHE   1/0: cache public pages (default: on unless DJANGO_DEBUG)
SKATEARCHIVE_SUGGESTIONS_PER_HOUR
                          readers' suggestions one address may send in an hour (default 5)
SKATEARCHIVE_CLIENT_IP_HEADER
                          behind a reverse proxy, the request header with the reader's address
                          as Django names it (e.g. HTTP_X_REAL_IP); default REMOTE_ADDR
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default=False):
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("DJANGO_DEBUG")
# The fallback key only suits local runs: production sets DJANGO_SECRET_KEY.
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "django-insecure-local-only-skatearchive-key-change-me-in-production"
)
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.redirects",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_countries",
    "django_tables2",
    "simple_history",
    "seasons",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's ConditionalGetMiddleware for the cached pages: before the page cache, so that it
    # answers a repeat visit to a cached page with a 304 too (seasons/caching.py).
    "seasons.caching.PageConditionalGetMiddleware",
    # Before sessions and auth, so that a cached page costs one query (seasons/caching.py).
    "seasons.caching.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A 404 whose path an editor has redirected (Admin > Redirects: an old slug) becomes a 301.
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
    # Under DEBUG (make run) too, an unknown address gets the archive's 404 page, not Django's
    # list of URL patterns; errors keep the debug page (seasons/views/not_found.py).
    "seasons.views.not_found.ArchiveNotFoundMiddleware",
]
# The sites framework serves the redirects (an old slug's 301, seasons/signals.py). Nothing
# public takes its domain from the Site record: sitemap.xml, the feeds and the admin's "view on
# site" use the host of the request.
SITE_ID = 1

ROOT_URLCONF = "skatearchive.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "skatearchive.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Public pages are cached whole (seasons/caching.py): in each process's memory by default, in
# Redis when REDIS_URL is set (shared by all workers). Keys carry the archive version, so entries
# never go stale; the timeout only frees memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache"
        if REDIS_URL
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": REDIS_URL or "skatearchive",
        "TIMEOUT": 60 * 60 * 24,
        "KEY_PREFIX": "skatearchive",
        **({} if REDIS_URL else {"OPTIONS": {"MAX_ENTRIES": 2000}}),
    }
}
# Off under DEBUG by default, so template edits show without a restart.
PAGE_CACHE = env_flag("SKATEARCHIVE_PAGE_CACHE", default=not DEBUG)

# Readers' suggestions (seasons/views/suggestions.py): counted per address in the cache above.
SUGGESTIONS_PER_HOUR = int(os.environ.get("SKATEARCHIVE_SUGGESTIONS_PER_HOUR", "5"))
CLIENT_IP_HEADER = os.environ.get("SKATEARCHIVE_CLIENT_IP_HEADER", "REMOTE_ADDR")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_flag("DJANGO_MANIFEST_STATIC", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
# The season articles that the bundled fixtures are built from.
SOURCES_DIR = BASE_DIR / "fixtures" / "sources"

# django-tables2's plain table.html, with column scopes and sort state for screen readers.
DJANGO_TABLES2_TEMPLATE = "includes/table.html"

# Flags come with django-countries as static GIFs.
COUNTRIES_FLAG_URL = "flags/{code}.gif"

SECURE = env_flag("DJANGO_SECURE")
SECURE_SSL_REDIRECT = SECURE
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
