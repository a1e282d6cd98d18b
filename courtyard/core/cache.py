"""Django's Redis cache backend, with one client object per connection pool instead of one per call.

`django.core.cache.backends.redis.RedisCacheClient.get_client` builds a new `redis.Redis` on every
cache operation, and redis-py fills a ~500-entry table of response callbacks in each constructor:
about half a millisecond of CPU per `cache.get`, more than the round trip to Redis. A `redis.Redis`
is safe to share between threads (it takes a connection from its pool per command) and checks the
process id of its pool after a fork, so one per pool is enough. Selected in config/settings/base.py
(ADR 0035)."""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
