"""Issue 17 item 11 (SEC-12): the API throttle keys on ``client_address``, not on a forgeable
X-Forwarded-For, counts IPv4-mapped and /64-sharing IPv6 addresses together, and keeps its
counters in the shared (database) cache."""

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

URL = "/api/v1/projects/"


def get(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return APIClient().get(URL, **extra).status_code


def test_drf_does_not_trust_x_forwarded_for():
    assert api_settings.NUM_PROXIES is None  # unused: AddressRateThrottle.get_ident is ours


def test_a_forged_x_forwarded_for_does_not_escape_the_throttle(db, two_per_minute):
    assert get("10.0.0.5", "1.1.1.1") == 200
    assert get("10.0.0.5", "2.2.2.2") == 200
    assert get("10.0.0.5", "3.3.3.3") == 429
    assert get("10.0.0.6") == 200  # another address has its own count


def test_mapped_and_same_64_addresses_share_a_count(db, two_per_minute):
    assert get("10.9.9.9") == 200
    assert get("::ffff:10.9.9.9") == 200
    assert get("::ffff:10.9.9.9") == 429
    assert get("2001:db8:1:2::1") == 200
    assert get("2001:db8:1:2::ffff") == 200
    assert get("2001:db8:1:2:abcd::7") == 429
    assert get("2001:db8:1:3::1") == 200


def test_the_counters_are_in_the_database_cache(db, two_per_minute, django_assert_max_num_queries):
    from django.db import connection

    get("10.0.0.8")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM greenbuild_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("throttle_address_10.0.0.8" in key for key in keys)
    assert cache.get("throttle_address_10.0.0.8")


def test_each_count_is_read_and_written_under_a_lock(db):
    """Concurrent requests each read the history, appended and wrote their copy back: most counts
    were lost (900 parallel requests passed a 600/min limit in 26 s). The read-modify-write now
    runs in one transaction holding a lock taken before the read (SQLite: the IMMEDIATE write
    lock; PostgreSQL: an advisory lock), so concurrent requests wait for each other."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert get("10.0.0.9") == 200
    sql = [query["sql"] for query in queries.captured_queries]
    lock = next(i for i, q in enumerate(sql) if "pg_advisory_xact_lock" in q or "WHERE 0 = 1" in q)
    read = next(i for i, q in enumerate(sql) if "greenbuild_cache" in q and q.lstrip().upper().startswith("SELECT"))
    write = max(i for i, q in enumerate(sql) if "greenbuild_cache" in q and not q.lstrip().upper().startswith("SELECT"))
    assert lock < read < write
