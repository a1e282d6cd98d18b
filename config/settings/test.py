"""Test settings: the base settings with fast hashing and throw-away keys.

The database still comes from DATABASE_URL, so the same suite runs on SQLite and PostgreSQL.
"""

import os
import secrets

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-" + secrets.token_urlsafe(32))
os.environ.setdefault("COURTYARD_FIELD_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
os.environ.setdefault("COURTYARD_INDEX_KEY", "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# No collectstatic in tests: plain storage (no manifest to miss), and WhiteNoise looks files up in the
# apps' static folders on demand (no scan of STATIC_ROOT at start-up, no "No directory" warning).
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The resident home's per-process memo (org/home_cache.py) would outlive cache.clear() between tests.
COURTYARD_LOCAL_HOME_CACHE = False
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Assertions on messages read in English; the production default (zh-hans, from base) is
# checked by tests that ask for it explicitly, and browser tests send Accept-Language zh-CN.
LANGUAGE_CODE = "en"
# With DATABASE_REPLICA_URL set (CI runs a real streaming replica, scripts/pg_replica.sh) the suite
# still reads from the primary: each test's rows live in its own uncommitted transaction, which a
# replica never sees. courtyard/insight/tests/test_replica_streaming.py adds the alias for its own
# committed rows and checks the router against the real replica.
DATABASES.pop("replica", None)  # noqa: F405
