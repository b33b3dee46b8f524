"""The CAPTCHA-free protection of the public forms (R26): works offline, nothing from outside.

* a **signed form token** (``django.core.signing``) issued with the page, naming the form it
  belongs to and when it was issued: a form sent sooner than ``min_fill_seconds`` after it was
  shown (a robot), later than ``token_max_age_seconds`` (stale), for another form, or a second
  time (each token's nonce is used once) is refused;
* a **honeypot** field (``website``), hidden from people by CSS and from screen readers by
  ``aria-hidden``/``tabindex=-1``: a robot filling every field is refused;
* a **rate limit** per address (``core.http.client_throttle_key``: IPv4 address, IPv6 /64) on
  the shared cache: at most ``submissions_per_window`` accepted submissions per window.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from greenbuild.core.http import client_throttle_key
from greenbuild.publicity.data import setting

SALT = "greenbuild.publicity.form"
HONEYPOT = "website"

REFUSED = _(
    "The form could not be accepted: it expired or was sent too quickly. Please check your text and send it again."
)
THROTTLED = _("Too many messages from your network in a short time. Please try again later.")


def issue_token(scope: str, *, now: float | None = None) -> str:
    """A token for the form ``scope`` (``"notice:12"``, ``"pilot:7"``), issued now."""
    issued = int(now if now is not None else time.time())
    return signing.dumps({"s": scope, "n": secrets.token_urlsafe(12), "i": issued}, salt=SALT, compress=False)


def token_problem(token: str, scope: str, *, now: float | None = None, consume: bool = True) -> str | None:
    """Why ``token`` is refused for ``scope`` (a short code for the log and tests), or None."""
    try:
        payload = signing.loads(token or "", salt=SALT)
    except signing.BadSignature:
        return "bad_signature"
    if not isinstance(payload, dict) or payload.get("s") != scope:
        return "wrong_form"
    issued = payload.get("i")
    if not isinstance(issued, int):
        return "bad_signature"
    age = (now if now is not None else time.time()) - issued
    if age < setting("min_fill_seconds"):
        return "too_fast"
    if age > setting("token_max_age_seconds"):
        return "expired"
    if consume and not cache.add("publicity:nonce:{}".format(payload.get("n")), 1, setting("token_max_age_seconds")):
        return "reused"
    return None


def honeypot_filled(data: Any) -> bool:
    return bool(str(data.get(HONEYPOT, "") or "").strip())


def _rate_key(request: Any) -> str:
    return "publicity:rate:{}".format(client_throttle_key(request) or "unknown")


def throttled(request: Any) -> bool:
    """Whether the request's address has used up its submissions for the window."""
    return int(cache.get(_rate_key(request), 0) or 0) >= int(setting("submissions_per_window"))


def count_submission(request: Any) -> None:
    key = _rate_key(request)
    if cache.add(key, 1, int(setting("window_seconds"))):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, int(setting("window_seconds")))
