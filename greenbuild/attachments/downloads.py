"""Content-Disposition for a download: RFC 6266 with the RFC 5987 ``filename*`` and an ASCII fallback.

The fallback (``filename=``, for clients that ignore ``filename*``) is readable (SEC-16): a name
whose letters are all ASCII once accents are stripped keeps them (``Résumé.docx`` → ``Resume.docx``);
a name that loses letters (Chinese) becomes the caller's stem followed by what is left
(``施工方案 v2.pdf`` → ``attachment-7-v2.pdf``), never punctuation alone (``().pdf``). A "/" or "\\"
in a name is written as "_" in both forms, so no client reads it as a folder and cuts the name.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath
from urllib.parse import quote

SEPARATORS = str.maketrans({"/": "_", "\\": "_"})
EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")
RUNS = re.compile(r"([ _.-])[ _.-]+")


def ascii_fallback(name: str, default_stem: str = "attachment") -> str:
    """An ASCII-only, readable version of ``name`` for old clients (see the module's text)."""
    path = PurePath(name.translate(SEPARATORS))
    suffix = "".join(ch for ch in path.suffix if ch.isascii() and (ch.isalnum() or ch == "."))
    letters = "".join(ch for ch in unicodedata.normalize("NFKD", path.stem) if not unicodedata.combining(ch))
    kept = letters.encode("ascii", "ignore").decode("ascii")
    stem = "".join(ch if ch.isalnum() or ch in "-_. ()[]" else "_" for ch in kept)
    stem = RUNS.sub(r"\1", EMPTY_BRACKETS.sub("", stem)).strip(" ._-")
    if not any(ch.isalnum() for ch in stem):
        return default_stem + suffix
    if len(kept) < len(letters):  # letters were lost: the stem says which file, what is left follows
        return "{}-{}{}".format(default_stem, stem, suffix)
    return stem + suffix


def content_disposition(name: str, *, attachment: bool = True, default_stem: str = "attachment") -> str:
    """``attachment; filename="ascii.pdf"; filename*=UTF-8''%E2%80%A6.pdf``."""
    clean = "".join(ch for ch in name if ch.isprintable()).translate(SEPARATORS).strip() or default_stem
    fallback = ascii_fallback(clean, default_stem).replace('"', "_")
    disposition = "attachment" if attachment else "inline"
    return "{}; filename=\"{}\"; filename*=UTF-8''{}".format(disposition, fallback, quote(clean, safe=""))
