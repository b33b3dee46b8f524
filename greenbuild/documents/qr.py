"""The QR code printed on every issued document: it points to the public verification page."""

from __future__ import annotations

import segno


def qr_data_uri(url: str) -> str:
    """An SVG data URI of a QR code (error correction M) for ``url``, for an ``<img>`` in a PDF."""
    code = segno.make_qr(url, error="m")
    return str(code.svg_data_uri(scale=4, border=2, dark="#000", light="#fff"))
