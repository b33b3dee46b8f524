"""Scoring evidence stored before the attachments app becomes Attachment rows (scoring 0002).

Migrating back and forth cannot run inside the test database's transaction, and a transactional
test would flush the reference data other tests rely on: the check runs in an installation of
its own (a subprocess with its own database and files, on tmpfs where there is one).
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.db import connection

from greenbuild.attachments.tests.test_scoring_evidence import WORKED

ROOT = Path(__file__).resolve().parents[3]


def test_existing_evidence_files_become_attachments_with_sha256_size_type_and_uploader():
    if connection.vendor != "sqlite":
        # The installation is always SQLite (DATABASE_URL is dropped below): the run on SQLite checks
        # it already, and migrating back and forth costs minutes.
        pytest.skip("runs in an SQLite installation of its own, checked by the SQLite run")
    shm = "/dev/shm"  # noqa: S108 - only as the parent of a private TemporaryDirectory
    scratch = shm if os.path.isdir(shm) else None
    with tempfile.TemporaryDirectory(dir=scratch) as var_dir:
        env = {**os.environ, "GREENBUILD_VAR_DIR": var_dir, "DJANGO_SETTINGS_MODULE": "greenbuild.settings"}
        env.pop("DATABASE_URL", None)
        done = subprocess.run(  # noqa: S603 - our own interpreter and module
            [
                sys.executable,
                "-m",
                "greenbuild.attachments.tests.migration_check",
                json.dumps(list(WORKED["control_items"])),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    name, sha256, size = report["expected"]
    assert report["attachment"] == ["0123abcd.pdf", name, "evidence", sha256, size, "pdf", "application/pdf"]
    assert report["uploader_is_alice"] and report["project"] and report["history"]
    assert report["gone"] == [0, True, ""]  # the file had vanished: a record without a file
