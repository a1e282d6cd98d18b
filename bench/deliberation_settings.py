"""Settings for bench/deliberation_cast.py only: bench/settings.py plus the bare insert view's URLs."""

from bench.settings import *  # noqa: F403

ROOT_URLCONF = "bench.deliberation_urls"
