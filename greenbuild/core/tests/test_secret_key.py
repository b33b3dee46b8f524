"""SEC-11: a short, uniform or placeholder SECRET_KEY is refused; with DEBUG and no key the
installation makes its own random key once (var/secret_key, 0600), never a public one."""

from __future__ import annotations

import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from greenbuild.env import installation_secret_key, secret_key_problem

REPO = Path(__file__).resolve().parents[3]
PRINT_KEY = "from django.conf import settings; print(settings.SECRET_KEY)"


def greenbuild(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "SECRET_KEY_FILE", "DEBUG")}
    clean = {k: v for k, v in clean.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    clean.update({"GREENBUILD_VAR_DIR": str(tmp_path / "var"), **env})
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "greenbuild", *args], cwd=REPO, env=clean, capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize(
    "key",
    [
        " ",
        "x",
        "changeme",
        "greenbuild-debug-only-not-for-production",
        "a" * 49,
        "ab" * 40,
        # Fixed tails: parameter ids must be the same in every pytest-xdist worker.
        "django-insecure-" + "Qx7vR2mK9pL4sT8wZ1nB6cF3hJ5dG0aY" * 2,
        "CHANGE_ME-" + "Qx7vR2mK9pL4sT8wZ1nB6cF3hJ5dG0aY" * 2,
        "please-replace-this-" + "Qx7vR2mK9pL4sT8wZ1nB6cF3hJ5dG0aY" * 2,
    ],
    ids=[
        "space",
        "x",
        "changeme",
        "debug-only",
        "uniform-49",
        "two-letters",
        "django-insecure",
        "change-me",
        "please-replace",
    ],
)
def test_short_uniform_and_placeholder_keys_are_refused(key):
    assert secret_key_problem(key.strip()) is not None


def test_a_generated_key_is_accepted():
    assert secret_key_problem(secrets.token_urlsafe(50)) is None
    assert secret_key_problem("test-only-" + secrets.token_urlsafe(40)) is None  # scripts/test, pytest


def test_settings_refuse_to_start_with_a_short_or_placeholder_key_whatever_debug_says(tmp_path):
    for debug in ("false", "true"):
        for key in ("x" * 20, "django-insecure-" + secrets.token_urlsafe(40)):
            result = greenbuild(tmp_path, "check", DEBUG=debug, SECRET_KEY=key)
            assert result.returncode != 0
            assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY is refused" in result.stderr
            assert key not in result.stderr  # the refusal does not print the key


def test_debug_without_a_key_makes_one_random_key_per_installation_kept_0600(tmp_path):
    first = greenbuild(tmp_path, "shell", "--no-imports", "-c", PRINT_KEY, DEBUG="true")
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "var" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.stdout.strip() == key_file.read_text().strip()
    assert secret_key_problem(first.stdout.strip()) is None
    assert installation_secret_key(tmp_path / "var") == first.stdout.strip()  # kept, not remade
    other = tmp_path / "other"
    assert installation_secret_key(other) != first.stdout.strip()  # another installation, another key
    assert sorted(p.name for p in other.iterdir()) == ["secret_key"]  # no temporary file left


def test_a_key_file_readable_by_others_is_tightened_to_0600(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    key = secrets.token_urlsafe(50)
    (var / "secret_key").write_text(key + "\n")
    (var / "secret_key").chmod(0o644)
    assert installation_secret_key(var) == key
    assert stat.S_IMODE((var / "secret_key").stat().st_mode) == 0o600


def test_debug_without_a_key_and_no_writable_var_directory_says_so_clearly(tmp_path):
    """The var directory cannot hold the installation's key (here its parent is a file, so this holds
    as root too): a clear refusal naming SECRET_KEY and the path, not a traceback from mkdir."""
    (tmp_path / "file").write_text("")
    var = tmp_path / "file" / "var"
    result = greenbuild(tmp_path, "check", DEBUG="true", GREENBUILD_VAR_DIR=str(var))
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("django.core.exceptions.ImproperlyConfigured: SECRET_KEY is not set"), last
    assert str(var / "secret_key") in last


def test_debug_with_an_empty_key_file_says_which_file(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    (var / "secret_key").write_text("\n")
    result = greenbuild(tmp_path, "check", DEBUG="true")
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last and str(var / "secret_key") in last and "empty" in last, last
