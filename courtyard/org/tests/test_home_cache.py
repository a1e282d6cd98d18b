"""The per-process memo in front of the shared cache (production path; off in the test settings)."""

from django.core.cache import cache

from courtyard.org import home_cache


def test_local_memo_serves_values_without_the_shared_cache_and_a_bump_clears_it(settings):
    settings.COURTYARD_LOCAL_HOME_CACHE = True
    home_cache.clear_local()
    calls = []
    try:
        def build():
            calls.append(1)
            return ["block"]

        assert home_cache.cached("t", 1, build) == ["block"]
        cache.clear()  # the shared copy is gone: the process still has it
        assert home_cache.cached("t", 1, build) == ["block"]
        assert len(calls) == 1
        home_cache.bump()  # a save in this process: the next read rebuilds
        assert home_cache.cached("t", 1, build) == ["block"]
        assert len(calls) == 2
    finally:
        home_cache.clear_local()


def test_without_the_memo_every_read_goes_to_the_shared_cache():
    calls = []
    home_cache.cached("t", 2, lambda: calls.append(1) or "x")
    cache.clear()
    home_cache.cached("t", 2, lambda: calls.append(1) or "x")
    assert len(calls) == 2
