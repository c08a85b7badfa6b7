"""Settings for skatearchive, read from the environment with safe defaults.

DJANGO_DEBUG=1            debug mode (off by default)
DJANGO_SECRET_KEY         required when debug is off outside tests and local runs
DJANGO_ALLOWED_HOSTS      comma-separated, default "127.0.0.1,localhost"
DATABASE_URL              default: SQLite file db.sqlite3 in the project root
DJANGO_SECURE=1           production HTTPS settings (HSTS, secure cookies, SSL redirect)
DJANGO_HSTS_INCLUDE_SUBDOMAINS=1, DJANGO_HSTS_PRELOAD=1
                          with DJANGO_SECURE: HSTS for every subdomain too, and asking to be on
                          the browsers' preload list (both hard to undo: off unless asked)
SKATEARCHIVE_LOCAL_TRIAL=1
                          serve with DEBUG off and the public default key, on this machine only
                          (skatearchive/serving.py: the server refuses to start that way otherwise)
SKATEARCHIVE_DB_WAIT      seconds a save waits for another to finish before the editor is asked
                          to try again (default 15)
REDIS_URL                 shared cache in Redis (e.g. redis://127.0.0.1:6379/0); default: files
SKATEARCHIVE_PAGE_CACHE_DIR  where workers share cached pages without Redis (default: var/pages)
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

from seasons.limits import MAX_SOURCE_BYTES

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default=False):
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("DJANGO_DEBUG")
# The fallback key only suits local runs: production sets DJANGO_SECRET_KEY. The WSGI application
# (gunicorn, `make serve`) refuses to start with it and DEBUG off unless SKATEARCHIVE_LOCAL_TRIAL
# says this is a trial on one's own machine (skatearchive/serving.py).
DEFAULT_SECRET_KEY = "django-insecure-local-only-skatearchive-key-change-me-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEFAULT_SECRET_KEY)
LOCAL_TRIAL = env_flag("SKATEARCHIVE_LOCAL_TRIAL")
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
    "axes",
    "seasons",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Django's ConditionalGetMiddleware for the cached pages: before the page cache, so that it
    # answers a repeat visit to a cached page with a 304 too (seasons/caching/).
    "seasons.caching.pages.PageConditionalGetMiddleware",
    # As near the front as a reverse proxy would be: a cached page is served with the headers
    # the middleware below gave it when it was rendered (its Content-Security-Policy among
    # them), for one query and a memory read (seasons/caching/).
    "seasons.caching.pages.PageCacheMiddleware",
    # The Content-Security-Policy header on every response, static files included.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A NUL byte in the path or query: 400 before anything reads it; a save that waits too long
    # for another: a page saying "try again", never a 500 (seasons/middleware.py).
    "seasons.middleware.RequestGuardMiddleware",
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
    # Last, as django-axes asks: answers a locked-out login with its lockout page.
    "axes.middleware.AxesMiddleware",
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
# How long an editor's save waits for another write (a save, an import) to finish. Past it the
# save is refused with the form kept and a "try again" message (seasons/admin/base.py), never a
# 500. Below gunicorn's 30-second worker timeout.
DATABASE_WAIT_SECONDS = float(os.environ.get("SKATEARCHIVE_DB_WAIT", "15"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite for several gunicorn workers: a write transaction takes the write lock when it
    # begins (IMMEDIATE), so that two saves queue instead of one failing at once with "database
    # is locked" when both try to upgrade a read lock; WAL lets pages be read while a save
    # writes; the busy timeout is how long a write waits in the queue.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": DATABASE_WAIT_SECONDS,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache of counters (readers' suggestions per address): in each process's memory by default,
# in Redis when REDIS_URL is set (shared by all workers and machines).
REDIS_URL = os.environ.get("REDIS_URL", "")
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
REDIS_CACHE = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
DAY = 60 * 60 * 24
# Public pages are cached whole (seasons/caching/): in each process's memory first, then in a
# cache every worker shares: files on this machine, or Redis when REDIS_URL is set. Entries are
# checked against their scopes' tokens on every request, so they never go stale; the timeout
# only frees room.
PAGE_CACHE_DIR = Path(os.environ.get("SKATEARCHIVE_PAGE_CACHE_DIR", BASE_DIR / "var" / "pages"))
CACHES = {
    "default": {
        **(REDIS_CACHE if REDIS_URL else {"BACKEND": LOCMEM, "LOCATION": "skatearchive"}),
        "TIMEOUT": DAY,
        "KEY_PREFIX": "skatearchive",
        **({} if REDIS_URL else {"OPTIONS": {"MAX_ENTRIES": 2000}}),
    },
    "pages": {
        **(
            REDIS_CACHE
            if REDIS_URL
            else {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": PAGE_CACHE_DIR,
                "OPTIONS": {"MAX_ENTRIES": 20_000},
            }
        ),
        "TIMEOUT": DAY,
        "KEY_PREFIX": "skatearchive",
    },
    "pages-local": {
        "BACKEND": LOCMEM,
        "LOCATION": "skatearchive-pages",
        "TIMEOUT": DAY,
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}
# Off under DEBUG by default, so template edits show without a restart.
PAGE_CACHE = env_flag("SKATEARCHIVE_PAGE_CACHE", default=not DEBUG)
# A retired page is served as it was to the requests that come while one of them renders it
# anew, for at most this long after the change; a CDN may keep a page this long
# (Cache-Control: s-maxage), and longer if it is purged by tag (docs/CACHING.md).
PAGE_CACHE_STALE_SECONDS = int(os.environ.get("SKATEARCHIVE_PAGE_STALE_SECONDS", "10"))
PAGE_CACHE_SHARED_SECONDS = int(os.environ.get("SKATEARCHIVE_PAGE_SHARED_SECONDS", "60"))
PAGE_CACHE_LOCK_SECONDS = 30  # a render that takes longer (or died) lets another one start

# django-axes: five wrong passwords in a row for one account from one address lock that pair out
# for an hour (429), and every failed attempt is kept (Admin > Axes: access attempts, access
# failures; and the "axes" logger). By account *and* address, so that nobody can lock an editor
# out from elsewhere. The backend is django-axes' own, minus logins without a request
# (``manage.py`` commands), which there is nothing to throttle on.
AUTHENTICATION_BACKENDS = [
    "seasons.admin.throttling.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hour, as templates/locked_out.html says
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "locked_out.html"

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
# The whole-archive download of /data/ (seasons/downloads/): one zip file per archive version,
# built on the first request after a change or by `manage.py build_download`. A directory the
# web server's user can write, outside the code (.gitignore).
DOWNLOAD_ROOT = Path(os.environ.get("SKATEARCHIVE_DOWNLOAD_ROOT", BASE_DIR / "var" / "downloads"))
# How long a request waits for the first build when no earlier file exists to show meanwhile.
DOWNLOAD_WAIT_SECONDS = float(os.environ.get("SKATEARCHIVE_DOWNLOAD_WAIT", "20"))
# A changed archive is built again once its newest download is this old (seconds): not a build
# after every save while an editor works through a meet.
DOWNLOAD_REBUILD_SECONDS = int(os.environ.get("SKATEARCHIVE_DOWNLOAD_REBUILD_SECONDS", "600"))
# A build runs in a thread beside the request that sets it off (the tests build in the request).
DOWNLOAD_BUILD_IN_BACKGROUND = True

# django-tables2's plain table.html, with column scopes and sort state for screen readers.
DJANGO_TABLES2_TEMPLATE = "includes/table.html"

# Flags come with django-countries as static GIFs.
COUNTRIES_FLAG_URL = "flags/{code}.gif"

SECURE = env_flag("DJANGO_SECURE")
SECURE_SSL_REDIRECT = SECURE
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if SECURE else 0
# Both bind more than this site (every subdomain; browsers' built-in lists, slow to leave): only
# when asked. `check --deploy` would warn that they are off; they are off on purpose.
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE and env_flag("DJANGO_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = SECURE and env_flag("DJANGO_HSTS_PRELOAD")
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts, styles, images and fonts from this site only, no
# inline script or style anywhere (the pages keep theirs in static/), no plugins, no framing.
# Images may also be data: URIs (the admin's icons); the JSON data may be fetched by any site
# (Access-Control-Allow-Origin) but the pages fetch nothing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# An admin form carries an imported season's texts twice (the value and the hidden initial
# value it started from): a season from the largest source the importer takes still saves.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * MAX_SOURCE_BYTES + 512 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
