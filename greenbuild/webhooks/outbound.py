"""Sending a webhook safely (docs/webhooks.md, "Where webhooks may go").

* Only to hosts on the administrator's allow-list (:class:`~greenbuild.webhooks.models.AllowedHost`),
  checked when a subscription is saved and again before every attempt.
* ``https`` only, unless the host's entry allows plain ``http``.
* The host is resolved before every attempt; an address inside the internal network (private,
  loopback, link-local, shared, reserved, multicast) is refused unless the entry allows it, and the
  connection goes to the very address that was checked (no second lookup to rebind).
* No redirect is followed (a 3xx is a failed attempt); short timeouts; the answer is read up to a cap.

The standard library only (``http.client``): no new dependency.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

CONNECT_TIMEOUT_S = 5
READ_TIMEOUT_S = 10
#: The whole attempt (connect, send, answer) ends by then, however slowly a receiver drips its answer.
TOTAL_TIMEOUT_S = 30
#: The answer body is read up to this many bytes; the first ``STORED_BODY_CHARS`` are kept.
MAX_RESPONSE_BYTES = 65536
STORED_BODY_CHARS = 1000


class Refused(Exception):
    """The address may not be called; the message says why (translated)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # path and query, as sent in the request line


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    body: str
    duration_ms: int
    error: str

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def parse(url: str) -> Target:
    """``url`` split into what a request needs, or :class:`Refused` (no credentials, http(s) only)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Refused(_("Enter a valid address.")) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(_("The address must start with https://."))
    if parts.username or parts.password:
        raise Refused(_("The address must not contain a user name or password."))
    host = parts.hostname.lower().rstrip(".")
    path = parts.path or "/"
    if parts.query:
        path = "{}?{}".format(path, parts.query)
    return Target(parts.scheme, host, port or (443 if parts.scheme == "https" else 80), path)


def entry_for(host: str) -> Any:
    """The allow-list entry that covers ``host`` (an exact entry before a wildcard), or None."""
    from greenbuild.webhooks.models import AllowedHost

    entries = sorted(AllowedHost.objects.all(), key=lambda e: e.host.startswith("*."))
    return next((e for e in entries if e.matches(host)), None)


#: IPv6 prefixes whose last 32 bits carry an IPv4 address a gateway may reach (NAT64, RFC 6052;
#: IPv4-compatible and IPv4-translated, deprecated but still routed by some stacks).
_EMBEDDING_V4 = (
    ipaddress.IPv6Network("64:ff9b::/96"),
    ipaddress.IPv6Network("::/96"),
    ipaddress.IPv6Network("::ffff:0:0:0/96"),
)


def _is_internal(address: str) -> bool:
    """Whether ``address`` lies inside the internal network, looking through every IPv6 form that
    carries an IPv4 address (mapped, NAT64, 6to4, Teredo, compatible, translated)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = [ip.ipv4_mapped, ip.sixtofour, ip.teredo[1] if ip.teredo else None]
        embedded += [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) for net in _EMBEDDING_V4 if ip in net]
        if any(v4 is not None and _is_internal(str(v4)) for v4 in embedded):
            return True
        if ip.ipv4_mapped is not None:
            return False
    return not ip.is_global or ip.is_multicast


def check_address(url: str) -> tuple[Target, Any]:
    """The allow-list check done when a subscription is saved (no lookup: the host may not resolve
    from here yet). Returns the target and its allow-list entry, or raises :class:`Refused`."""
    target = parse(url)
    entry = entry_for(target.host)
    if entry is None:
        raise Refused(
            _("{host} is not on the list of hosts webhooks may be sent to; ask the system administrator.").format(
                host=target.host
            )
        )
    if target.scheme == "http" and not entry.allow_http:
        raise Refused(_("The address must start with https://."))
    try:
        literal = ipaddress.ip_address(target.host)
    except ValueError:
        literal = None
    if literal is not None and _is_internal(str(literal)) and not entry.allow_private:
        raise Refused(_("{host} is an address inside the internal network.").format(host=target.host))
    return target, entry


def resolve(target: Target, entry: Any) -> str:
    """The address to connect to: every address the host resolves to must be allowed."""
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except OSError:
        raise Refused(_("The host name {host} could not be resolved.").format(host=target.host)) from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise Refused(_("The host name {host} could not be resolved.").format(host=target.host))
    if not entry.allow_private and any(_is_internal(a) for a in addresses):
        raise Refused(_("{host} resolves to an address inside the internal network.").format(host=target.host))
    return str(addresses[0])


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), CONNECT_TIMEOUT_S)
        self.sock.settimeout(self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), CONNECT_TIMEOUT_S)
        sock.settimeout(self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST ``body`` to ``url`` after the allow-list and address checks; never raises."""
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        target, entry = check_address(url)
        address = resolve(target, entry)
    except Refused as refused:
        return Answer(None, "", elapsed(), str(refused))
    connection_class = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = connection_class(target.host, target.port, address, READ_TIMEOUT_S)
    cut: list[bool] = []
    deadline = threading.Timer(total_timeout(), _cut, args=(connection, cut))
    deadline.daemon = True
    try:
        connection.connect()
        deadline.start()
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        raw = response.read(MAX_RESPONSE_BYTES)
        if cut:  # the answer was cut short: not an answer, whatever its status line said
            raise TimeoutError()
        text = raw.decode("utf-8", errors="replace")[:STORED_BODY_CHARS]
        error = ""
        if 300 <= response.status < 400:
            error = _("Redirects are not followed.")
        elif not 200 <= response.status < 300:
            error = _("The receiver answered {status}.").format(status=response.status)
        return Answer(response.status, text, elapsed(), error)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if cut:
            error = _("No complete answer within {seconds} seconds.").format(seconds=int(total_timeout()))
            return Answer(None, "", elapsed(), error)
        return Answer(None, "", elapsed(), "{}: {}".format(type(exc).__name__, exc)[:300])
    finally:
        deadline.cancel()
        connection.close()


def total_timeout() -> float:
    return float(getattr(settings, "WEBHOOKS_TOTAL_TIMEOUT_S", TOTAL_TIMEOUT_S))


def _cut(connection: http.client.HTTPConnection, cut: list[bool]) -> None:
    """The attempt's time is up: shut the socket, so a read blocked on a dripping receiver ends."""
    cut.append(True)
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
