"""Courtyard settings. Every value comes from the environment (see docs/configuration.md)."""

from __future__ import annotations

import base64
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Refusing to start with DEBUG off and no secret key."
        )
    SECRET_KEY = "debug-only-" + base64.b64encode(str(BASE_DIR).encode()).decode()

# Keys for personal data: AES-256-GCM for phone/ID numbers, HMAC for the lookup index.
# Both are 32 random bytes, base64-encoded. `manage.py genkeys` prints a fresh pair.
FIELD_ENCRYPTION_KEY = env_str("COURTYARD_FIELD_KEY")
BLIND_INDEX_KEY = env_str("COURTYARD_INDEX_KEY")
if not (FIELD_ENCRYPTION_KEY and BLIND_INDEX_KEY):
    if not DEBUG:
        raise ImproperlyConfigured(
            "COURTYARD_FIELD_KEY and COURTYARD_INDEX_KEY must be set when DEBUG is off "
            "(generate them with `python -m courtyard.core.management.commands.genkeys`)."
        )
    # Debug without keys: derive throw-away keys from the secret key so a laptop demo runs.
    import hashlib

    FIELD_ENCRYPTION_KEY = base64.b64encode(hashlib.sha256(b"f" + SECRET_KEY.encode()).digest()).decode()
    BLIND_INDEX_KEY = base64.b64encode(hashlib.sha256(b"i" + SECRET_KEY.encode()).digest()).decode()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI / Redoc served from our static files, never a CDN
    "django_tasks",
    "django_tasks_db",
    "courtyard.core",
    "courtyard.org",
    "courtyard.deliberation",
    "courtyard.servicedesk",
    "courtyard.projects",
    "courtyard.funds",
    "courtyard.participation",
    "courtyard.insight",
    "courtyard.safety",
    "courtyard.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files, compressed (gzip + brotli) and fingerprinted, cached for a year (ADR 0013).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "courtyard.core.middleware.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "courtyard.web.errors.TooManyRequestsMiddleware",
    "csp.middleware.CSPMiddleware",
    "courtyard.core.middleware.NoStoreRevealMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "courtyard.web.context_processors.shell",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'courtyard.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the task worker share one file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A PostgreSQL streaming replica for dashboards and reports (docs/operations.md, ADR 0024): reads made
# inside courtyard.core.replica.reading_replica() go there; everything else stays on the primary.
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(env_str("DATABASE_REPLICA_URL", ""),
                                                 conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["courtyard.core.replica.ReplicaRouter"]
# The start of the self-governance programme ("YYYY-MM-DD", optional): the staged targets (year 1,
# years 2–3, year 5) of a unit with no start date of its own count from it (docs/insight.md, ADR 0032).
try:
    import datetime as _dt

    COURTYARD_PROGRAMME_START = _dt.date.fromisoformat(env_str("COURTYARD_PROGRAMME_START", "")) if env_str(
        "COURTYARD_PROGRAMME_START", "") else None
except ValueError as _exc:
    raise ImproperlyConfigured("COURTYARD_PROGRAMME_START must be a date, YYYY-MM-DD.") from _exc
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "courtyard.core.auth.PhoneBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "courtyard.core.passwords.PasswordNotDigits"},
]
# One-time codes for a password reset (sent by SMS on staff request): how long one works,
# and how many one account may receive an hour (a staff member may send ten times as many).
COURTYARD_RESET_CODE_MINUTES = env_int("COURTYARD_RESET_CODE_MINUTES", 15)
COURTYARD_RESET_CODES_PER_HOUR = env_int("COURTYARD_RESET_CODES_PER_HOUR", 3)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"
# Failed logins (ADR 0010): LOGIN_RATE_LIMIT free failures per number from one address, then
# a doubling wait up to LOGIN_MAX_DELAY; ×4 per number from anywhere and ×20 per address, then
# at most LOGIN_ACCOUNT_MAX_DELAY. Counts are forgotten LOGIN_RATE_WINDOW after the last failure.
LOGIN_RATE_LIMIT = env_int("COURTYARD_LOGIN_RATE_LIMIT", 5)
LOGIN_RATE_WINDOW = env_int("COURTYARD_LOGIN_RATE_WINDOW", 15 * 60)
LOGIN_MAX_DELAY = env_int("COURTYARD_LOGIN_MAX_DELAY", 5 * 60)
LOGIN_ACCOUNT_MAX_DELAY = env_int("COURTYARD_LOGIN_ACCOUNT_MAX_DELAY", 60)
# Reverse proxies in front of the app that append to X-Forwarded-For (nginx alone: 1). 0 means
# clients connect directly and REMOTE_ADDR is theirs. See docs/operations.md.
COURTYARD_TRUSTED_PROXIES = env_int("COURTYARD_TRUSTED_PROXIES", 0)
# Full phone / ID numbers one user may reveal (or search by) per minute, and per day.
COURTYARD_REVEAL_PER_MINUTE = env_int("COURTYARD_REVEAL_PER_MINUTE", 10)
COURTYARD_REVEAL_PER_DAY = env_int("COURTYARD_REVEAL_PER_DAY", 200)

# Numbers grouped by thousands in Chinese too (config/formats/zh_Hans).
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "var" / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    # Swap "default" for an S3-compatible backend (django-storages) in production if wanted.
    "default": {"BACKEND": env_str("COURTYARD_FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    # Off DEBUG: `collectstatic` writes content-hashed names plus .gz and .br copies; WhiteNoise serves
    # them with `Cache-Control: max-age=315360000, immutable` and picks the encoding the browser accepts.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Un-hashed files (favicon, anything outside the manifest) are cached for a day.
WHITENOISE_MAX_AGE = env_int("COURTYARD_STATIC_MAX_AGE", 24 * 3600)
# Uploads: limits enforced by courtyard.core.files, before anything is stored.
COURTYARD_UPLOAD_MAX_BYTES = env_int("COURTYARD_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
COURTYARD_UPLOAD_MAX_PIXELS = env_int("COURTYARD_UPLOAD_MAX_PIXELS", 60_000_000)
# A photo whose decoded raster (width × height × bands, from its header) needs more is refused undecoded.
COURTYARD_IMAGE_MAX_DECODE_BYTES = env_int("COURTYARD_IMAGE_MAX_DECODE_BYTES", 100 * 1024 * 1024)
# Production: nginx serves uploaded files after the file view authorised them (X-Accel-Redirect to this
# `internal` location, see docs/operations.md). Empty: Django streams the file (demo, tests).
COURTYARD_FILES_X_ACCEL_PREFIX = env_str("COURTYARD_FILES_X_ACCEL_PREFIX", "")
COURTYARD_ROSTER_MAX_BYTES = env_int("COURTYARD_ROSTER_MAX_BYTES", 5 * 1024 * 1024)
COURTYARD_ROSTER_MAX_ROWS = env_int("COURTYARD_ROSTER_MAX_ROWS", 20000)
# A staged roster import nobody confirms expires (workbook deleted) after this many hours.
COURTYARD_ROSTER_STAGE_HOURS = env_int("COURTYARD_ROSTER_STAGE_HOURS", 24)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

CACHE_URL = env_str("COURTYARD_REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "courtyard.core.cache.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# With a shared cache (Redis), sessions are read from it and written through to the database
# (one query less per page). A per-process memory cache must not hold sessions: a logout in one
# app process would not reach the others.
if CACHE_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

TASKS = {
    "default": {
        "BACKEND": env_str("COURTYARD_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "courtyard@localhost")
# Adapters for outside channels; the console ones write to the log.
COURTYARD_SMS_BACKEND = env_str("COURTYARD_SMS_BACKEND", "courtyard.core.notify.ConsoleSMSBackend")
COURTYARD_WECHAT_BACKEND = env_str("COURTYARD_WECHAT_BACKEND", "courtyard.core.notify.ConsoleWeChatBackend")
COURTYARD_SITE_URL = env_str("COURTYARD_SITE_URL", "http://127.0.0.1:8000")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "courtyard.core.api.schema.CourtyardAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Pages of 50 by default, never more than 200 (courtyard.core.api.pagination.MAX_PAGE_SIZE).
    "DEFAULT_PAGINATION_CLASS": "courtyard.core.api.pagination.CappedLimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Courtyard API",
    "DESCRIPTION": "智慧小院 — REST API for courtyard governance.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The API docs load their JavaScript from drf-spectacular-sidecar's static files (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets used by several fields get one name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "AreaSourceEnum": "courtyard.org.choices.AreaSource",
        "PlaceKindEnum": "courtyard.org.choices.PlaceKind",
        "RevealFieldEnum": ["phone", "id_number"],
    },
}

CSRF_FAILURE_VIEW = "courtyard.web.errors.csrf_failure"  # the Chinese 403 page, not Django's English one

# Content-Security-Policy on every response (django-csp): scripts only from our own static files, no
# inline script, no eval (htmx is configured with allowEval off in web/base.html). Inline *style*
# attributes stay allowed (style-src 'unsafe-inline': a few templates size maps and photos inline).
# Violations are reported to the browser console; the browser tests fail on any (tests/e2e/conftest.py).
from csp.constants import NONE, SELF, UNSAFE_INLINE  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 14 * 24 * 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading commits every subdomain (often a shared government domain) to HTTPS for good,
        # so it stays an explicit choice; being off is not a warning.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "courtyard.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env_str("COURTYARD_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.server": {"level": "WARNING"},
    },
}

COURTYARD_DEMO_NOTE = _("Demo community")
