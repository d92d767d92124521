"""Quorum settings. Everything that differs between a laptop demo and production is read
from the environment; the defaults give a working demo with nothing installed (SQLite and
Kombu's filesystem broker under var/)."""

import ipaddress
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from pythonjsonlogger.core import RESERVED_ATTRS as RESERVED_LOG_ATTRS

BASE_DIR = Path(__file__).resolve().parent.parent


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: str = "False") -> bool:
    return envstr(name, default).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: str, *, lowest: int = 0, highest: int | None = None) -> int:
    # Empty is unset (an orchestrator passes a variable it has no value for as empty); a value
    # that is not a number, or out of the range the setting can work with (no number setting
    # is negative; a batch of 0 alerts would send none, quietly), stops the start naming the
    # variable, not with a bare traceback or a worker that does nothing.
    value = envstr(name).strip() or default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; it is {value!r}.") from None
    if number < lowest or (highest is not None and number > highest):
        within = f"from {lowest} to {highest}" if highest is not None else f"{lowest} or more"
        raise ImproperlyConfigured(f"{name} must be {within}; it is {number}.")
    return number


def envlist(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in envstr(name, default).split(",") if part.strip()]


VAR_DIR = Path(envstr("QUORUM_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# "production" makes the settings strict: a secret key, a database and a broker must be
# given, and DEBUG stays off. Anything else is the laptop demo.
PRODUCTION = envstr("QUORUM_ENVIRONMENT", "demo") == "production"
DEBUG = envbool("DEBUG") and not PRODUCTION

if PRODUCTION:
    _missing = [name for name in ("SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL") if not envstr(name)]
    if _missing:
        raise ImproperlyConfigured(f"QUORUM_ENVIRONMENT=production needs {', '.join(_missing)} to be set.")


def _secret_key() -> str:
    key = envstr("SECRET_KEY")
    if key:
        return key
    # The demo keeps one generated key so that sessions survive a restart.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "core.apps.QuorumAdminConfig",  # django.contrib.admin, with the project's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",
    "simple_history",
    "django_tables2",
    "django_filters",
    "import_export",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Sign-in protection, listed before the domain apps so that their permissions exist when
    # committee's post_migrate gives democratic services officers the right to unlock.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    # The rich-text editor's scripts, styles and icons (static files only; see core/editor.py).
    "django_prose_editor",
    "core",
    "accounts",
    "committee",
    "risks",
    "performance",
    "send_actions",
    "django_prometheus",
    "operations",
    "retention",
    "moderngov",
    "decisions",
    "alerts",
    "interests",
    "pagecache",
]

MIDDLEWARE = [
    # /healthz, /readyz and /metrics, answered before everything else (operations/middleware.py).
    "operations.middleware.OperationsEndpoints",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "operations.requestid.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.PermissionsPolicy",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous pages from the cache (docs/caching.md): after the headers every response gets
    # afresh (security, CSP, Permissions-Policy), before sessions and sign-in.
    # An address holding a NUL names nothing: 404 before any view (after the headers above).
    "core.middleware.NoNulInAddress",
    "pagecache.middleware.AnonymousPageCache",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag: 304 Not Modified (If-None-Match) for feeds, the API and pages a client already has.
    # If-Modified-Since never reaches it: the page cache answers that (pagecache/middleware.py).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorGate",
    "committee.middleware.PrivateWhenSignedIn",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout found during sign-in into the answer.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.council",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Widgets' templates are found where every other template is (templates/), not only in apps;
# no field carries the browser's `maxlength` (core.form_renderer).
FORM_RENDERER = "core.form_renderer.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'quorum.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", "60"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a real worker and server started by the tests share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_quorum.sqlite3")}
    # SQLite cannot make a unique constraint treat empty values as equal (one alert per
    # address and subject): the alerts' subscribe service refuses the duplicate instead.
    SILENCED_SYSTEM_CHECKS = ["models.W047"]
    # A worker and the web process write at once: take the write lock at BEGIN, so that a
    # transaction waits (up to the timeout) instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes checks every sign-in (both the public page and the admin's) before Django does.
# accounts.backends.PasswordBackend is Django's own, loading a councillor's record with their
# login (the header's "Your meetings" link asks for it on every page). Django's ModelBackend
# stays only to load the sessions it signed in before (a session names the backend that
# signed it in): without it they would be signed out, and lose a form being filled in.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.PasswordBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-gb"
# "Wednesday 27 June 2018" everywhere (config/formats/en_GB/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Uploaded and rendered files. They are never served from a public URL: every download goes
# through a view that checks who may read it (domain rules 9). Local disk by default; set
# AWS_STORAGE_BUCKET_NAME (and the usual AWS_* variables) for S3-compatible object storage
# shared by several workers.
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"


def object_storage(bucket_name: str, endpoint_url: str | None = None) -> dict:
    """The S3-compatible bucket every web server and worker shares. Private: no object has a
    public URL; every download is streamed through the view that checks who may read it
    (packs, appendices), so a bucket URL never reaches a browser (docs/operations.md)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket_name,
            "endpoint_url": endpoint_url or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


if envstr("AWS_STORAGE_BUCKET_NAME"):
    _default_storage = object_storage(envstr("AWS_STORAGE_BUCKET_NAME"), envstr("AWS_S3_ENDPOINT_URL"))
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production, serve static files straight from the source folders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION

# Uploads: a generous limit for council PDFs, refused with a clear message above it.
QUORUM_MAX_UPLOAD_MB = envint("QUORUM_MAX_UPLOAD_MB", "25", lowest=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# An uploaded PDF is checked by a separate program with these limits (committee/pdfsafety.py),
# so that a hostile file cannot hang or exhaust the web process; the wall-clock limit stays
# well inside the web server's request timeout.
QUORUM_UPLOAD_MAX_PAGES = envint("QUORUM_UPLOAD_MAX_PAGES", "2000", lowest=1)
QUORUM_UPLOAD_MAX_NESTING = envint("QUORUM_UPLOAD_MAX_NESTING", "100", lowest=1)
QUORUM_UPLOAD_MAX_DECOMPRESSED_MB = envint("QUORUM_UPLOAD_MAX_DECOMPRESSED_MB", "256", lowest=1)
QUORUM_UPLOAD_CHECK_MEMORY_MB = envint("QUORUM_UPLOAD_CHECK_MEMORY_MB", "1024", lowest=64)
QUORUM_UPLOAD_CHECK_CPU_SECONDS = envint("QUORUM_UPLOAD_CHECK_CPU_SECONDS", "15", lowest=1)
QUORUM_UPLOAD_CHECK_SECONDS = envint("QUORUM_UPLOAD_CHECK_SECONDS", "20", lowest=1)
QUORUM_UPLOAD_TEXT_SECONDS = envint("QUORUM_UPLOAD_TEXT_SECONDS", "5", lowest=1)

# The council this portal serves (front sheets, PDF author, page titles).
QUORUM_COUNCIL_NAME = envstr("QUORUM_COUNCIL_NAME", "Lancashire County Council")
# Its lines, on the front sheet: an environment file (systemd's, Docker's) cannot hold a new
# line in a value, so "\n" written as two characters is one too.
QUORUM_COUNCIL_ADDRESS = envstr("QUORUM_COUNCIL_ADDRESS", "County Hall\nPreston").replace("\\n", "\n")
# Extra days the council's offices are closed, beyond England's bank holidays, are kept in
# the database (committee.CouncilClosureDay) so that officers can add them.

# Executive decisions (docs/decisions.md): the spending or saving that makes a key decision
# (SI 2012/2089 reg 8(1)(a): the council sets it), the call-in period in working days after
# the decision notice, and how many scrutiny members a call-in needs (the constitution's).
QUORUM_KEY_DECISION_THRESHOLD = envint("QUORUM_KEY_DECISION_THRESHOLD", "1000000")
QUORUM_CALL_IN_WORKING_DAYS = envint("QUORUM_CALL_IN_WORKING_DAYS", "5", lowest=1)
QUORUM_CALL_IN_MEMBERS_REQUIRED = envint("QUORUM_CALL_IN_MEMBERS_REQUIRED", "3", lowest=1)

# Counts below this are suppressed on public surfaces (domain rules 15).
QUORUM_SMALL_NUMBER_THRESHOLD = envint("QUORUM_SMALL_NUMBER_THRESHOLD", "5")
# Gifts and hospitality worth more than this (pounds) go on the register of members' interests
# (the council's code of conduct sets it; docs/interests.md).
QUORUM_GIFTS_THRESHOLD = envint("QUORUM_GIFTS_THRESHOLD", "50")

# Celery. The default broker is Kombu's filesystem transport, so that a real worker runs on
# a laptop with nothing installed; production sets CELERY_BROKER_URL=redis://...
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = envstr("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    (BROKER_DIR / "queue").mkdir(parents=True, exist_ok=True)
    (BROKER_DIR / "control").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),  # else Kombu writes ./control
        "store_processed": False,
    }
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A killed worker's task comes back after this; longer than CELERY_TASK_TIME_LIMIT.
        # (Its build is taken over sooner: the sweep below sends it when its lease lapses.)
        "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", "900", lowest=60),
        # An unreachable Redis fails a send in seconds rather than holding the officer's
        # request: the build waits, unsent, for the sweep.
        "socket_connect_timeout": envint("CELERY_BROKER_CONNECT_TIMEOUT", "5", lowest=1),
    }
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_ACKS_LATE = True  # a killed worker's task goes back to the queue
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = envint("CELERY_WORKER_MAX_TASKS_PER_CHILD", "20", lowest=1)
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", "600", lowest=1)
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", "660", lowest=1)
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Celery beat, run once (`make run`: the worker's `-B`; production: one `celery -A config
# beat`), sends every QUORUM_PACK_SWEEP_SECONDS the pack builds that no message stands for:
# asked for while the message queue was down, or left by a worker that died (lease lapsed).
QUORUM_PACK_SWEEP_SECONDS = envint("QUORUM_PACK_SWEEP_SECONDS", "60", lowest=1)
# Rendered papers not written for this many days leave the pack's part cache (daily, at
# night); a paper still in use is rendered again when next needed.
QUORUM_PACK_CACHE_DAYS = envint("QUORUM_PACK_CACHE_DAYS", "90", lowest=1)
CELERY_BEAT_SCHEDULE = {
    "resume-agenda-pack-builds": {
        "task": "committee.tasks.resume_interrupted_builds",
        "schedule": QUORUM_PACK_SWEEP_SECONDS,
        # A sweep still waiting when the next is due is dropped: they would pile up while no worker runs.
        "options": {"expires": QUORUM_PACK_SWEEP_SECONDS},
    },
    "prune-agenda-pack-cache": {
        "task": "committee.tasks.prune_pack_cache",
        "schedule": crontab(hour=3, minute=30),
        "options": {"expires": 6 * 60 * 60},
    },
    # Appendix files no appendix uses, and files kept for a form never saved (core.held_uploads).
    "prune-appendix-files": {
        "task": "committee.tasks.prune_appendix_files",
        "schedule": crontab(hour=3, minute=45),
        "options": {"expires": 6 * 60 * 60},
    },
    # Lists, in the log, the papers past their retention period for officers to review (removes nothing).
    "review-retention": {
        "task": "retention.tasks.review_retention",
        "schedule": 24 * 60 * 60,
        "options": {"expires": 60 * 60},
    },
}
# Alerts (alerts/): every minute, fan out and send what a lost message or a dead worker left,
# retry webhooks that are due and start the daily digests still due; each morning, the digests.
CELERY_BEAT_SCHEDULE["alerts-sweep"] = {
    "task": "alerts.tasks.sweep",
    "schedule": QUORUM_PACK_SWEEP_SECONDS,
    "options": {"expires": QUORUM_PACK_SWEEP_SECONDS},
}
# The digests are due at this hour in the council's time zone (TIME_ZONE), with the changes
# made before it. The sweep sends any still due that no run is sending (a run that died, SMTP
# or the database down at this hour): the same morning, once a worker can send.
QUORUM_ALERTS_DIGEST_HOUR = envint("QUORUM_ALERTS_DIGEST_HOUR", "7", highest=23)
CELERY_BEAT_SCHEDULE["alerts-daily-digest"] = {
    "task": "alerts.tasks.send_digests",
    "schedule": crontab(hour=QUORUM_ALERTS_DIGEST_HOUR, minute=0),
}
# The public API's record of what it lists (core/api_listings.py): what left it, for clients'
# copies. Does nothing when no public content has changed.
CELERY_BEAT_SCHEDULE["sweep-api-listings"] = {
    "task": "core.tasks.sweep_api_listings",
    "schedule": QUORUM_PACK_SWEEP_SECONDS,
    "options": {"expires": QUORUM_PACK_SWEEP_SECONDS},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Agenda packs: renderer processes per build (0 = one per core), and how long a build may
# go unheard from before another worker takes it over.
QUORUM_PACK_PROCESSES = envint("QUORUM_PACK_PROCESSES", "0")
QUORUM_PACK_LEASE_SECONDS = envint("QUORUM_PACK_LEASE_SECONDS", "120", lowest=1)
# How long a paper saved before publication must stay unchanged before the worker renders it
# for the packs (docs/packs.md, "Pre-rendering"); 0: rendered at once.
QUORUM_PACK_PRERENDER_DEBOUNCE_SECONDS = envint("QUORUM_PACK_PRERENDER_DEBOUNCE_SECONDS", "5")

# Password reset links carry a token that signs the person in: in production they go by
# SMTP (or another sending backend), never into the server's log or a file.
EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
_EMAIL_BACKENDS_THAT_DO_NOT_SEND = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}
if PRODUCTION and EMAIL_BACKEND in _EMAIL_BACKENDS_THAT_DO_NOT_SEND:
    raise ImproperlyConfigured(
        f"QUORUM_ENVIRONMENT=production refuses EMAIL_BACKEND={EMAIL_BACKEND}: it does not send mail, and "
        "password reset links (which sign a person in) would be written to the log or a file. "
        "Leave EMAIL_BACKEND unset for SMTP and set EMAIL_HOST (see README, Configuration)."
    )
# With the file backend (`make run`), one file per message here.
EMAIL_FILE_PATH = envstr("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "587" if PRODUCTION else "25", lowest=1, highest=65535)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "True" if PRODUCTION else "False")
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "30", lowest=1)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "democratic.services@example.gov.uk")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Alerts (docs/alerts.md). The public address pages link to, in every message; the sender and
# reply-to of alerts; how many messages one claim takes and how many a second a worker sends.
QUORUM_SITE_URL = envstr("QUORUM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
QUORUM_ALERTS_FROM_EMAIL = envstr("QUORUM_ALERTS_FROM_EMAIL", DEFAULT_FROM_EMAIL)
QUORUM_ALERTS_REPLY_TO = envstr("QUORUM_ALERTS_REPLY_TO", DEFAULT_FROM_EMAIL)
QUORUM_ALERTS_BATCH_SIZE = envint("QUORUM_ALERTS_BATCH_SIZE", "200", lowest=1)
QUORUM_ALERTS_PER_SECOND = envint("QUORUM_ALERTS_PER_SECOND", "50")  # 0: no limit
# How long a worker holds a claimed batch before another may take it over (it died).
QUORUM_ALERTS_LEASE_SECONDS = envint("QUORUM_ALERTS_LEASE_SECONDS", "300", lowest=1)
QUORUM_ALERTS_OFFICER_EMAIL = envstr("QUORUM_ALERTS_OFFICER_EMAIL", DEFAULT_FROM_EMAIL)
# The shared secret the mail provider sends to POST /alerts/bounces/ (empty: no such endpoint).
QUORUM_BOUNCE_TOKEN = envstr("QUORUM_BOUNCE_TOKEN", "")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS. Production runs behind a TLS-terminating proxy that says which scheme the browser
# used in X-Forwarded-Proto (and overwrites whatever the browser sent there): Django then
# redirects http to https, sends HSTS, and marks its cookies Secure. Every one of these can
# be turned off by its variable; the demo (plain http on a laptop) has them all off.
_production = "True" if PRODUCTION else "False"
if envbool("SECURE_PROXY_SSL", _production):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", _production)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", _production)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", _production)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", _production)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", _production)

# Whole anonymous pages are kept in a cache (pagecache, docs/caching.md). QUORUM_CACHE_URL
# names a Redis database shared by every web process (production defaults to the broker's
# Redis; keys are prefixed); without it, each process keeps its own pages in memory, which
# is as fresh (every page is kept under the public content generation, read from the
# database on every request) but not shared.
QUORUM_CACHE_URL = envstr(
    "QUORUM_CACHE_URL",
    CELERY_BROKER_URL if PRODUCTION and CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else "",
)
if QUORUM_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": QUORUM_CACHE_URL,
            "KEY_PREFIX": "quorum",
            # A cache that does not answer quickly is skipped (the page is rendered), not
            # waited for.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "quorum-pages",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
# A record's history shows each version; it does not "revert" to one. django-simple-history's
# revert saves the version through the admin's save_model, which the careful admins leave to
# their own checks (core.forms.CarefulAdminMixin), so it reported success and saved nothing;
# and an old version carries fields no form shows (a notice's date, a status) that a true
# revert would write back. Officers copy what they need from a version into the record.
SIMPLE_HISTORY_REVERT_DISABLED = True

QUORUM_PAGE_CACHE = "default"
# How long a page is kept at most: "upcoming" meetings become past with the clock, not with
# an officer's change.
QUORUM_PAGE_CACHE_SECONDS = envint("QUORUM_PAGE_CACHE_SECONDS", "120")
QUORUM_PAGE_CACHE_EXCLUDE = ("/admin/", "/accounts/")
# Pages each web process also keeps in its own memory, in front of the shared cache (0: none).
QUORUM_PAGE_CACHE_LOCAL_ENTRIES = envint("QUORUM_PAGE_CACHE_LOCAL_ENTRIES", "200")
# Seconds a reverse proxy or CDN may reuse a public page without asking again (s-maxage);
# 0: it must ask every time (a 304 from the cache is cheap), so nothing it serves is stale.
QUORUM_PROXY_MAX_AGE = envint("QUORUM_PROXY_MAX_AGE", "0")

# Content-Security-Policy (django-csp). No script but our own static files (no inline
# script, no eval); a page that must run an inline script gives it the request's nonce
# (`{{ request.csp_nonce }}`). Style: stylesheets from our own origin, and style="" attributes
# allowed (the risk bands' and charts' colours and sizes are data, written as attributes;
# an attribute can set a colour but never run script). /api/docs/ widens this for Redoc
# alone (config/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Permissions-Policy: the portal uses none of these browser features; no page (or anything
# injected into one) may ask for them.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), screen-wake-lock=(), usb=()"
)

# Sign-in throttling (django-axes). Failures are counted per account AND address together:
# five wrong passwords for one account from one address lock that account out from that
# address only, so a stranger cannot lock a councillor out of their own account from
# elsewhere by typing wrong passwords (which counting per account alone would allow), and
# one address cannot keep guessing one account. The lock lifts after the cool-off, or
# at once when a democratic services officer unlocks it in the admin (Axes › Access attempts).
AXES_FAILURE_LIMIT = envint("QUORUM_SIGNIN_FAILURE_LIMIT", "5", lowest=1)
AXES_COOLOFF_TIME = timedelta(minutes=envint("QUORUM_SIGNIN_LOCKOUT_MINUTES", "30", lowest=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.throttling.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_address"
AXES_USERNAME_CALLABLE = "accounts.throttling.client_username"
# How many proxies of ours stand in front of Django, each appending the address it saw to
# X-Forwarded-For. 0: the address is the connection's own (REMOTE_ADDR).
QUORUM_TRUSTED_PROXIES = envint("QUORUM_TRUSTED_PROXIES", "1" if PRODUCTION else "0")

# Two-factor sign-in (django-otp, TOTP with backup codes). Anyone may turn it on for their
# own account; officers (staff) must when this is on, which it is in production.
QUORUM_TWO_FACTOR_REQUIRED_FOR_OFFICERS = envbool("QUORUM_TWO_FACTOR_REQUIRED_FOR_OFFICERS", _production)
# The admin lists people's devices (an officer removes a lost phone's) but never shows a key.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
OTP_TOTP_ISSUER = QUORUM_COUNCIL_NAME  # the name the authenticator app shows beside the code

DJANGO_TABLES2_TEMPLATE = "django_tables2/semantic.html"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "core.api_schema.QuorumSchema",
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.api.IgnoreUnknownFormat",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Quorum API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The API's documentation page is served from the project (drf-spectacular-sidecar), not a CDN.
    "REDOC_DIST": "SIDECAR",
}

# Logs: one JSON object a line on standard error (python-json-logger), each with the request
# id of the web request or task it belongs to (operations/requestid.py), for the log
# collector to parse. QUORUM_LOG_FORMAT=text gives plain lines for reading in a terminal.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "operations.requestid.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            # Django puts the request object on its records: never into the log (cookies, person).
            "reserved_attrs": [*RESERVED_LOG_ATTRS, "request"],
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "text" if envstr("QUORUM_LOG_FORMAT", "json") == "text" else "json",
        }
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}
# The worker logs through the same configuration (JSON, request ids), not Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Metrics (operations/metrics.py): who may read /metrics. A bearer token, or the addresses
# (or networks) of the Prometheus servers. Neither set: /metrics answers 404 to everyone.
QUORUM_METRICS_TOKEN = envstr("QUORUM_METRICS_TOKEN")
QUORUM_METRICS_ALLOWED_ADDRESSES = envlist("QUORUM_METRICS_ALLOWED_ADDRESSES")
for _network in QUORUM_METRICS_ALLOWED_ADDRESSES:
    # Checked at the start, as /metrics reads each as a network at every scrape (one that is
    # not answered the scraper with an error page).
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"QUORUM_METRICS_ALLOWED_ADDRESSES holds {_network!r}, which is not an address or network "
            "(such as 10.0.0.5 or 10.0.0.0/24)."
        ) from None

# Errors to Sentry when SENTRY_DSN is set (operations/errors.py); nothing is sent otherwise.
SENTRY_DSN = envstr("SENTRY_DSN")
if SENTRY_DSN:
    from operations.errors import init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        environment=envstr("SENTRY_ENVIRONMENT", "production" if PRODUCTION else "demo"),
        release=envstr("SENTRY_RELEASE") or None,
    )

# Imports of registers, values and statuses are all-or-nothing: a file with any bad row
# changes nothing (django-import-export runs the whole import in one transaction).
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
