"""Production-like settings for benchmarks (DEBUG off) with the bench URLs.

Selected with DJANGO_SETTINGS_MODULE=bench.settings (bench/run.sh does this) — the same switch
as COURTYARD_BENCH=1 would be, without touching config/settings. Keys: when COURTYARD_FIELD_KEY /
COURTYARD_INDEX_KEY are unset, the laptop-demo keys that DJANGO_DEBUG=1 derives are reused, so a
database filled by `DJANGO_DEBUG=1 manage.py demo_data` can be logged into.
"""

import base64
import hashlib
import os
from pathlib import Path

_base = Path(__file__).resolve().parent.parent
_debug_secret = "debug-only-" + base64.b64encode(str(_base).encode()).decode()
os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + hashlib.sha256(_debug_secret.encode()).hexdigest())
os.environ.setdefault("COURTYARD_FIELD_KEY",
                      base64.b64encode(hashlib.sha256(b"f" + _debug_secret.encode()).digest()).decode())
os.environ.setdefault("COURTYARD_INDEX_KEY",
                      base64.b64encode(hashlib.sha256(b"i" + _debug_secret.encode()).digest()).decode())
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
# Production runs several app processes sharing Redis (docs/operations.md): caches and sessions.
os.environ.setdefault("COURTYARD_REDIS_URL", "redis://127.0.0.1:6379/3")

from config.settings.base import *  # noqa: E402,F403

ROOT_URLCONF = "config.urls_bench"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
