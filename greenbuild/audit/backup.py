"""Backup and restore (数据备份与恢复, 等保2.0 level 3; docs/security.md).

``write_backup`` writes ONE archive (tar, gzip-compressed) holding:

* ``database/greenbuild.sqlite3``: a snapshot through SQLite's online backup API, or
  ``database/greenbuild.pgdump``: ``pg_dump --format=custom`` of an exported snapshot;
* ``files/<storage alias>/<name>``: every file of every Django storage except static files;
* ``manifest.json``: when, which database vendor, the applied migrations and the row count of
  every table, all read from the same snapshot as the dump, and the sha256 of every file;
* ``manifest.sig``: the HMAC-SHA256 of ``manifest.json``'s bytes, keyed by ``BACKUP_SIGNING_KEY``
  (or, when that is empty, a key derived from ``SECRET_KEY``).

The archive is written 0600 into a folder that is 0700 when we create it (``var/backups`` is
tightened to 0700 every time).

``restore_backup`` brings an archive back into an EMPTY installation (no user accounts, no stored
files; refuses otherwise unless ``force``). BEFORE it touches the database or a stored file it
checks the signature, every member (regular files only, no absolute path, no ``..``, exactly the
names the manifest lists) and every size and checksum, copying the contents into a private
temporary folder. Only then does it replace the database and the files, and verify migrations, row
counts and checksums; if any of that fails, the database and the files are put back as they were
(from a snapshot taken just before), and the error is raised.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess  # noqa: S404 - pg_dump/pg_restore with argument lists, no shell
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

FORMAT = "greenbuild-backup/2"
SQLITE_MEMBER = "database/greenbuild.sqlite3"
PG_MEMBER = "database/greenbuild.pgdump"
MANIFEST_MEMBER = "manifest.json"
SIGNATURE_MEMBER = "manifest.sig"
SIGNATURE_ALGORITHM = "HMAC-SHA256"
#: A manifest larger than this is refused before it is read (a real one: ~200 bytes per file).
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
ARCHIVE_MODE = 0o600
FOLDER_MODE = 0o700


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    files: int = 0
    rows: int = 0
    problems: list[str] = field(default_factory=list)


# --- the manifest's signature ---------------------------------------------------------------


def _signing_keys() -> list[tuple[str, bytes]]:
    """(where the key comes from, key): ``BACKUP_SIGNING_KEY``, else derived from ``SECRET_KEY``
    (and, to verify, from each of ``SECRET_KEY_FALLBACKS``)."""
    dedicated = str(getattr(settings, "BACKUP_SIGNING_KEY", "") or "")
    if dedicated:
        return [("BACKUP_SIGNING_KEY", dedicated.encode("utf-8"))]
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        (
            "SECRET_KEY",
            salted_hmac("greenbuild.audit.backup.manifest", "signing key", secret=secret, algorithm="sha256").digest(),
        )
        for secret in secrets
        if secret
    ]


def sign_manifest(data: bytes) -> bytes:
    """The ``manifest.sig`` member for the manifest bytes ``data``."""
    source, key = _signing_keys()[0]
    signature = hmac.new(key, data, hashlib.sha256).hexdigest()
    return json.dumps({"algorithm": SIGNATURE_ALGORITHM, "key": source, "signature": signature}).encode("utf-8")


def check_signature(data: bytes, signature_member: bytes) -> None:
    """Raise ``BackupError`` unless ``signature_member`` signs ``data`` with one of our keys."""
    try:
        claimed = json.loads(signature_member.decode("utf-8"))
        algorithm, signature = claimed["algorithm"], str(claimed["signature"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise BackupError("The backup's signature (manifest.sig) is unreadable; nothing was restored.") from None
    if algorithm != SIGNATURE_ALGORITHM:
        raise BackupError("The backup is signed with {!r}, not {}.".format(algorithm, SIGNATURE_ALGORITHM))
    for _source, key in _signing_keys():
        if hmac.compare_digest(hmac.new(key, data, hashlib.sha256).hexdigest(), signature):
            return
    raise BackupError(
        "The backup's manifest does not match its signature: the archive was altered, or it was signed with "
        "another key (BACKUP_SIGNING_KEY, or SECRET_KEY when that is not set). Nothing was restored."
    )


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
    default_folder = Path(settings.VAR_DIR) / "backups"
    if output is None:
        output = default_folder / "greenbuild-{}.tar.gz".format(created.strftime("%Y%m%d-%H%M%S"))
    output = Path(output)
    _private_folder(output.parent, tighten=output.parent.resolve() == default_folder.resolve())
    with tempfile.TemporaryDirectory(prefix="greenbuild-backup-") as tmp:  # 0700, removed after
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
        partial.unlink(missing_ok=True)
        # Created 0600 (O_EXCL: never someone else's file), so no moment where others may read it.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, ARCHIVE_MODE)
        try:
            os.fchmod(descriptor, ARCHIVE_MODE)  # whatever the umask
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
                for name, content in ((MANIFEST_MEMBER, data), (SIGNATURE_MEMBER, sign_manifest(data))):
                    entry = tarfile.TarInfo(name)
                    entry.size, entry.mtime, entry.mode = len(content), int(created.timestamp()), ARCHIVE_MODE
                    archive.addfile(entry, io.BytesIO(content))
                entry = tarfile.TarInfo(member)
                entry.size, entry.mtime, entry.mode = dump.stat().st_size, int(created.timestamp()), ARCHIVE_MODE
                with dump.open("rb") as handle:
                    archive.addfile(entry, handle)
                storages_by_alias = file_storages()
                for item in files:
                    storage = storages_by_alias[item["storage"]]
                    entry = tarfile.TarInfo("files/{}/{}".format(item["storage"], item["name"]))
                    entry.size, entry.mtime, entry.mode = item["size"], int(created.timestamp()), ARCHIVE_MODE
                    with storage.open(item["name"], "rb") as handle:
                        archive.addfile(entry, handle)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
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


def _private_folder(folder: Path, *, tighten: bool) -> None:
    """Create ``folder`` (and missing parents) 0700; ``tighten`` an existing one to 0700 too (our
    own ``var/backups``; a folder the operator named is left as it is, the archive is 0600)."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        path.mkdir(mode=FOLDER_MODE)
        path.chmod(FOLDER_MODE)  # mkdir's mode is filtered by the umask
    if tighten and stat.S_IMODE(folder.stat().st_mode) != FOLDER_MODE:
        folder.chmod(FOLDER_MODE)


def folder_is_private(folder: Path) -> bool:
    """Whether no one but the owner may enter or list ``folder``."""
    return not stat.S_IMODE(Path(folder).stat().st_mode) & 0o077


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


def _refused(reason: str) -> BackupError:
    return BackupError(reason + " Nothing was restored.")


def _safe_member_name(name: str) -> bool:
    """A relative POSIX path without ``..``, ``.``, empty parts, backslashes or NUL."""
    if not name or "\x00" in name or "\\" in name or name.startswith("/") or PurePosixPath(name).is_absolute():
        return False
    return all(part not in ("", ".", "..") for part in name.split("/"))


@dataclass
class CheckedArchive:
    """An archive whose signature, names, sizes and checksums were checked, its contents copied
    into a private temporary folder (never under their own names)."""

    manifest: dict[str, Any]
    database: Path
    files: list[tuple[dict[str, Any], Path]]


def _read_member(archive: tarfile.TarFile, member: tarfile.TarInfo, limit: int) -> bytes:
    if member.size > limit:
        raise _refused("The backup's {} is larger than {} bytes.".format(member.name, limit))
    handle = archive.extractfile(member)
    if handle is None:
        raise _refused("The backup's {} cannot be read.".format(member.name))
    return handle.read(limit + 1)[:limit]


def _copy_checked(archive: tarfile.TarFile, member: tarfile.TarInfo, target: Path, expected: dict[str, Any]) -> None:
    """Copy ``member`` to ``target`` (0600) while hashing it; refuse a size or checksum that is not
    the manifest's."""
    if member.size != expected.get("size"):
        raise _refused(
            "{} in the backup is damaged (size {} instead of {}).".format(
                member.name, member.size, expected.get("size")
            )
        )
    handle = archive.extractfile(member)
    if handle is None:
        raise _refused("{} in the backup cannot be read.".format(member.name))
    digest = hashlib.sha256()
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, ARCHIVE_MODE)
    with os.fdopen(descriptor, "wb") as out:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
            out.write(chunk)
    if not hmac.compare_digest(digest.hexdigest(), str(expected.get("sha256", ""))):
        raise _refused("{} in the backup is damaged (checksum mismatch).".format(member.name))


def _expected_members(manifest: dict[str, Any], vendor: str) -> dict[str, dict[str, Any]]:
    """Member name → its manifest entry, for every member a valid archive of ``vendor`` holds."""
    if manifest.get("format") != FORMAT:
        raise _refused("Unknown backup format {!r} (expected {}).".format(manifest.get("format"), FORMAT))
    database = manifest.get("database")
    wanted = SQLITE_MEMBER if vendor == "sqlite" else PG_MEMBER
    if manifest.get("vendor") != vendor:
        raise _refused(
            "The backup is of a {} database; this installation uses {}.".format(manifest.get("vendor"), vendor)
        )
    if not isinstance(database, dict) or database.get("member") != wanted:
        raise _refused("The backup's database member is not {}.".format(wanted))
    expected: dict[str, dict[str, Any]] = {wanted: database}
    aliases = set(file_storages())
    files = manifest.get("files")
    if not isinstance(files, list):
        raise _refused("The backup's manifest lists no files.")
    for item in files:
        if not isinstance(item, dict) or item.get("storage") not in aliases:
            raise _refused("The backup has files of a storage unknown here: {!r}.".format(item))
        name = item.get("name")
        if not isinstance(name, str) or not _safe_member_name(name):
            raise _refused("The backup lists the file name {!r}: absolute paths and “..” are refused.".format(name))
        member = "files/{}/{}".format(item["storage"], name)
        if member in expected:
            raise _refused("The backup lists {} twice.".format(member))
        expected[member] = item
    return expected


def check_archive(archive_path: Path, staging: Path, *, vendor: str) -> CheckedArchive:
    """Everything about the archive that can be checked without touching this installation, and
    its contents copied into ``staging``; raises ``BackupError`` at the first problem."""
    try:
        archive = tarfile.open(archive_path, "r:*")  # noqa: SIM115 - closed below
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise _refused("This is not a GreenBuild backup: {}.".format(exc)) from None
    with archive:
        try:
            members = archive.getmembers()
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise _refused("The backup is damaged: {}.".format(exc)) from None
        by_name: dict[str, tarfile.TarInfo] = {}
        for member in members:
            if not _safe_member_name(member.name):
                raise _refused(
                    "The backup holds the member {!r}: absolute paths and “..” are refused.".format(member.name)
                )
            if member.type not in (tarfile.REGTYPE, tarfile.AREGTYPE):
                raise _refused(
                    "The backup holds {!r}, which is not a regular file (links, folders and devices are refused).".format(
                        member.name
                    )
                )
            if member.name in by_name:
                raise _refused("The backup holds {} twice.".format(member.name))
            by_name[member.name] = member
        if MANIFEST_MEMBER not in by_name:
            raise _refused("This is not a GreenBuild backup: it has no manifest.")
        if SIGNATURE_MEMBER not in by_name:
            raise _refused("The backup is not signed (it has no manifest.sig).")
        data = _read_member(archive, by_name[MANIFEST_MEMBER], MAX_MANIFEST_BYTES)
        check_signature(data, _read_member(archive, by_name[SIGNATURE_MEMBER], 4096))
        try:
            manifest: dict[str, Any] = json.loads(data.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise _refused("The backup's manifest is unreadable.") from None
        expected = _expected_members(manifest, vendor)
        unexpected = sorted(set(by_name) - set(expected) - {MANIFEST_MEMBER, SIGNATURE_MEMBER})
        if unexpected:
            raise _refused("The backup holds members its manifest does not list: {}.".format(", ".join(unexpected[:5])))
        missing = sorted(set(expected) - set(by_name))
        if missing:
            raise _refused("The backup lacks members its manifest lists: {}.".format(", ".join(missing[:5])))
        database = staging / "database"
        files: list[tuple[dict[str, Any], Path]] = []
        (staging / "files").mkdir(mode=FOLDER_MODE)
        # In archive order, so a compressed archive is read once from start to end.
        for member in sorted((by_name[name] for name in expected), key=lambda m: m.offset):
            if member.name == manifest["database"]["member"]:
                _copy_checked(archive, member, database, manifest["database"])
            else:
                target = staging / "files" / str(len(files))
                _copy_checked(archive, member, target, expected[member.name])
                files.append((expected[member.name], target))
    return CheckedArchive(manifest=manifest, database=database, files=files)


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


def _table_names() -> set[str]:
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def _restore_database(vendor: str, path: Path) -> None:
    if vendor == "sqlite":
        _restore_sqlite(path)
    else:
        _restore_postgresql(path)


def _put_database_back(vendor: str, snapshot: Path, tables_before: set[str]) -> None:
    """The database as it was before the restore: the snapshot taken then, and (PostgreSQL) no
    table the archive added."""
    if vendor == "postgresql":
        connection = connections[DEFAULT_DB_ALIAS]
        added = _table_names() - tables_before
        with connection.cursor() as cursor:
            for table in sorted(added):
                cursor.execute("DROP TABLE IF EXISTS {} CASCADE".format(connection.ops.quote_name(table)))
        connection.close()
    _restore_database(vendor, snapshot)


def put_files_back(added: list[tuple[Storage, str]], replaced: list[tuple[Storage, str, Path]]) -> None:
    """Undo a restore's file writes: remove every file it wrote (whole or partial), then put each
    replaced file back under its own name."""
    for storage, name in added:
        if storage.exists(name):
            storage.delete(name)
    for storage, name, kept in replaced:
        if storage.exists(name):
            storage.delete(name)
        with kept.open("rb") as handle:
            saved = storage.save(name, File(handle, name=os.path.basename(name)))
        if saved != name:
            raise BackupError("The file {} could not be put back (stored as {}).".format(name, saved))


def restore_backup(archive_path: Path, *, force: bool = False, actor: Any = None) -> RestoreResult:
    """Restore an archive into this installation, then verify it against the manifest.

    Nothing here is touched until the whole archive was checked (``check_archive``); a failure
    after that puts the database and the files back as they were, then raises ``BackupError``.
    """
    from greenbuild.audit.choices import EventKind
    from greenbuild.audit.services import record_event

    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError("No backup at {}.".format(archive_path))
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    with tempfile.TemporaryDirectory(prefix="gb-restore-") as tmp:  # 0700
        staging, before = Path(tmp) / "archive", Path(tmp) / "before"
        staging.mkdir(mode=FOLDER_MODE)
        before.mkdir(mode=FOLDER_MODE)
        checked = check_archive(archive_path, staging, vendor=vendor)
        manifest = checked.manifest
        if not force and not installation_is_empty():
            raise BackupError(
                "This installation is not empty (it has user accounts or stored files). Restore into a new "
                "installation, or pass --force to replace its database and files."
            )
        # What is here now, to put back if anything below fails.
        tables_before = _table_names()
        snapshot = (snapshot_sqlite if vendor == "sqlite" else snapshot_postgresql)(before)[0]
        storages_by_alias = file_storages()
        replaced: list[tuple[Storage, str, Path]] = []
        added: list[tuple[Storage, str]] = []
        result = RestoreResult(manifest=manifest)
        try:
            _restore_database(vendor, checked.database)
            for item, staged in checked.files:
                storage, name = storages_by_alias[item["storage"]], item["name"]
                if storage.exists(name):
                    kept = before / "file-{}".format(len(replaced))
                    with storage.open(name, "rb") as handle, kept.open("wb") as out:
                        shutil.copyfileobj(handle, out)
                    replaced.append((storage, name, kept))
                    storage.delete(name)
                # Noted before the write: a write that fails half-way (a full disk) leaves a partial
                # file under this name, which the put-back must remove.
                added.append((storage, name))
                with staged.open("rb") as handle:
                    saved = storage.save(name, File(handle, name=os.path.basename(name)))
                if saved != name:
                    added.append((storage, saved))
                    raise BackupError("The file {} was stored as {}.".format(name, saved))
                result.files += 1
            result.problems += verify(manifest)
            if result.problems:
                raise BackupError("The restore does not match the backup: " + "; ".join(result.problems))
        except BaseException as error:
            _put_database_back(vendor, snapshot, tables_before)
            put_files_back(added, replaced)
            if isinstance(error, BackupError):
                raise BackupError(str(error) + " The database and the files were put back as they were.") from None
            raise
    result.rows = sum(manifest["rows"].values())
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
