"""The Redis cache (production's) keeps one client per connection pool, so a
page's cache reads do not each build a Redis client, and still reads and
writes through the real server."""

from __future__ import annotations

import socket
import threading
import uuid

import pytest

from core.cache import SharedClientRedisCache

REDIS = ("127.0.0.1", 6379)


def _reachable() -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(REDIS) == 0


pytestmark = pytest.mark.skipif(not _reachable(), reason="needs Redis on 127.0.0.1:6379")


def _cache() -> SharedClientRedisCache:
    return SharedClientRedisCache("redis://127.0.0.1:6379/13", {"KEY_PREFIX": uuid.uuid4().hex})


def test_it_reuses_one_client_per_pool() -> None:
    cache = _cache()
    first = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is first
    assert cache._cache.get_client("c", write=True) is first  # one server: reads and writes share pool 0


def test_it_reads_and_writes_through_the_server_from_several_threads() -> None:
    cache = _cache()
    seen: dict[int, object] = {}

    def work(i: int) -> None:
        cache.set(f"k{i}", {"n": i}, 30)
        seen[i] = cache.get(f"k{i}")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {i: {"n": i} for i in range(8)}
    cache.delete_many([f"k{i}" for i in range(8)])
    assert cache.get("k0") is None
