"""Project-wide pytest hooks (root conftest, so they apply whichever folder you test): when browser and PostgreSQL-only tests run.

* ``@pytest.mark.browser``: skipped unless ``COURTYARD_BROWSER_TESTS=1`` or ``CI=true``.
  Once enabled, a missing ``/usr/bin/chromium`` fails those tests (never a silent skip).
* ``@pytest.mark.postgres``: skipped on SQLite locally; with ``CI=true`` on a database
  that is not PostgreSQL they fail, so CI cannot quietly lose them.
* ``COURTYARD_CLOCK_SHIFT_DAYS=N``: the whole run happens N days from now (the clock keeps
  ticking from there). `make test-future` runs the suite a year ahead, so a test that
  hard-codes "today" or "the future" fails now rather than on some later day.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
_TRUE = {"1", "true", "yes", "on"}
_FAIL_KEY = pytest.StashKey[str]()


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def browser_tests_enabled() -> bool:
    return os.environ.get("COURTYARD_BROWSER_TESTS", "").strip().lower() in _TRUE or in_ci()


def _database_is_postgres() -> bool:
    from django.conf import settings

    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


_CLOCK_KEY = pytest.StashKey[object]()


def pytest_configure(config: pytest.Config) -> None:
    shift = os.environ.get("COURTYARD_CLOCK_SHIFT_DAYS", "").strip()
    if not shift:
        return
    import datetime as dt

    import time_machine

    target = dt.datetime.now(dt.UTC) + dt.timedelta(days=int(shift))
    traveller = time_machine.travel(target, tick=True)
    traveller.start()
    config.stash[_CLOCK_KEY] = traveller
    print(f"clock shifted by {int(shift)} days: tests run at {target:%Y-%m-%d %H:%M} UTC")


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(_CLOCK_KEY, None)
    if traveller is not None:
        traveller.stop()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    postgres_items = [item for item in items if item.get_closest_marker("postgres")]

    if browser_items and browser_tests_enabled():
        # The slow browser tests first (stable order otherwise): with pytest-xdist both workers start
        # on them and the quick tests fill in at the end, instead of one worker finishing the crawl
        # alone while the other idles.
        items.sort(key=lambda item: 0 if item.get_closest_marker("browser") else 1)

    if browser_items:
        if not browser_tests_enabled():
            skip = pytest.mark.skip(reason="browser test: set COURTYARD_BROWSER_TESTS=1 (always on with CI=true)")
            for item in browser_items:
                item.add_marker(skip)
        elif not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
            reason = (
                f"browser tests are enabled (CI={os.environ.get('CI', '')!r}, "
                f"COURTYARD_BROWSER_TESTS={os.environ.get('COURTYARD_BROWSER_TESTS', '')!r}) "
                f"but {CHROMIUM} is missing: apt-get install chromium"
            )
            for item in browser_items:
                item.stash[_FAIL_KEY] = reason

    if postgres_items and not _database_is_postgres():
        if in_ci():
            reason = (
                "CI=true but the test database is not PostgreSQL: "
                "set DATABASE_URL=postgres://postgres@127.0.0.1:5432/courtyard"
            )
            for item in postgres_items:
                item.stash[_FAIL_KEY] = reason
        else:
            skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://...)")
            for item in postgres_items:
                item.add_marker(skip)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    reason = item.stash.get(_FAIL_KEY, None)
    if reason:
        pytest.fail(reason, pytrace=False)


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the settings' language: a test that activated another language (a
    browser test rendering Chinese, say) must not leak it into the next test on the same worker."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
