"""SEC-08: ``scripts/lock --check`` (run by scripts/bootstrap) catches every direct requirement the
lock files do not hold, however it is written; otherwise bootstrap installs the lock without it,
says nothing, and the application fails later on an import."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
FILES = ("requirements.txt", "requirements-dev.txt", "requirements.lock", "requirements-dev.lock")


def check(tmp_path: Path, extra: str = "", into: str = "requirements.txt") -> subprocess.CompletedProcess[str]:
    (tmp_path / "scripts").mkdir(exist_ok=True)
    shutil.copy(REPO / "scripts" / "lock", tmp_path / "scripts" / "lock")
    for name in (*FILES, "requirements-uv.lock"):
        shutil.copy(REPO / name, tmp_path / name)
    if extra:
        with (tmp_path / into).open("a", encoding="utf-8") as handle:
            handle.write(extra + "\n")
    return subprocess.run(  # noqa: S603
        [str(tmp_path / "scripts" / "lock"), "--check"], capture_output=True, text=True, timeout=60
    )


def test_the_committed_locks_hold_every_pin(tmp_path):
    result = check(tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("line", "into"),
    [
        ("six==1.17.0", "requirements.txt"),
        ("six == 1.17.0", "requirements.txt"),  # pip's syntax allows spaces
        ("Six==1.17.0  # a comment", "requirements-dev.txt"),
        ("six>=1.17", "requirements.txt"),  # not pinned, and not in the lock either
        ("six", "requirements-dev.txt"),
        ("six[extra] ~= 1.17 ; python_version >= '3.11'", "requirements.txt"),
        ("Django == 5.2.19", "requirements.txt"),  # a version the lock does not hold
    ],
)
def test_a_requirement_missing_from_the_lock_is_named(tmp_path, line, into):
    result = check(tmp_path, line, into)
    assert result.returncode == 1, (line, result.stderr)
    assert "run scripts/lock" in result.stderr
    name = "django" if line.startswith("Django") else "six"
    assert "{}: {}".format(into, name) in result.stderr, result.stderr
