"""Content-Disposition for a download: RFC 6266 with the RFC 5987 ``filename*`` and an ASCII fallback."""

from __future__ import annotations

import unicodedata
from pathlib import PurePath
from urllib.parse import quote


def ascii_fallback(name: str, default_stem: str = "attachment") -> str:
    """An ASCII-only version of ``name`` for old clients: accents stripped, other letters dropped."""
    path = PurePath(name)
    suffix = "".join(ch for ch in path.suffix if ch.isascii() and (ch.isalnum() or ch == "."))
    stem = unicodedata.normalize("NFKD", path.stem).encode("ascii", "ignore").decode("ascii")
    stem = "".join(ch if ch.isalnum() or ch in "-_. ()" else "_" for ch in stem).strip(" ._")
    if not stem or set(stem) <= {"_", " "}:
        stem = default_stem
    return stem + suffix


def content_disposition(name: str, *, attachment: bool = True, default_stem: str = "attachment") -> str:
    """``attachment; filename="ascii.pdf"; filename*=UTF-8''%E2%80%A6.pdf``."""
    clean = "".join(ch for ch in name if ch.isprintable()) or default_stem
    fallback = ascii_fallback(clean, default_stem).replace("\\", "_").replace('"', "_")
    disposition = "attachment" if attachment else "inline"
    return "{}; filename=\"{}\"; filename*=UTF-8''{}".format(disposition, fallback, quote(clean, safe=""))
