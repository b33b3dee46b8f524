"""Throttling per token and per address (issue 12 §4). Rates are settings
(``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``: ``token``, ``address``).

The counters live in the ``default`` cache, which is shared by every worker process (the
database cache unless ``REDIS_URL`` is set; docs/security.md). The address is the one
``greenbuild.core.http.client_address`` gives: ``X-Forwarded-For`` is trusted only as far as
``GREENBUILD_TRUSTED_PROXIES`` says (DRF's own ``NUM_PROXIES`` is not used), IPv4-mapped IPv6
counts as IPv4 and IPv6 is counted by /64 (issue 17 item 11).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from rest_framework.throttling import SimpleRateThrottle

from greenbuild.api.models import ApiToken
from greenbuild.core.http import client_throttle_key


@contextmanager
def _one_at_a_time(cache: Any, key: str) -> Iterator[None]:
    """Serialise the read-modify-write of one throttle counter in the database cache. DRF reads
    the request history, appends and writes it back: without a lock, concurrent requests each
    write back their own copy and most are lost (900 requests in 26 s passed a 600/min limit).
    SQLite: the write lock of an IMMEDIATE transaction (settings); PostgreSQL: a
    transaction-scoped advisory lock on the key. Other caches (Redis) are left as DRF has them."""
    if not isinstance(cache, BaseCache):
        cache = caches["default"]  # DRF's ``cache`` is Django's proxy of the default cache
    if not isinstance(cache, DatabaseCache):
        yield
        return
    using = router.db_for_write(cache.cache_model_class)
    with transaction.atomic(using=using):
        connection = connections[using]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x67627468, zlib.crc32(key.encode()) - 2**31])
            elif connection.vendor == "sqlite":
                # The IMMEDIATE transaction begins at its first write, not at a read: write
                # nothing first, so the lock is held before the history is read.
                table = connection.ops.quote_name(cache._table)
                cursor.execute("UPDATE {} SET expires = expires WHERE 0 = 1".format(table))  # noqa: S608
        yield


@contextmanager
def counters_together() -> Iterator[None]:
    """Every throttle counter a request updates in one transaction of the database cache: one
    commit (on SQLite, one write of the database file) per request instead of one per throttle,
    so a token's request costs what an anonymous one does (bench/api.py). Each counter keeps its
    lock (``_one_at_a_time``, then a savepoint); the token's is always taken before the address's
    (the order of ``DEFAULT_THROTTLE_CLASSES``), so two requests never wait on each other in a
    circle. Other caches (Redis): nothing to do."""
    cache = caches["default"]
    if not isinstance(cache, DatabaseCache):
        yield
        return
    with transaction.atomic(using=router.db_for_write(cache.cache_model_class)):
        yield


class SharedCounterMixin:
    def allow_request(self, request: Any, view: Any) -> bool:
        key = self.get_cache_key(request, view) if self.rate is not None else None  # type: ignore[attr-defined]
        if key is None:
            return super().allow_request(request, view)  # type: ignore[misc,no-any-return]
        with _one_at_a_time(self.cache, key):  # type: ignore[attr-defined]
            return super().allow_request(request, view)  # type: ignore[misc,no-any-return]


class TokenRateThrottle(SharedCounterMixin, SimpleRateThrottle):
    scope = "token"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class AddressRateThrottle(SharedCounterMixin, SimpleRateThrottle):
    scope = "address"

    def get_ident(self, request: Any) -> str:
        return client_throttle_key(request) or "unknown"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
