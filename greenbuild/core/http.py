"""Request helpers, and request types for annotations (``mypy --strict`` with django-stubs).

``client_address(request)``: the client's network address (trusted proxies, IPv4-mapped
addresses), with ``throttle_key`` (IPv6 by /64) for the throttles.

``HtmxRequest``: a request that went through django-htmx's middleware (``request.htmx``).
``AuthenticatedRequest``: a request of a view behind ``@login_required``, whose ``user`` is a
real ``User`` (never ``AnonymousUser``). Both are annotations only: Django still passes its own
``HttpRequest``.
"""

from __future__ import annotations

import contextlib
import contextvars
import ipaddress
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from greenbuild.accounts.models import User


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedRequest(HtmxRequest):
    user: User
    # set by a page that counted the reader's unread notifications itself, for the navbar
    # (core.context_processors.navigation); absent otherwise
    gb_nav_unread: int


# --- the client's network address (issue 17 item 11, SEC-12, ACC-07) -------------------------------


def _parse_address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # ::ffff:10.9.9.9 is 10.9.9.9
    return address


def trusted_proxies() -> int:
    """How many reverse proxies in front of the application append to ``X-Forwarded-For``
    (``GREENBUILD_TRUSTED_PROXIES``; 0, the default, trusts none of its entries)."""
    return max(0, int(getattr(settings, "GREENBUILD_TRUSTED_PROXIES", 0) or 0))


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address, the one every throttle, lockout and audit record uses.

    ``REMOTE_ADDR`` unless ``GREENBUILD_TRUSTED_PROXIES`` is N > 0: then the Nth entry from the
    right of ``X-Forwarded-For`` (each trusted proxy appends the address it saw; entries further
    left are the client's to forge). An IPv4-mapped IPv6 address is given as IPv4. None when
    there is no request or no valid address.
    """
    if request is None:
        return None
    remote = _parse_address(str(request.META.get("REMOTE_ADDR") or ""))
    count = trusted_proxies()
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    if count and forwarded:
        entries = [entry for entry in (part.strip() for part in forwarded.split(",")) if entry]
        if entries:
            # Fewer entries than proxies (a shorter chain): the leftmost is still a proxy's.
            candidate = _parse_address(entries[-min(count, len(entries))])
            if candidate is not None:
                return str(candidate)
    return str(remote) if remote is not None else None


def throttle_key(address: str | None) -> str | None:
    """The key an address is counted under by the throttles: an IPv4 address itself, an IPv6
    address its /64 network (one subscriber line holds a whole /64), written as the network's
    first address (``2001:db8:1:2::``)."""
    if not address:
        return None
    parsed = _parse_address(address)
    if parsed is None:
        return None
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((parsed, 64), strict=False).network_address)
    return str(parsed)


def client_throttle_key(request: HttpRequest | None) -> str | None:
    """``throttle_key(client_address(request))``."""
    return throttle_key(client_address(request))


_job_address: contextvars.ContextVar[str | None] = contextvars.ContextVar("job_address", default=None)


def current_address() -> str | None:
    """The address to record for something done without a request at hand: the request being
    served (a service called from a view), or the one that started the running job (audit entries,
    a job's requester)."""
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    return client_address(request) if request is not None else _job_address.get()


@contextlib.contextmanager
def audit_address(address: str | None) -> Iterator[None]:
    """Within the block, :func:`current_address` is ``address`` when no request is being served (a
    job run for the request that started it: imports, exports)."""
    token = _job_address.set(address or None)
    try:
        yield
    finally:
        _job_address.reset(token)
