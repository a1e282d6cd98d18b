"""Shared pytest fixtures for every app under courtyard/.

* ``tree``: a small, realistic place tree with dwellings, people, a self-governance unit,
  a committee and a partner, built through the org services (see
  ``courtyard/org/tests/factories.py`` for its shape and attribute names).
* ``make_user(role=None, scope=None, person=None)``: a login with password ``PASSWORD``
  ("pw-12345678") holding ``role`` on ``scope`` (a Place or a SelfGovernanceUnit).
* ``login(user)``: a Django test client logged in as ``user``.
* ``module_tree``: the same world built once per test module inside an outer transaction
  that is rolled back when the module ends; each test still runs in its own savepoint, so
  writes made by a test vanish after it. Use it for large parametrized suites; the Python
  objects are shared, so do not mutate them (refresh_from_db is fine).
"""

from __future__ import annotations

import pytest
from django.db import transaction

from courtyard.org.tests import factories


@pytest.fixture
def tree(db):
    return factories.build_tree()


@pytest.fixture(scope="module")
def module_tree(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield factories.build_tree()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def make_user(db):
    def _make(role: str | None = None, scope=None, **kwargs):
        return factories.make_user(role, scope, **kwargs)

    return _make


@pytest.fixture
def login(db):
    from django.test import Client

    def _login(user):
        c = Client()
        c.force_login(user, backend="courtyard.core.auth.PhoneBackend")
        return c

    return _login


@pytest.fixture
def password():
    return factories.PASSWORD


@pytest.fixture(autouse=True)
def _empty_cache():
    """Throttle counters (logins, reveals, SMS codes) live in the cache; every test starts
    with none (ids are reused across rolled-back tests, so counters would leak between them)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
