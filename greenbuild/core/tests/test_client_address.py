"""Issue 17 item 11 (SEC-12, ACC-07): one client-address function for the throttles, the
lockout and the audit log: REMOTE_ADDR unless trusted proxies are configured, IPv4-mapped
addresses as IPv4, IPv6 counted by /64; the counters in a cache every worker shares."""

import pytest
from django.test import RequestFactory

from greenbuild.core.http import client_address, throttle_key


def request(remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_x_forwarded_for_is_ignored_by_default(settings):
    settings.GREENBUILD_TRUSTED_PROXIES = 0
    assert client_address(request("10.0.0.1", "1.2.3.4")) == "10.0.0.1"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the client's forged entry is left of the proxy's
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (3, "203.0.113.7", "203.0.113.7"),  # a shorter chain: the leftmost is still a proxy's
        (1, "not-an-address", "10.0.0.1"),  # garbage: the proxy's own address
        (1, "::ffff:198.51.100.9", "198.51.100.9"),
    ],
)
def test_the_nth_entry_from_the_right_with_trusted_proxies(settings, proxies, forwarded, expected):
    settings.GREENBUILD_TRUSTED_PROXIES = proxies
    assert client_address(request("10.0.0.1", forwarded)) == expected


def test_ipv4_mapped_ipv6_is_ipv4(settings):
    assert client_address(request("::ffff:10.9.9.9")) == "10.9.9.9"
    assert throttle_key("::ffff:10.9.9.9") == "10.9.9.9"


def test_ipv6_is_counted_by_its_64():
    assert throttle_key("2001:db8:1:2:aaaa::1") == throttle_key("2001:db8:1:2:ffff:1:2:3") == "2001:db8:1:2::"
    assert throttle_key("2001:db8:1:3::1") != throttle_key("2001:db8:1:2::1")
    assert throttle_key("198.51.100.9") == "198.51.100.9"
    assert throttle_key("") is None and throttle_key("junk") is None
    assert client_address(None) is None


def test_the_default_cache_is_shared_by_workers(settings):
    """The database cache (or Redis by REDIS_URL), never a per-process memory cache."""
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend in ("django.core.cache.backends.db.DatabaseCache", "django.core.cache.backends.redis.RedisCache")
