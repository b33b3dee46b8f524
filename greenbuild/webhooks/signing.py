"""Signing a delivery (docs/webhooks.md, "Verifying a delivery").

``X-GreenBuild-Signature: v1=<hex>`` where ``<hex>`` is HMAC-SHA256, keyed with the subscription's
secret (its UTF-8 bytes, ``whsec_`` prefix included), of ``"{timestamp}.{body}"``: the value of
``X-GreenBuild-Timestamp`` (Unix seconds), a dot, and the raw request body. For a day after the
secret is rotated a second ``v1=`` signature with the previous secret follows, comma-separated.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret
TIMESTAMP_HEADER = "X-GreenBuild-Timestamp"
SIGNATURE_HEADER = "X-GreenBuild-Signature"
DELIVERY_HEADER = "X-GreenBuild-Delivery"
EVENT_HEADER = "X-GreenBuild-Event"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signature_header(secrets_: list[str], timestamp: int, body: bytes) -> str:
    return ", ".join("v1=" + signature(s, timestamp, body) for s in secrets_ if s)
