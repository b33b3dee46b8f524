"""Resumable uploads through the API (issue 18 item 9): the store behind ``/api/v1/uploads/``
(tus 1.0.0, ``api/upload_views.py``).

An unfinished upload is two files under ``settings.API_UPLOAD_DIR`` (the var dir): ``<id>.json``
(who, which project and kind, the file's name and length, when it expires) and ``<id>.part`` (the
bytes received so far; its size is the offset). Only its creator sees it (anyone else: 404). A
write holds an exclusive lock on the ``.json`` file, so two requests never append at once. When
the last byte arrives the part becomes an attachment through ``attachments.services.store_attachment``
— the policy of the kind (types by content, polyglot and macro refusal, size), its writer table
(``KIND_WRITERS``) and the project's gate, exactly as ``POST /api/v1/attachments/`` — and both
files are removed, accepted or refused. Unfinished uploads expire after
``API_UPLOAD_LIFETIME_HOURS``; ``purge_expired_uploads`` (run by ``cleanup_attachments``) removes them.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import re
import secrets
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from greenbuild.accounts.roles import bound_organisation_id
from greenbuild.attachments import services as attachment_services
from greenbuild.attachments.choices import AttachmentKind
from greenbuild.attachments.models import Attachment
from greenbuild.attachments.permissions import KIND_WRITERS, can_write_kind
from greenbuild.attachments.policy import get_policy
from greenbuild.core.errors import ActionForbidden
from greenbuild.projects.permissions import get_project_for_user

#: how much of a request body is read at a time
READ_BYTES = 256 * 1024
ID_LENGTH = 32  # hex digits of a random id


class UploadError(Exception):
    """A refusal with its HTTP status and code (the views answer it in the one error shape)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass
class Upload:
    id: str
    user: int
    project: int
    kind: str
    filename: str
    length: int
    created_at: str
    expires_at: str
    attachment: int | None = None
    #: the organisation of the bound token that opened it (None: unbound); only the same binding resumes it
    organisation: int | None = None

    @property
    def expires(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.expires_at)


def upload_dir() -> Path:
    folder = Path(settings.API_UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def max_bytes() -> int:
    """The largest file the API takes (``Tus-Max-Size``); each kind's limit applies below it."""
    return int(settings.API_UPLOAD_MAX_BYTES)


def lifetime() -> dt.timedelta:
    return dt.timedelta(hours=int(settings.API_UPLOAD_LIFETIME_HOURS))


def api_kinds() -> list[str]:
    return [kind for kind in AttachmentKind.values if KIND_WRITERS[kind].api]


def _paths(upload_id: str) -> tuple[Path, Path]:
    folder = upload_dir()
    return folder / "{}.json".format(upload_id), folder / "{}.part".format(upload_id)


def _valid_id(upload_id: str) -> bool:
    return len(upload_id) == ID_LENGTH and all(c in "0123456789abcdef" for c in upload_id)


def _read(path: Path) -> Upload | None:
    try:
        return Upload(**json.loads(path.read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def _write(path: Path, upload: Upload) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(upload)), "utf-8")
    os.replace(tmp, path)


def _not_found() -> UploadError:
    return UploadError(404, "not_found", _("Not found."))


def offset_of(upload: Upload) -> int:
    """The bytes received so far (``Upload-Offset``): the part's size."""
    if upload.attachment is not None:
        return upload.length
    try:
        return _paths(upload.id)[1].stat().st_size
    except FileNotFoundError:
        return 0


def _unfinished_of(user: Any) -> int:
    count = 0
    for path in upload_dir().glob("*.json"):
        upload = _read(path)
        if upload and upload.user == user.pk and upload.attachment is None and upload.expires > timezone.now():
            count += 1
    return count


def create_upload(*, actor: Any, project_id: Any, kind: Any, filename: Any, length: Any) -> Upload:
    """Open an upload of ``length`` bytes for a file of ``kind`` on ``project``: the project's gate
    (404), the kind's writer (403), the kind's size limit and the API's ceiling (413) are checked
    now, the content when the last byte has arrived."""
    # plain ASCII digits (int() would also take "1_000", "+10", " 10" and other scripts' digits)
    size = int(length) if isinstance(length, str) and re.fullmatch(r"[0-9]{1,20}", length) else -1
    if size < 0:
        raise UploadError(400, "invalid", _("Upload-Length must be a whole number of bytes."))
    if kind not in api_kinds():
        raise UploadError(
            400, "invalid", _("Name a kind in Upload-Metadata: one of {kinds}.").format(kinds=", ".join(api_kinds()))
        )
    name = str(filename or "").strip()
    if not name:
        raise UploadError(400, "invalid", _("Name the file in Upload-Metadata (filename)."))
    if any(unicodedata.category(char) == "Cc" for char in name):  # NUL, line breaks…: refused now, not at the end
        raise UploadError(400, "invalid", _("The file name in Upload-Metadata contains control characters."))
    from greenbuild.api.base import parse_pk

    project = get_project_for_user(actor, parse_pk(project_id))  # 404 when invisible
    if not can_write_kind(actor, kind, project):
        raise UploadError(403, "permission_denied", attachment_services.kind_forbidden_message(kind))
    limit = min(get_policy(kind).max_bytes, max_bytes())
    if size > limit:
        raise UploadError(
            413,
            "request_too_large",
            _("“{name}” is {size}; {kind} files sent through the API are limited to {limit}.").format(
                name=name, size=filesizeformat(size), kind=AttachmentKind(kind).label, limit=filesizeformat(limit)
            ),
        )
    if _unfinished_of(actor) >= int(settings.API_UPLOAD_MAX_OPEN):
        raise UploadError(
            409,
            "conflict",
            _("You have {count} unfinished uploads: finish or cancel one first.").format(
                count=settings.API_UPLOAD_MAX_OPEN
            ),
        )
    now = timezone.now()
    upload = Upload(
        id=secrets.token_hex(ID_LENGTH // 2),
        user=actor.pk,
        project=project.pk,
        kind=str(kind),
        filename=name,
        length=size,
        created_at=now.isoformat(),
        expires_at=(now + lifetime()).isoformat(),
        organisation=bound_organisation_id(actor),
    )
    meta, part = _paths(upload.id)
    _write(meta, upload)
    part.touch(mode=0o600)
    return upload


def get_upload(*, actor: Any, upload_id: str) -> Upload:
    """The actor's own upload; another user's, an expired or an unknown one is a 404."""
    if not _valid_id(upload_id):
        raise _not_found()
    upload = _read(_paths(upload_id)[0])
    if (
        upload is None
        or upload.user != actor.pk
        or upload.organisation != bound_organisation_id(actor)  # a token bound elsewhere: not its upload
        or upload.expires <= timezone.now()
    ):
        raise _not_found()
    return upload


@contextmanager
def _locked(upload_id: str) -> Iterator[None]:
    meta = _paths(upload_id)[0]
    try:
        handle = meta.open("rb")
    except FileNotFoundError:
        raise _not_found() from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UploadError(
                409, "conflict", _("Another request is sending this upload; ask for its offset (HEAD) and resume.")
            ) from None
        yield


def append(*, actor: Any, upload_id: str, offset: Any, stream: Any, length: int) -> tuple[Upload, int]:
    """Append ``length`` bytes read from ``stream`` at ``offset`` (which must be the bytes received
    so far: 409 otherwise). A body cut short keeps what arrived. When the file is complete it is
    stored as an attachment (``upload.attachment``); a refused file is discarded (the error says why)."""
    upload = get_upload(actor=actor, upload_id=upload_id)
    with _locked(upload.id):
        upload = get_upload(actor=actor, upload_id=upload_id)  # as it is under the lock
        current = offset_of(upload)
        if upload.attachment is not None:
            raise UploadError(409, "conflict", _("This upload is finished: its file is stored already."))
        if str(offset) != str(current):
            raise UploadError(
                409,
                "conflict",
                _("Upload-Offset is {sent}, but {received} bytes have been received: resume from there.").format(
                    sent=offset, received=current
                ),
            )
        if current + length > upload.length:
            raise UploadError(
                413,
                "request_too_large",
                _("This request would go past Upload-Length ({length} bytes).").format(length=upload.length),
            )
        part = _paths(upload.id)[1]
        with part.open("ab") as out:
            remaining = length
            while remaining > 0:
                try:
                    chunk = stream.read(min(READ_BYTES, remaining))
                except OSError:  # the client went away: keep what arrived, it resumes from there
                    break
                if not chunk:
                    break
                out.write(chunk)
                remaining -= len(chunk)
        received = offset_of(upload)
        if received == upload.length:
            return _commit(actor, upload), received
        return upload, received


def _commit(actor: Any, upload: Upload) -> Upload:
    meta, part = _paths(upload.id)
    try:
        from greenbuild.projects.models import Project

        project = Project.objects.get(pk=upload.project)
        with part.open("rb") as handle:
            attachment = attachment_services.store_attachment(
                actor=actor, project=project, kind=upload.kind, uploaded_file=File(handle, name=upload.filename)
            )
    except ActionForbidden:
        _discard(upload.id)
        raise UploadError(403, "permission_denied", attachment_services.kind_forbidden_message(upload.kind)) from None
    except BaseException:
        _discard(upload.id)  # refused (the ValidationError says why) or failed: nothing half-kept
        raise
    upload.attachment = attachment.pk
    _write(meta, upload)  # kept until it expires, so the client can look up what it made
    part.unlink(missing_ok=True)
    return upload


def attachment_of(upload: Upload) -> Attachment | None:
    if upload.attachment is None:
        return None
    return Attachment.objects.filter(pk=upload.attachment).first()


def terminate(*, actor: Any, upload_id: str) -> None:
    """Cancel an upload (tus termination): its part is removed; a finished one keeps its attachment."""
    upload = get_upload(actor=actor, upload_id=upload_id)
    with _locked(upload.id):
        _discard(upload.id)


def _discard(upload_id: str) -> None:
    for path in _paths(upload_id):
        path.unlink(missing_ok=True)


def purge_expired_uploads(*, now: dt.datetime | None = None) -> int:
    """Remove uploads past their expiry (and stray parts without their record); returns how many."""
    moment = now or timezone.now()
    removed = 0
    folder = upload_dir()
    for path in folder.glob("*.json"):
        upload = _read(path)
        if upload is None or upload.expires <= moment:
            _discard(path.stem)
            removed += 1
    for part in folder.glob("*.part"):
        if not part.with_suffix(".json").exists():
            part.unlink(missing_ok=True)
    return removed
