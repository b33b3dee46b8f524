"""Small helpers that read settings from the environment (after Healthchecks' settings.py)."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def envbool(name: str, default: str) -> bool:
    return os.getenv(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: str) -> int:
    """A whole number from ``NAME``; anything else stops the start with a message naming it."""
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("{} must be a whole number, not {!r}".format(name, value)) from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


def envsecret(name: str, default: str | None = None) -> str | None:
    """A secret from ``NAME`` or from the file named by ``NAME_FILE`` (Docker/K8s secrets)."""
    path = os.getenv(name + "_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.getenv(name, default)


#: Django's own bar (``security.W009``): at least 50 characters, at least 5 different ones.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5
#: Words that mark a key someone copied from an example rather than generated (compared in lower
#: case, with "_" read as "-").
SECRET_KEY_PLACEHOLDERS = (
    "django-insecure",
    "changeme",
    "change-me",
    "change-this",
    "replace-me",
    "replace-this",
    "placeholder",
    "your-secret",
    "not-a-key",
    "not-a-secret",
    "notasecret",
    "not-for-production",
    "debug-only",
    "secret-key-here",
)


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` is not a usable SECRET_KEY (too short, too uniform, a known placeholder), or None."""
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return "it has {} characters; at least {} are needed".format(len(key), SECRET_KEY_MIN_LENGTH)
    if len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        return "it has fewer than {} different characters".format(SECRET_KEY_MIN_UNIQUE_CHARACTERS)
    folded = key.lower().replace("_", "-")
    for word in SECRET_KEY_PLACEHOLDERS:
        if word in folded:
            return "it contains “{}”, the mark of an example or placeholder key".format(word)
    return None


def installation_secret_key(var_dir: Path) -> str:
    """This installation's own random key, made once in ``var_dir/secret_key`` (mode 0600), for
    DEBUG runs without a configured key: never a key published in the source code."""
    import secrets
    import tempfile
    import time

    var_dir.mkdir(parents=True, exist_ok=True)
    path = var_dir / "secret_key"
    if not path.exists():
        fd, temporary = tempfile.mkstemp(dir=var_dir, prefix=".secret_key.")  # created 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(secrets.token_urlsafe(50) + "\n")
            os.link(temporary, path)  # atomic: of two processes starting at once, one key wins
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    for _attempt in range(50):
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
        time.sleep(0.1)  # pragma: no cover (written by hand, being filled)
    return ""


def site_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be SITE_URL (the address e-mails link to), or None. It must be an
    absolute http(s) address of the site's root or of the path it is served under: a scheme, a
    host, no query, fragment or user name."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError as error:
        return "it is not an address ({})".format(error)
    if parts.scheme not in ("http", "https"):
        return "it must start with https:// (or http://), e.g. https://greenbuild.example.gov.cn"
    if not parts.hostname:
        return "it names no host"
    if parts.query or parts.fragment or parts.username or parts.password:
        return "it must not carry a query, a fragment or a user name"
    if any(ch.isspace() for ch in url):
        return "it contains white space"
    return None


def kept_secret_key(var_dir: Path) -> str | None:
    """The key ``scripts/demo`` (or an earlier DEBUG run) keeps in ``var_dir/secret_key``, or None.

    Read whatever ``DEBUG`` says, so that ``greenbuild`` commands work in the demo's checkout without
    exporting anything: it is a random key private to this installation, never a published one. It is
    refused (``ValueError``) when others than its owner may read it: a key others can read is no secret.
    Never made here: without DEBUG, a missing file still means no key (settings refuse to start).
    """
    path = var_dir / "secret_key"
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(mode):
        raise ValueError("{} is not a file".format(path))
    if mode & 0o077:
        raise ValueError("{} may be read by others than its owner (chmod 600 it)".format(path))
    key = path.read_text(encoding="utf-8").strip()
    if not key:  # said as it is, not as a key that is missing
        raise ValueError("{} is empty (write a random key into it, or delete it and set SECRET_KEY)".format(path))
    return key
