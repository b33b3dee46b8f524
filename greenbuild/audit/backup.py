"""Backup and restore (数据备份与恢复, 等保2.0 level 3; docs/security.md).

``write_backup`` writes ONE archive (tar, gzip-compressed) holding:

* ``database/greenbuild.sqlite3``: a snapshot through SQLite's online backup API, or
  ``database/greenbuild.pgdump``: ``pg_dump --format=custom`` of an exported snapshot;
* ``files/<storage alias>/<name>``: every file of every Django storage except static files;
* ``manifest.json``: when, which database vendor, the applied migrations and the row count of
  every table, all read from the same snapshot as the dump, and the sha256 of every file.

``restore_backup`` brings an archive back into an EMPTY installation (no user accounts, no stored
files; refuses otherwise unless ``force``), then checks migrations, row counts and checksums
against the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump/pg_restore with argument lists, no shell
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

FORMAT = "greenbuild-backup/1"
SQLITE_MEMBER = "database/greenbuild.sqlite3"
PG_MEMBER = "database/greenbuild.pgdump"
MANIFEST_MEMBER = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    files: int = 0
    rows: int = 0
    problems: list[str] = field(default_factory=list)


# --- what is backed up -----------------------------------------------------------------------


def model_tables() -> list[tuple[str, str]]:
    """(model label, table) of every concrete table the platform owns, m2m tables included."""
    seen: set[str] = set()
    tables: list[tuple[str, str]] = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        tables.append((meta.label, meta.db_table))
    return sorted(tables)


def file_storages() -> dict[str, Storage]:
    """Every configured storage except static files, each location once."""
    chosen: dict[str, Storage] = {}
    keys: set[tuple[str, str]] = set()
    for alias in settings.STORAGES:
        if alias == "staticfiles":
            continue
        storage = storages[alias]
        key = (type(storage).__qualname__, str(getattr(storage, "location", alias)))
        if key in keys:
            continue
        keys.add(key)
        chosen[alias] = storage
    return chosen


def walk(storage: Storage, prefix: str = "") -> Iterator[str]:
    try:
        directories, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield prefix + name
    for directory in sorted(directories):
        yield from walk(storage, prefix + directory + "/")


def sha256_of(handle: Any) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()


def stored_files() -> list[dict[str, Any]]:
    entries = []
    for alias, storage in file_storages().items():
        for name in walk(storage):
            with storage.open(name, "rb") as handle:
                checksum = sha256_of(handle)
            entries.append({"storage": alias, "name": name, "size": storage.size(name), "sha256": checksum})
    return entries


# --- the database snapshot -------------------------------------------------------------------


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    env["PGDATABASE"] = str(settings_dict["NAME"])
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError("{} is not installed; PostgreSQL backups need the PostgreSQL client tools.".format(name))
    return path


def _counts(cursor: Any, tables: list[tuple[str, str]], quote: Any, existing: set[str]) -> dict[str, int]:
    counts = {}
    for label, table in tables:
        if table in existing:
            cursor.execute("SELECT COUNT(*) FROM {}".format(quote(table)))  # noqa: S608 - our own table names
            counts[label] = int(cursor.fetchone()[0])
    return counts


def _migrations(cursor: Any) -> list[list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [[app, name] for app, name in cursor.fetchall()]


def snapshot_sqlite(workdir: Path) -> tuple[Path, dict[str, Any]]:
    connection = connections[DEFAULT_DB_ALIAS]
    connection.ensure_connection()
    target = workdir / "greenbuild.sqlite3"
    dest = sqlite3.connect(target)
    try:
        connection.connection.backup(dest)
    finally:
        dest.close()
    # Counts and migrations are read from the snapshot itself, so they describe exactly it.
    snap = sqlite3.connect(target)
    try:
        cursor = snap.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type='table'")
        existing = {row[0] for row in cursor.fetchall()}
        info = {
            "migrations": _migrations(cursor),
            "rows": _counts(cursor, model_tables(), lambda t: '"{}"'.format(t.replace('"', '""')), existing),
        }
    finally:
        snap.close()
    return target, info


def snapshot_postgresql(workdir: Path) -> tuple[Path, dict[str, Any]]:
    pg_dump = _tool("pg_dump")
    connection = connections[DEFAULT_DB_ALIAS]
    target = workdir / "greenbuild.pgdump"
    with transaction.atomic(using=DEFAULT_DB_ALIAS), connection.cursor() as cursor:
        # One snapshot for the counts and for pg_dump (pg_dump --snapshot), so they agree.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = cursor.fetchone()[0]
        existing = set(connection.introspection.table_names(cursor))
        info = {
            "migrations": _migrations(cursor),
            "rows": _counts(cursor, model_tables(), connection.ops.quote_name, existing),
        }
        subprocess.run(  # noqa: S603 - fixed argument list
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--snapshot",
                snapshot_id,
                "--file",
                str(target),
            ],
            env=_pg_env(connection.settings_dict),
            check=True,
            capture_output=True,
        )
    return target, info


def write_backup(output: Path | None = None, *, actor: Any = None) -> tuple[Path, dict[str, Any]]:
    """Write one archive; return its path and manifest. Records a ``backup`` audit event."""
    from greenbuild.audit.choices import EventKind
    from greenbuild.audit.services import record_event

    connection = connections[DEFAULT_DB_ALIAS]
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError("Backups support SQLite and PostgreSQL, not {}.".format(vendor))
    created = timezone.now()
    if output is None:
        output = Path(settings.VAR_DIR) / "backups" / "greenbuild-{}.tar.gz".format(created.strftime("%Y%m%d-%H%M%S"))
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="greenbuild-backup-") as tmp:
        workdir = Path(tmp)
        if vendor == "sqlite":
            dump, info = snapshot_sqlite(workdir)
            member = SQLITE_MEMBER
        else:
            dump, info = snapshot_postgresql(workdir)
            member = PG_MEMBER
        with dump.open("rb") as handle:
            dump_sha = sha256_of(handle)
        files = stored_files()
        manifest = {
            "format": FORMAT,
            "created_at": created.isoformat(),
            "vendor": vendor,
            "database": {"member": member, "sha256": dump_sha, "size": dump.stat().st_size},
            "migrations": info["migrations"],
            "rows": info["rows"],
            "files": files,
        }
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
            entry = tarfile.TarInfo(MANIFEST_MEMBER)
            entry.size, entry.mtime = len(data), int(created.timestamp())
            archive.addfile(entry, io.BytesIO(data))
            archive.add(dump, arcname=member)
            storages_by_alias = file_storages()
            for item in files:
                storage = storages_by_alias[item["storage"]]
                entry = tarfile.TarInfo("files/{}/{}".format(item["storage"], item["name"]))
                entry.size, entry.mtime = item["size"], int(created.timestamp())
                with storage.open(item["name"], "rb") as handle:
                    archive.addfile(entry, handle)
        partial.replace(output)
    record_event(
        EventKind.BACKUP,
        actor=actor,
        archive=str(output),
        rows=sum(manifest["rows"].values()),
        files=len(files),
        vendor=vendor,
        operator=_operator(),
    )
    return output, manifest


def _operator() -> str:
    """The operating-system account that ran the command (there is no signed-in user)."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


# --- restore ---------------------------------------------------------------------------------


def installation_is_empty() -> bool:
    """No user account and no stored file. (Migrations alone load reference data and the
    programme definitions; those are replaced by the archive's.)"""
    connection = connections[DEFAULT_DB_ALIAS]
    user_table = apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table
    with connection.cursor() as cursor:
        if user_table in connection.introspection.table_names(cursor):
            cursor.execute("SELECT COUNT(*) FROM {}".format(connection.ops.quote_name(user_table)))  # noqa: S608
            if cursor.fetchone()[0]:
                return False
    return not any(next(walk(storage), None) for storage in file_storages().values())


def read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile(MANIFEST_MEMBER)
    except KeyError:
        raise BackupError("This is not a GreenBuild backup: it has no manifest.") from None
    if member is None:
        raise BackupError("This is not a GreenBuild backup: it has no manifest.")
    manifest: dict[str, Any] = json.loads(member.read().decode("utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError("Unknown backup format {!r} (expected {}).".format(manifest.get("format"), FORMAT))
    return manifest


def current_state() -> dict[str, Any]:
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        return {
            "migrations": _migrations(cursor),
            "rows": _counts(cursor, model_tables(), connection.ops.quote_name, existing),
        }


def _restore_sqlite(path: Path) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    connection.close()
    connection.ensure_connection()
    source = sqlite3.connect(path)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def _restore_postgresql(path: Path) -> None:
    pg_restore = _tool("pg_restore")
    connection = connections[DEFAULT_DB_ALIAS]
    settings_dict = connection.settings_dict
    connection.close()
    result = subprocess.run(  # noqa: S603 - fixed argument list
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            str(settings_dict["NAME"]),
            str(path),
        ],
        env=_pg_env(settings_dict),
        check=False,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise BackupError("pg_restore failed: {}".format(result.stderr.strip()[-2000:]))


def restore_backup(archive_path: Path, *, force: bool = False, actor: Any = None) -> RestoreResult:
    """Restore an archive into this installation, then verify it against the manifest."""
    from greenbuild.audit.choices import EventKind
    from greenbuild.audit.services import record_event

    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError("No backup at {}.".format(archive_path))
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    with tarfile.open(archive_path, "r:*") as archive, tempfile.TemporaryDirectory(prefix="gb-restore-") as tmp:
        manifest = read_manifest(archive)
        if manifest["vendor"] != vendor:
            raise BackupError(
                "The backup is of a {} database; this installation uses {}.".format(manifest["vendor"], vendor)
            )
        if not force and not installation_is_empty():
            raise BackupError(
                "This installation is not empty (it has user accounts or stored files). Restore into a new "
                "installation, or pass --force to replace its database and files."
            )
        # Check every member against the manifest before anything is written.
        dump = Path(tmp) / "database"
        member = archive.extractfile(manifest["database"]["member"])
        if member is None:
            raise BackupError("The backup has no database.")
        with dump.open("wb") as out:
            shutil.copyfileobj(member, out)
        with dump.open("rb") as handle:
            if sha256_of(handle) != manifest["database"]["sha256"]:
                raise BackupError("The database in the backup is damaged (checksum mismatch).")
        storages_by_alias = file_storages()
        for item in manifest["files"]:
            if item["storage"] not in storages_by_alias:
                raise BackupError("The backup has files of storage {!r}, unknown here.".format(item["storage"]))
            extracted = archive.extractfile("files/{}/{}".format(item["storage"], item["name"]))
            if extracted is None or sha256_of(extracted) != item["sha256"]:
                raise BackupError("The file {} in the backup is damaged.".format(item["name"]))

        if vendor == "sqlite":
            _restore_sqlite(dump)
        else:
            _restore_postgresql(dump)

        result = RestoreResult(manifest=manifest)
        for item in manifest["files"]:
            storage = storages_by_alias[item["storage"]]
            if storage.exists(item["name"]):
                storage.delete(item["name"])
            extracted = archive.extractfile("files/{}/{}".format(item["storage"], item["name"]))
            saved = storage.save(item["name"], File(extracted, name=os.path.basename(item["name"])))
            if saved != item["name"]:
                result.problems.append("file {} was stored as {}".format(item["name"], saved))
            result.files += 1

    result.problems += verify(manifest)
    result.rows = sum(manifest["rows"].values())
    if result.problems:
        raise BackupError("The restore does not match the backup: " + "; ".join(result.problems))
    record_event(
        EventKind.RESTORE,
        actor=actor,
        archive=str(archive_path),
        rows=result.rows,
        files=result.files,
        backup_created_at=manifest["created_at"],
        operator=_operator(),
    )
    return result


def verify(manifest: dict[str, Any]) -> list[str]:
    """Differences between this installation and a manifest (empty when they agree)."""
    problems = []
    state = current_state()
    if state["migrations"] != manifest["migrations"]:
        problems.append("applied migrations differ")
    for label, count in manifest["rows"].items():
        if state["rows"].get(label) != count:
            problems.append("{}: {} rows, expected {}".format(label, state["rows"].get(label), count))
    storages_by_alias = file_storages()
    for item in manifest["files"]:
        storage = storages_by_alias[item["storage"]]
        if not storage.exists(item["name"]):
            problems.append("file {} missing".format(item["name"]))
            continue
        with storage.open(item["name"], "rb") as handle:
            if sha256_of(handle) != item["sha256"]:
                problems.append("file {} differs".format(item["name"]))
    return problems
