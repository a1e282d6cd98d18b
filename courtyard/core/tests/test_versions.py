"""Data versions (core/versions.py, ADR 0035): a write gives its model a new version — also under a
frozen clock and again when the transaction commits — and values are kept under the versions."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache

from courtyard.core import versions


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_bump_changes_the_version_even_when_the_clock_stands_still():
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        first = versions.read(["person:1"])
        versions.bump("person:1")
        second = versions.read(["person:1"])
        versions.bump("person:1")
        assert len({first, second, versions.read(["person:1"])}) == 3
        assert versions.read(["person:2"]) == versions.read(["person:2"])  # untouched names stay


@pytest.mark.django_db(transaction=False)
def test_a_bump_inside_a_transaction_happens_again_on_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        versions.bump("user:7")
        during = versions.read(["user:7"])
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: a value built from the old rows in between is not kept under `during`
    assert versions.read(["user:7"]) != during


@pytest.mark.django_db
def test_cached_values_follow_the_versions_of_their_models(tree):
    from courtyard.org.models import Dwelling

    calls = []

    def build():
        calls.append(1)
        return len(calls)

    assert versions.cached("t", "k", ["org.Dwelling"], build) == 1
    assert versions.cached("t", "k", ["org.Dwelling"], build) == 1  # kept
    dwelling = Dwelling.objects.first()
    dwelling.save()  # a watched model: the signal bumps it
    assert versions.cached("t", "k", ["org.Dwelling"], build) == 2
    assert versions.cached("t", "other key", ["org.Dwelling"], build) == 3


def test_cached_values_need_watched_models():
    with pytest.raises(ValueError, match="not watched"):
        versions.current(["deliberation.Vote"])
    assert versions.current(["org.Dwelling"]) == versions.current(["org.Dwelling"])
