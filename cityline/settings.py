"""The one settings module. Everything an operator sets at deployment comes from the environment;
everything a city configures while running lives in the database behind the admin."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from cityline.core.env import env_bool, env_float, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("CITYLINE_VAR_DIR", str(BASE_DIR.parent / "var")))

DEBUG = env_bool("CITYLINE_DEBUG", False)
SECRET_KEY = env_secret("CITYLINE_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and env_bool("CITYLINE_REQUIRE_SECRET_KEY", False):
        raise ImproperlyConfigured("CITYLINE_SECRET_KEY is required")
    # A laptop install has no secret store: keep a generated key beside the database.
    from cityline.core.secretfile import read_or_create_secret

    SECRET_KEY = read_or_create_secret(VAR_DIR / "secret_key")

ALLOWED_HOSTS = env_list("CITYLINE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CITYLINE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Before the admin, whose forms it extends with a field per language.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # django-ninja's templates and its copy of Swagger UI: the API docs load nothing from a CDN.
    "ninja",
    "cityline.core",
    "cityline.accounts",
    "cityline.sla",
    "cityline.geo",
    "cityline.catalog",
    "cityline.servicerequests",
    "cityline.knowledge",
    "cityline.contacts",
    # Before notifications: its handler of new requests registers first, so a mail server that
    # refuses an alert does not hold back the agency's work order behind the outbox's backoff.
    "cityline.integrations",
    "cityline.notifications",
    "cityline.channels",
    "cityline.surveys",
    "cityline.emergencies",
    "cityline.open311",
    "cityline.api",
    "cityline.portal",
    "cityline.console",
    "cityline.imports",
    "cityline.demo",
    "cityline.analytics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cityline.accounts.twofactor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes checks for a lockout before any password is hashed: a locked-out flood costs a
# query, not a key derivation that would hold a web worker for tens of milliseconds.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "cityline.urls"
WSGI_APPLICATION = "cityline.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

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
                "cityline.console.navigation.console_navigation",
                "cityline.portal.context.city_identity",
                "cityline.emergencies.context.emergency_banner",
            ],
        },
    },
]

# SQLite is the zero-setup default; DATABASE_URL=postgres://… selects PostgreSQL.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cityline.sqlite3'}")
_database = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CITYLINE_CONN_MAX_AGE", 60))
# FULL syncs the WAL at every commit, so a request given a tracking number survives a power cut;
# NORMAL syncs only at checkpoints and can lose the last commits (docs/operations.md).
SQLITE_SYNCHRONOUS = env_str("CITYLINE_SQLITE_SYNCHRONOUS", "FULL").upper()
if SQLITE_SYNCHRONOUS not in {"NORMAL", "FULL", "EXTRA"}:
    raise ImproperlyConfigured(
        f"CITYLINE_SQLITE_SYNCHRONOUS must be NORMAL, FULL or EXTRA, got {SQLITE_SYNCHRONOUS!r}"
    )
# A checkpoint copies the WAL's pages into the database and syncs it, run by the writer whose
# commit crossed this many pages, while every other writer waits (cityline/core/dbbackends/sqlite3).
# An intake POST adds about 40 pages, most of them the same few index pages as the last POST's: at
# SQLite's default of 1,000 a checkpoint comes every 25 POSTs and writes 13 pages per POST; at
# 4,000, every 100 POSTs and 8 pages per POST (docs/performance.md).
SQLITE_WAL_AUTOCHECKPOINT = env_int("CITYLINE_SQLITE_WAL_AUTOCHECKPOINT", 4000)
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # The stock backend plus a queue for writers (see cityline/core/dbbackends/sqlite3).
    _database["ENGINE"] = "cityline.core.dbbackends.sqlite3"
    _database["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue on busy_timeout
        # instead of failing with "database is locked" when a reader upgrades to a writer.
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            f"PRAGMA synchronous={SQLITE_SYNCHRONOUS};"
            "PRAGMA busy_timeout=30000;"
            f"PRAGMA wal_autocheckpoint={SQLITE_WAL_AUTOCHECKPOINT};"
            "PRAGMA cache_size=-64000;"
            "PRAGMA temp_store=MEMORY;"
        ),
    }
    _database["CONN_MAX_AGE"] = 0 if env_bool("CITYLINE_SQLITE_CLOSE", False) else None
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # Rate-limit counters must be shared by every web worker, so they live in the database.
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cityline_cache",
    }
}

TASKS = {
    "default": {
        "BACKEND": env_str("CITYLINE_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Staff passwords guard residents' contact details: long, not common, not all digits, not the name.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The languages of the pages; a reader picks one, or the browser's preference decides.
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The catalog's text (service types, groups, agencies, questions) has a column per language
# (`catalog/translation.py`); a text not translated into the reader's language is read in the
# city's own language, as an untranslated article is read in its source language.
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
MODELTRANSLATION_FALLBACK_LANGUAGES = (LANGUAGE_CODE,)
# The city's own time zone: SLA calendars, business days and every date shown to residents.
TIME_ZONE = env_str("CITYLINE_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Stored photos of requests. Never served as a plain folder: the photo view checks who may see
# each one (servicerequests.views).
MEDIA_ROOT = Path(env_str("CITYLINE_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Out of the box every message is kept in a Maildir folder that operators read in the admin
# (Outgoing mail); production sends through SMTP:
# CITYLINE_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend.
EMAIL_BACKEND = env_str(
    "CITYLINE_EMAIL_BACKEND", "cityline.notifications.mailbox.MaildirEmailBackend"
)
CITYLINE_MAILDIR = Path(env_str("CITYLINE_MAILDIR", str(VAR_DIR / "mail")))
DEFAULT_FROM_EMAIL = env_str("CITYLINE_FROM_EMAIL", "311@cityline.invalid")
EMAIL_HOST = env_str("CITYLINE_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("CITYLINE_EMAIL_PORT", 25)
# A mail server that stops answering must not hold a message past its outbox lease.
EMAIL_TIMEOUT = env_float("CITYLINE_EMAIL_TIMEOUT", 10.0)

LOGIN_URL = "console:login"
LOGIN_REDIRECT_URL = "console:home"

# Maps: a tile server's URL template ({z}/{x}/{y}, optionally {s}) and the attribution its terms
# ask for. Empty: maps draw the city's own boundary layers as their base and load nothing from
# outside (docs/operations.md).
CITYLINE_MAP_TILES_URL = env_str("CITYLINE_MAP_TILES_URL", "")
CITYLINE_MAP_TILES_ATTRIBUTION = env_str("CITYLINE_MAP_TILES_ATTRIBUTION", "")


def _tile_source(url: str) -> list[str]:
    """The tile server as a CSP source: its scheme and host, a `{s}` subdomain as a wildcard."""
    if not url:
        return []
    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"]


SECURE_CONTENT_TYPE_NOSNIFF = True
# Only this site's own files run or style a page: no inline script, no CDN (map tiles come from
# the city's tile server when one is set).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_tile_source(CITYLINE_MAP_TILES_URL)],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
# Production is served over HTTPS (TLS ends at Granian or at a proxy that sets X-Forwarded-Proto):
# plain HTTP is redirected, browsers are told to use HTTPS only, and cookies never travel in clear.
# Only a laptop's demo on 127.0.0.1 turns it off (script/demo), and debugging does.
HTTPS = env_bool("CITYLINE_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# Load balancers probe over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = env_int("CITYLINE_HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS

# Sign-ins: after AXES_FAILURE_LIMIT wrong passwords for one account, or from one address, that
# account or address is refused until an hour has passed without another try.
AXES_FAILURE_LIMIT = env_int("CITYLINE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CITYLINE_LOGIN_LOCKOUT_MINUTES", 60))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cityline.console.login.sign_in_locked_out"
AXES_CLIENT_IP_CALLABLE = "cityline.core.clients.client_address"
# The proxies in front that append the address they were reached from to X-Forwarded-For.
CITYLINE_PROXY_COUNT = env_int("CITYLINE_PROXY_COUNT", 0)

# Holders of these roles use the console and the admin only after a one-time code from a
# confirmed TOTP authenticator (set up at /console/2fa/setup/); empty turns the requirement off.
OTP_TOTP_ISSUER = env_str("CITYLINE_OTP_ISSUER", "Cityline")
CITYLINE_REQUIRE_2FA_ROLES = env_list(
    "CITYLINE_REQUIRE_2FA_ROLES", ["administrator", "agency_supervisor", "supervisor_311"]
)

# Cityline's own knobs.
# Where residents and clients reach the site: the links in e-mails (tracking, confirming,
# stopping) and absolute links stored with data (a photo's media_url in Open311) start here.
CITYLINE_SITE_URL = env_str("CITYLINE_SITE_URL", "http://127.0.0.1:8311").rstrip("/")
CITYLINE_TRACKING_PREFIX = env_str("CITYLINE_TRACKING_PREFIX", "311")
CITYLINE_PHOTO_MAX_BYTES = env_int("CITYLINE_PHOTO_MAX_BYTES", 10 * 1024 * 1024)
# How many reports one client address may send through the public report form (django-ratelimit's
# "count/period"): a household files a few an hour; a script filing hundreds is refused.
CITYLINE_REPORT_RATE = env_str("CITYLINE_REPORT_RATE", "20/h")
CITYLINE_JURISDICTION_ID = env_str("CITYLINE_JURISDICTION_ID", "cityline.example")
CITYLINE_GEOCODER = env_str("CITYLINE_GEOCODER", "cityline.geo.geocoding.AddressPointGeocoder")
CITYLINE_H3_RESOLUTION = 9
# A web worker wakes the task worker for an outbox sweep at most this often (seconds).
CITYLINE_OUTBOX_WAKE_SECONDS = env_float("CITYLINE_OUTBOX_WAKE_SECONDS", 1.0)
# A worker's claim on the message it is delivering: after a crash, the message waits this long.
CITYLINE_OUTBOX_LEASE_SECONDS = env_float("CITYLINE_OUTBOX_LEASE_SECONDS", 60.0)
# Work orders to agencies' systems (docs/integrations.md): a failed delivery waits a random time
# up to BASE * 2^(attempts - 1) seconds, at most CAP; it is dead-lettered after MAX_ATTEMPTS
# attempts or once older than MAX_AGE hours. A worker's claim on the one in hand lasts LEASE.
CITYLINE_WORKORDER_BACKOFF_BASE_SECONDS = env_float("CITYLINE_WORKORDER_BACKOFF_BASE_SECONDS", 5.0)
CITYLINE_WORKORDER_BACKOFF_CAP_SECONDS = env_float("CITYLINE_WORKORDER_BACKOFF_CAP_SECONDS", 3600.0)
CITYLINE_WORKORDER_MAX_ATTEMPTS = env_int("CITYLINE_WORKORDER_MAX_ATTEMPTS", 30)
CITYLINE_WORKORDER_MAX_AGE_HOURS = env_float("CITYLINE_WORKORDER_MAX_AGE_HOURS", 72.0)
CITYLINE_WORKORDER_LEASE_SECONDS = env_float("CITYLINE_WORKORDER_LEASE_SECONDS", 60.0)

# The SLA scan (script/worker runs it every CITYLINE_SLA_SCAN_MINUTES): a stage is at risk once
# this share of its target is used, and long overdue (the 311 supervisors hear of it) at the other.
CITYLINE_SLA_SCAN_MINUTES = env_float("CITYLINE_SLA_SCAN_MINUTES", 5.0)
CITYLINE_SLA_AT_RISK_SHARE = env_float("CITYLINE_SLA_AT_RISK_SHARE", 0.75)
CITYLINE_SLA_OVERDUE_SHARE = env_float("CITYLINE_SLA_OVERDUE_SHARE", 1.5)

# E-mail and SMS intake (docs/channels.md). The city's mailbox, read over IMAP every
# CITYLINE_CHANNELS_POLL_MINUTES by script/worker (no host: not polled); TLS is "ssl" (IMAPS),
# "starttls" or "none" (a server on the same machine).
CITYLINE_IMAP_HOST = env_str("CITYLINE_IMAP_HOST", "")
CITYLINE_IMAP_PORT = env_int("CITYLINE_IMAP_PORT", 993)
CITYLINE_IMAP_USER = env_str("CITYLINE_IMAP_USER", "")
CITYLINE_IMAP_PASSWORD = env_secret("CITYLINE_IMAP_PASSWORD")
CITYLINE_IMAP_FOLDER = env_str("CITYLINE_IMAP_FOLDER", "INBOX")
CITYLINE_IMAP_TLS = env_str("CITYLINE_IMAP_TLS", "ssl")
if CITYLINE_IMAP_TLS not in ("ssl", "starttls", "none"):
    raise ImproperlyConfigured("CITYLINE_IMAP_TLS is ssl, starttls or none")
CITYLINE_IMAP_TIMEOUT = env_float("CITYLINE_IMAP_TIMEOUT", 30.0)
CITYLINE_CHANNELS_POLL_MINUTES = env_float("CITYLINE_CHANNELS_POLL_MINUTES", 1.0)
# The shared secrets the e-mail provider and the SMS gateway sign their webhooks with (empty:
# the webhook refuses everything), and how old a signed timestamp may be.
CITYLINE_EMAIL_WEBHOOK_SECRET = env_secret("CITYLINE_EMAIL_WEBHOOK_SECRET")
CITYLINE_SMS_WEBHOOK_SECRET = env_secret("CITYLINE_SMS_WEBHOOK_SECRET")
CITYLINE_WEBHOOK_MAX_AGE_SECONDS = env_int("CITYLINE_WEBHOOK_MAX_AGE_SECONDS", 300)
# Outgoing texts go to this gateway class; the default writes each to CITYLINE_SMS_FOLDER, read
# in the admin (Outgoing texts).
CITYLINE_SMS_GATEWAY = env_str(
    "CITYLINE_SMS_GATEWAY", "cityline.channels.gateways.FolderSmsGateway"
)
CITYLINE_SMS_FOLDER = Path(env_str("CITYLINE_SMS_FOLDER", str(VAR_DIR / "sms")))
# A text conversation left unanswered this long is closed.
CITYLINE_SMS_CONVERSATION_MINUTES = env_float("CITYLINE_SMS_CONVERSATION_MINUTES", 30.0)

# The service-type classifier (docs/suggestions.md): the file `cityline classifier train` writes
# and every process reads, and how many of each type's latest requests it learns from.
CITYLINE_CLASSIFIER_PATH = Path(
    env_str("CITYLINE_CLASSIFIER_PATH", str(VAR_DIR / "service-type-classifier.joblib"))
)
CITYLINE_CLASSIFIER_ROWS_PER_TYPE = env_int("CITYLINE_CLASSIFIER_ROWS_PER_TYPE", 200)

# The analytics store (docs/analytics.md): its folder of Parquet files; how often the worker
# refreshes it; requests read per chunk; how far back before the watermark a refresh looks again
# for transactions that committed late; how long a refresh's lease lasts between its renewals.
CITYLINE_ANALYTICS_DIR = Path(env_str("CITYLINE_ANALYTICS_DIR", str(VAR_DIR / "analytics")))
CITYLINE_ANALYTICS_REFRESH_MINUTES = env_float("CITYLINE_ANALYTICS_REFRESH_MINUTES", 10.0)
CITYLINE_ANALYTICS_CHUNK_SIZE = env_int("CITYLINE_ANALYTICS_CHUNK_SIZE", 5000)
CITYLINE_ANALYTICS_OVERLAP_SECONDS = env_int("CITYLINE_ANALYTICS_OVERLAP_SECONDS", 60)
CITYLINE_ANALYTICS_LEASE_SECONDS = env_int("CITYLINE_ANALYTICS_LEASE_SECONDS", 600)
# Open data (docs/open-data.md): where the export is written, how often the worker rewrites it,
# the H3 resolution sensitive types' locations are generalised to, and the region whose phone
# numbers the scrubber knows written without a country code.
CITYLINE_OPEN_DATA_DIR = Path(env_str("CITYLINE_OPEN_DATA_DIR", str(VAR_DIR / "open-data")))
CITYLINE_OPEN_DATA_HOURS = env_float("CITYLINE_OPEN_DATA_HOURS", 24.0)
CITYLINE_OPEN_DATA_H3_RESOLUTION = env_int("CITYLINE_OPEN_DATA_H3_RESOLUTION", 8)
CITYLINE_PHONE_REGION = env_str("CITYLINE_PHONE_REGION", "US")
# The boundary layer whose areas are the districts of the performance pages and of the monthly
# report (NYC's community districts), by slug.
CITYLINE_DISTRICT_LAYER = env_str("CITYLINE_DISTRICT_LAYER", "community-boards")
# Spikes in intake (docs/analytics.md): the worker checks every CITYLINE_SPIKE_CHECK_MINUTES
# the last CITYLINE_SPIKE_WINDOW_HOURS of each service type x district against a baseline of
# CITYLINE_SPIKE_HISTORY_WEEKS weeks, its seasonal level from the last CITYLINE_SPIKE_RECENT_WEEKS;
# a window is a spike below the tail probability with at least the minimum count, and the spike
# ends once a window is back above the end probability.
CITYLINE_SPIKE_CHECK_MINUTES = env_float("CITYLINE_SPIKE_CHECK_MINUTES", 15.0)
CITYLINE_SPIKE_WINDOW_HOURS = env_float("CITYLINE_SPIKE_WINDOW_HOURS", 3.0)
CITYLINE_SPIKE_HISTORY_WEEKS = env_int("CITYLINE_SPIKE_HISTORY_WEEKS", 52)
CITYLINE_SPIKE_RECENT_WEEKS = env_int("CITYLINE_SPIKE_RECENT_WEEKS", 4)
CITYLINE_SPIKE_TAIL_PROBABILITY = env_float("CITYLINE_SPIKE_TAIL_PROBABILITY", 0.0001)
CITYLINE_SPIKE_END_PROBABILITY = env_float("CITYLINE_SPIKE_END_PROBABILITY", 0.01)
CITYLINE_SPIKE_MIN_COUNT = env_int("CITYLINE_SPIKE_MIN_COUNT", 5)

# Request bodies (bytes). Django keeps at most DATA_UPLOAD_MAX_MEMORY_SIZE of a body's form fields
# and FILE_UPLOAD_MAX_MEMORY_SIZE of an uploaded file in memory. Open311 refuses a POST declaring
# a body over CITYLINE_OPEN311_MAX_BODY_SIZE before reading any of it, and any file part over
# CITYLINE_OPEN311_MAX_FILE_SIZE (it takes photos by URL, so file parts are dropped).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("CITYLINE_DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("CITYLINE_FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
CITYLINE_OPEN311_MAX_BODY_SIZE = env_int("CITYLINE_OPEN311_MAX_BODY_SIZE", 2_621_440)
CITYLINE_OPEN311_MAX_FILE_SIZE = env_int("CITYLINE_OPEN311_MAX_FILE_SIZE", 1_048_576)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("CITYLINE_LOG_LEVEL", "WARNING")},
}
