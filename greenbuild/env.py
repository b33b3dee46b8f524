"""Small helpers that read settings from the environment (after Healthchecks' settings.py)."""

from __future__ import annotations

import os
from pathlib import Path


def envbool(name: str, default: str) -> bool:
    return os.getenv(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: str) -> int:
    return int(os.getenv(name, default))


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
