"""ACC-09: a restore checks the manifest's signature, every member name and every checksum before
it touches the database or a stored file. Tampered, unsigned, wrongly keyed, traversing and
linking archives are refused with the database and the files as they were.

These archives are built by hand (a real one comes from ``greenbuild backup`` in
test_backup_restore.py, which also checks the archive's permissions and the put-back after a
restore that fails late); the restore runs with ``force`` so that only the archive checks stand
between it and this test's database.
"""

from __future__ import annotations

import hashlib
import io
import json
import stat
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection

from greenbuild.audit.backup import (
    FORMAT,
    PG_MEMBER,
    SQLITE_MEMBER,
    BackupError,
    _private_folder,
    restore_backup,
    sign_manifest,
)

KEY = "test-backup-signing-key-0123456789abcdef"


@pytest.fixture
def media(settings, tmp_path):
    """A file storage of this test's own, holding one file."""
    root = tmp_path / "media"
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}},
        "staticfiles": settings.STORAGES["staticfiles"],
    }
    settings.BACKUP_SIGNING_KEY = KEY
    storages["default"].save("evidence/kept.pdf", ContentFile(b"%PDF-1.4 kept"))
    return root


def state(root: Path) -> tuple:
    """The database and the media folder, to compare before and after."""
    users = sorted(get_user_model().objects.values_list("pk", "username", "password"))
    files = sorted((str(p.relative_to(root)), p.read_bytes()) for p in root.rglob("*") if p.is_file())
    return users, files


def build(
    path: Path,
    *,
    files: dict[str, bytes] | None = None,
    members: list[tuple[tarfile.TarInfo, bytes]] | None = None,
    edit_manifest=None,
    sign: bool | str = True,
    after_signing: bytes | None = None,
) -> Path:
    """A backup archive: a database member, ``files`` (name → bytes, storage "default"), the manifest
    and its signature, plus any extra ``members``."""
    files = {"evidence/new.pdf": b"%PDF-1.4 new"} if files is None else files
    database = b"not really a database: the checks refuse before it is read"
    member = SQLITE_MEMBER if connection.vendor == "sqlite" else PG_MEMBER
    manifest = {
        "format": FORMAT,
        "created_at": "2026-12-07T00:00:00+00:00",
        "vendor": connection.vendor,
        "database": {"member": member, "sha256": hashlib.sha256(database).hexdigest(), "size": len(database)},
        "migrations": [],
        "rows": {},
        "files": [
            {"storage": "default", "name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in files.items()
        ],
    }
    if edit_manifest:
        edit_manifest(manifest)
    data = json.dumps(manifest).encode()
    entries = [("manifest.json", data)]
    if sign:
        entries.append(("manifest.sig", sign_manifest(data)))
    if after_signing is not None:
        entries[0] = ("manifest.json", after_signing)
    entries.append((member, database))
    entries += [("files/default/" + name, content) for name, content in files.items()]
    with tarfile.open(path, "w:gz") as archive:
        for name, content in entries:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
        for info, content in members or []:
            archive.addfile(info, io.BytesIO(content) if content else None)
    return path


def refused(path: Path, root: Path, expected: str) -> None:
    before = state(root)
    with pytest.raises(BackupError, match=expected) as error:
        restore_backup(path, force=True)
    assert "Nothing was restored" in str(error.value)
    assert state(root) == before
    assert not (root.parent / "outside.txt").exists()


@pytest.mark.django_db
def test_an_archive_whose_manifest_was_changed_after_signing_is_refused(media, tmp_path, alice_owner):
    good = build(tmp_path / "good.tar.gz")
    with tarfile.open(good) as archive:
        data = archive.extractfile("manifest.json").read()
    tampered = json.loads(data)
    tampered["rows"] = {"accounts.User": 99}
    refused(
        build(tmp_path / "t.tar.gz", after_signing=json.dumps(tampered).encode()), media, "does not match its signature"
    )


@pytest.mark.django_db
def test_a_file_changed_in_a_signed_archive_is_refused(media, tmp_path, alice_owner):
    def lie(manifest):
        manifest["files"][0]["sha256"] = hashlib.sha256(b"what it was").hexdigest()

    refused(build(tmp_path / "t.tar.gz", edit_manifest=lie), media, "damaged")


@pytest.mark.django_db
def test_an_unsigned_archive_and_one_signed_with_another_key_are_refused(media, tmp_path, settings, alice_owner):
    refused(build(tmp_path / "unsigned.tar.gz", sign=False), media, "not signed")
    settings.BACKUP_SIGNING_KEY = "another-key-another-key-another-key-0000"
    other = build(tmp_path / "other.tar.gz")
    settings.BACKUP_SIGNING_KEY = KEY
    refused(other, media, "does not match its signature")
    # Without a dedicated key, the key derives from SECRET_KEY (so the two installations must share it).
    settings.BACKUP_SIGNING_KEY = ""
    derived = build(tmp_path / "derived.tar.gz", files={"../outside.txt": b"x"})
    refused(derived, media, "absolute paths")  # the signature passed: the name is what stops it


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["../outside.txt", "evidence/../../outside.txt", "/tmp/outside.txt", "a//b"])  # noqa: S108
def test_a_signed_archive_naming_a_file_outside_the_storage_is_refused(media, tmp_path, name, alice_owner):
    refused(build(tmp_path / "t.tar.gz", files={name: b"planted"}), media, "absolute paths")


@pytest.mark.django_db
def test_links_unexpected_and_traversing_members_are_refused(media, tmp_path, alice_owner):
    link = tarfile.TarInfo("files/default/evidence/link.pdf")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    refused(build(tmp_path / "link.tar.gz", members=[(link, b"")]), media, "not a regular file")

    hard = tarfile.TarInfo("files/default/evidence/hard.pdf")
    hard.type, hard.linkname = tarfile.LNKTYPE, "manifest.json"
    refused(build(tmp_path / "hard.tar.gz", members=[(hard, b"")]), media, "not a regular file")

    extra = tarfile.TarInfo("files/default/evidence/unlisted.pdf")
    extra.size = 3
    refused(build(tmp_path / "extra.tar.gz", members=[(extra, b"abc")]), media, "does not list")

    up = tarfile.TarInfo("../outside.txt")
    up.size = 3
    refused(build(tmp_path / "up.tar.gz", members=[(up, b"abc")]), media, "absolute paths")

    folder = tarfile.TarInfo("files/default/evidence")
    folder.type = tarfile.DIRTYPE
    refused(build(tmp_path / "dir.tar.gz", members=[(folder, b"")]), media, "not a regular file")


@pytest.mark.django_db
def test_the_restore_command_reports_the_refusal(media, tmp_path, alice_owner):
    before = state(media)
    path = build(tmp_path / "t.tar.gz", files={"../outside.txt": b"planted"})
    with pytest.raises(CommandError, match="absolute paths"):
        call_command("restore", str(path), "--force")
    assert state(media) == before


def test_backup_folders_are_created_0700_and_var_backups_is_tightened(tmp_path):
    target = tmp_path / "a" / "b"
    _private_folder(target, tighten=False)
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "a").stat().st_mode) == 0o700
    loose = tmp_path / "backups"
    loose.mkdir(mode=0o755)
    loose.chmod(0o755)
    _private_folder(loose, tighten=False)
    assert stat.S_IMODE(loose.stat().st_mode) == 0o755  # a folder the operator named stays as it is
    _private_folder(loose, tighten=True)
    assert stat.S_IMODE(loose.stat().st_mode) == 0o700


def test_a_write_that_failed_half_way_is_removed_and_the_original_put_back(media, tmp_path, db):
    """A restore that fails while writing a file (a full disk) leaves a partial file under the name
    it was writing; the put-back removes it and restores the replaced original under its own name,
    not beside it as ``name_xxxx``."""
    from greenbuild.audit.backup import put_files_back

    storage = storages["default"]
    kept = tmp_path / "kept-original"
    kept.write_bytes(b"%PDF-1.4 kept")
    before = state(media)
    # What restore_backup had done when the write failed: the original copied aside and deleted,
    # the name noted, then a partial write of the archive's version, and a partial new file.
    storage.delete("evidence/kept.pdf")
    storage.save("evidence/kept.pdf", ContentFile(b"%PDF-1.4 half"))
    storage.save("evidence/new-half.pdf", ContentFile(b"%PDF"))
    put_files_back(
        [(storage, "evidence/kept.pdf"), (storage, "evidence/new-half.pdf")],
        [(storage, "evidence/kept.pdf", kept)],
    )
    assert state(media) == before
