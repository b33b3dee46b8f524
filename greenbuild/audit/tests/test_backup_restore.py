"""Issue 10 item 8: `greenbuild backup` and `greenbuild restore`, end to end, on the database
vendor the suite runs on (SQLite, or PostgreSQL with throwaway databases of this test's own).

Each installation is a subprocess with its own var directory (and database), as an operator
would run it (migrated once; later installations start from a copy of that migrated database): the demo programme is seeded, files are stored through Django's storages, the
archive is written, a fresh installation is migrated and the archive restored into it.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import secrets
import shutil
import sqlite3
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[3]
#: Both installations of a test share the key that signs backup manifests (as production must).
SIGNING_KEY = secrets.token_urlsafe(40)

SNAPSHOT = """
import hashlib, json
from django.core.files.storage import storages
from greenbuild.audit.backup import file_storages, walk
from greenbuild.projects.models import Project, ProjectTransition
from greenbuild.scoring.models import ScoreRun
files = {}
for alias, storage in file_storages().items():
    for name in walk(storage):
        with storage.open(name, "rb") as f:
            files[alias + ":" + name] = hashlib.sha256(f.read()).hexdigest()
print(json.dumps({
    "projects": sorted(Project.objects.values_list("pk", "name", "status")),
    "transitions": sorted(ProjectTransition.objects.values_list("pk", "project_id", "from_status", "to_status")),
    "score_runs": sorted((r.pk, r.project_id, str(r.result)[:200]) for r in ScoreRun.objects.all()),
    "files": files,
}, default=str))
from greenbuild.audit.models import AuditEvent
print(json.dumps(sorted(set(AuditEvent.objects.values_list("kind", flat=True)))))
"""

ADD_FILES = """
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
storages["default"].save("evidence/2026/说明.pdf", ContentFile(b"%PDF-1.4 evidence " * 100))
storages["default"].save("photos/site.jpg", ContentFile(bytes(range(256)) * 40))
if "attachments" in settings.STORAGES:
    storages["attachments"].save("attachments/plan.txt", ContentFile("施工方案".encode()))
"""


CHANGE = """
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from greenbuild.projects.models import Project
project = Project.objects.order_by("pk").first()
Project.objects.filter(pk=project.pk).update(name=project.name + " (changed after the backup)")
storages["default"].delete("photos/site.jpg")
storages["default"].delete("evidence/2026/说明.pdf")
storages["default"].save("evidence/2026/说明.pdf", ContentFile(b"%PDF-1.4 changed after the backup"))
"""


def pg_url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] or "postgres"
    if s.get("PASSWORD"):
        auth += ":" + s["PASSWORD"]
    return "postgres://{}@{}:{}/{}".format(auth, s["HOST"] or "127.0.0.1", s["PORT"] or 5432, name)


class Installation:
    def __init__(self, root: Path, name: str, database_url: str | None) -> None:
        self.var = root / name
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
        self.env.update(
            {
                "GREENBUILD_VAR_DIR": str(self.var),
                "SECRET_KEY": secrets.token_urlsafe(50),
                "DEBUG": "false",
                "BACKUP_SIGNING_KEY": SIGNING_KEY,
            }
        )
        self.env.pop("DATABASE_URL", None)
        self.env.pop("SECRET_KEY_FILE", None)
        self.env.pop("BACKUP_SIGNING_KEY_FILE", None)
        if database_url:
            self.env["DATABASE_URL"] = database_url

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "greenbuild", *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def shell(self, code: str) -> str:
        return self.run("shell", "--no-imports", "-c", code).stdout


def psql(sql: str) -> None:
    subprocess.run(["psql", pg_url("postgres"), "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, capture_output=True)  # noqa: S603, S607


@pytest.fixture(scope="module")
def migrate(tmp_path_factory):
    """Migrates an installation: the first one for real, later ones as a copy of the first's migrated
    database (an SQLite file copied through the backup API; on PostgreSQL ``CREATE DATABASE … TEMPLATE``).
    Migrating from nothing costs a minute or more, and every installation here starts the same."""
    template: dict[str, str] = {}
    base = "{}_bk".format(connection.settings_dict["NAME"])[:50] + "_tpl"

    def migrate_installation(installation: Installation) -> None:
        url = installation.env.get("DATABASE_URL")
        if url is None:
            target = installation.var / "greenbuild.sqlite3"
            if "sqlite" in template:
                installation.var.mkdir(parents=True, exist_ok=True)
                with sqlite3.connect(template["sqlite"]) as source, sqlite3.connect(target) as copy:
                    source.backup(copy)
                return
            installation.run("migrate", "-v0")
            template["sqlite"] = str(tmp_path_factory.mktemp("migrated") / "template.sqlite3")
            with sqlite3.connect(target) as source, sqlite3.connect(template["sqlite"]) as copy:
                source.backup(copy)
            return
        name = url.rsplit("/", 1)[1]
        if "postgresql" in template:
            psql("DROP DATABASE IF EXISTS {} WITH (FORCE)".format(name))
            psql("CREATE DATABASE {} TEMPLATE {}".format(name, base))
            return
        installation.run("migrate", "-v0")
        psql("DROP DATABASE IF EXISTS {} WITH (FORCE)".format(base))
        psql("CREATE DATABASE {} TEMPLATE {}".format(base, name))
        template["postgresql"] = base

    yield migrate_installation
    if "postgresql" in template:
        psql("DROP DATABASE IF EXISTS {} WITH (FORCE)".format(base))


@pytest.fixture
def databases_for_installations():
    """Two throwaway database URLs (None, None on SQLite: each var directory has its own file)."""
    if connection.vendor != "postgresql":
        yield None, None
        return
    for tool in ("pg_dump", "pg_restore", "psql"):
        if shutil.which(tool) is None:
            pytest.skip("{} is not installed".format(tool))
    # Named after this run's test database, so parallel workers and runs never share them.
    base = "{}_bk".format(connection.settings_dict["NAME"])[:50]
    names = [base + "_src", base + "_dst"]
    for name in names:
        psql("DROP DATABASE IF EXISTS {} WITH (FORCE)".format(name))
        psql("CREATE DATABASE {}".format(name))
    yield pg_url(names[0]), pg_url(names[1])
    for name in names:
        psql("DROP DATABASE IF EXISTS {} WITH (FORCE)".format(name))


def test_backup_and_restore_bring_everything_back(tmp_path, databases_for_installations, migrate):
    source_url, target_url = databases_for_installations
    source = Installation(tmp_path, "source", source_url)
    migrate(source)
    source.run("seed_demo")
    source.shell(ADD_FILES)
    before = json.loads(source.shell(SNAPSHOT).splitlines()[0])
    assert before["projects"] and before["transitions"] and before["score_runs"] and len(before["files"]) >= 2

    archive = tmp_path / "backup.tar.gz"
    out = source.run("backup", "--output", str(archive)).stdout
    assert "Wrote" in out
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = tar.getnames()
    assert manifest["vendor"] == connection.vendor
    assert manifest["rows"]["projects.Project"] == len(before["projects"])
    assert manifest["migrations"] and all(f["sha256"] for f in manifest["files"])
    assert any(n.startswith("database/") for n in names)

    # ACC-09: the archive is readable by its owner only; the default folder is 0700.
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    default = source.run("backup").stdout
    written = Path(default.split("Wrote ", 1)[1].split(" (", 1)[0])
    assert written.parent == source.var / "backups"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert stat.S_IMODE(written.parent.stat().st_mode) == 0o700

    # A non-empty installation is refused without --force, and nothing there changes.
    refused = source.run("restore", str(archive), check=False)
    assert refused.returncode != 0 and "not empty" in refused.stderr

    # A restore that fails late (an archive signed with the right key whose row counts do not
    # match its database) puts the database and the files back as they were.
    source.shell(CHANGE)
    changed = json.loads(source.shell(SNAPSHOT).splitlines()[0])
    assert changed != before
    inconsistent = rewrite(archive, tmp_path / "inconsistent.tar.gz", rows={"projects.Project": 1})
    failed = source.run("restore", str(inconsistent), "--force", check=False)
    assert failed.returncode != 0 and "put back as they were" in failed.stderr, failed.stderr
    # A signed archive that names a file outside the storage is refused before anything is touched.
    traversing = rewrite(archive, tmp_path / "traversing.tar.gz", rename_first_file="../../outside.txt")
    failed = source.run("restore", str(traversing), "--force", check=False)
    assert failed.returncode != 0 and "Nothing was restored" in failed.stderr, failed.stderr
    assert not list(tmp_path.rglob("outside.txt"))
    assert json.loads(source.shell(SNAPSHOT).splitlines()[0]) == changed

    target = Installation(tmp_path, "target", target_url)
    migrate(target)
    assert "verified" in target.run("restore", str(archive)).stdout
    after, kinds = target.shell(SNAPSHOT).splitlines()[:2]
    assert json.loads(after) == before
    assert "restore" in json.loads(kinds)  # recorded in the restored installation, after the check
    assert "backup" in json.loads(source.shell(SNAPSHOT).splitlines()[1])


def rewrite(archive: Path, target: Path, *, rows=None, rename_first_file: str = "") -> Path:
    """A copy of ``archive`` with its manifest changed and signed again with the right key."""
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        renamed = {}
        if rows:
            manifest["rows"].update(rows)
        if rename_first_file:
            item = manifest["files"][0]
            renamed["files/{}/{}".format(item["storage"], item["name"])] = "files/{}/{}".format(
                item["storage"], rename_first_file
            )
            item["name"] = rename_first_file
        data = json.dumps(manifest).encode()
        signature = hmac.new(SIGNING_KEY.encode(), data, hashlib.sha256).hexdigest()
        sig = json.dumps({"algorithm": "HMAC-SHA256", "key": "BACKUP_SIGNING_KEY", "signature": signature}).encode()
        with tarfile.open(target, "w:gz") as out:
            for member in tar.getmembers():
                content = {"manifest.json": data, "manifest.sig": sig}.get(member.name)
                if content is None:
                    content = tar.extractfile(member).read()
                member.name = renamed.get(member.name, member.name)
                member.size = len(content)
                out.addfile(member, io.BytesIO(content))
    return target


def test_a_damaged_archive_is_refused_before_anything_is_written(tmp_path, databases_for_installations, migrate):
    source_url, target_url = databases_for_installations
    source = Installation(tmp_path, "source", source_url)
    migrate(source)
    source.shell(ADD_FILES)
    archive = tmp_path / "backup.tar.gz"
    source.run("backup", "--output", str(archive))
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as tar, tarfile.open(damaged, "w:gz") as out:
        for member in tar.getmembers():
            data = tar.extractfile(member).read()
            if member.name.endswith("site.jpg"):
                data = b"x" + data[1:]
            out.addfile(member, io.BytesIO(data))
    target = Installation(tmp_path, "target", target_url)  # not even migrated: nothing is written
    result = target.run("restore", str(damaged), check=False)
    assert result.returncode != 0 and "damaged" in result.stderr
    assert (
        target.shell(
            "from django.core.files.storage import storages; print(storages['default'].exists('photos/site.jpg'))"
        ).strip()
        == "False"
    )
    not_a_backup = tmp_path / "x.tar.gz"
    with tarfile.open(not_a_backup, "w:gz"):
        pass
    result = target.run("restore", str(not_a_backup), check=False)
    assert result.returncode != 0 and "not a GreenBuild backup" in result.stderr
