"""Every write of the attachments app: store, bind, replace, delete, purge.

A file is checked before anything is stored: not empty, within its kind's size limit, an
extension the kind allows, and content (magic bytes and structure) that agrees with the
extension. The sha256 is computed chunk by chunk (never the whole file in memory) and the file
goes through the storage API, so an S3-compatible store can replace the disk by setting.
Stored files are removed from storage when their row is replaced or deleted, once the
transaction commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Exists, OuterRef, ProtectedError, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from greenbuild.accounts.models import User
from greenbuild.attachments import sniffing
from greenbuild.attachments.choices import FILE_TYPES, AttachmentKind, FileType
from greenbuild.attachments.models import Attachment
from greenbuild.attachments.permissions import KIND_WRITERS, can, can_write_kind
from greenbuild.attachments.policy import get_policy
from greenbuild.attachments.signals import remove_stored_file
from greenbuild.core.errors import ActionForbidden
from greenbuild.core.history import set_history_user

PENDING_LIFETIME = dt.timedelta(days=1)


@dataclass(frozen=True)
class CheckedFile:
    file_type: str
    content_type: str
    sha256: str
    size: int


def _display_name(uploaded_file: Any) -> str:
    """The user's file name, at most 255 characters. A path (``../x.pdf``, ``C:\\x.pdf``, ``/x.pdf``)
    keeps its last part; any other "/" (a name made from a project's name, ``A/B-汇总.pdf``) becomes
    "_" instead of cutting the name (SEC-16)."""
    raw = str(getattr(uploaded_file, "name", "") or "").replace("\\", "/")
    parts = raw.split("/")
    if any(part.strip() in ("", ".", "..") for part in parts[:-1]) or re.match(r"^[A-Za-z]:$", parts[0]):
        name = PurePath(raw).name.strip()
    else:
        name = "_".join(parts).strip()
    if len(name) > 255:
        suffix = PurePath(name).suffix[:20]
        name = name[: 255 - len(suffix)] + suffix
    return name


def _digest(uploaded_file: Any) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
        size += len(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest(), size


def check_file(kind: str, uploaded_file: Any) -> CheckedFile:
    """Validate ``uploaded_file`` against ``kind``'s policy; a ValidationError says why, in the
    user's language, naming the file."""
    policy = get_policy(kind)
    name = _display_name(uploaded_file) or "?"
    kind_label = AttachmentKind(kind).label
    declared = getattr(uploaded_file, "size", None)
    if declared is not None and declared > policy.max_bytes:
        raise _too_large(name, declared, kind_label, policy.max_bytes)
    expected = policy.type_for_extension(name)
    if PurePath(name).suffix.lower() in sniffing.MACRO_EXTENSIONS:
        raise _macro_refused(name)
    if expected is None:
        raise ValidationError(
            _("“{name}” is not an accepted file type: {kind} files may be {extensions}.").format(
                name=name, kind=kind_label, extensions="、".join(policy.extensions)
            ),
            code="unknown_type",
        )
    sha256, size = _digest(uploaded_file)
    if size == 0:
        raise ValidationError(_("“{name}” is empty.").format(name=name), code="empty")
    if size > policy.max_bytes:
        raise _too_large(name, size, kind_label, policy.max_bytes)
    detected = sniffing.detect(uploaded_file, text_as=expected if expected in ("csv", "text") else "text")
    if detected == sniffing.ENCRYPTED:
        raise ValidationError(
            _("“{name}” is password-protected or in an old Office format: save it without a password as {ext}.").format(
                name=name, ext=PurePath(name).suffix.lower()
            ),
            code="encrypted",
        )
    if detected != expected:
        raise ValidationError(
            _("The content of “{name}” does not match its extension (expected: {type}).").format(
                name=name, type=FileType(expected).label
            ),
            code="disguised",
        )
    found = sniffing.hazard(uploaded_file, expected)
    if found == sniffing.MACRO:
        raise _macro_refused(name)
    if found is not None:
        raise ValidationError(
            _(
                "“{name}” is a {type} that can also be read as {other}: such files are refused. "
                "Save or export it again as a plain {type}."
            ).format(name=name, type=FileType(expected).label, other=POLYGLOT_LABELS[found]),
            code="polyglot",
        )
    return CheckedFile(file_type=expected, content_type=FILE_TYPES[expected][1], sha256=sha256, size=size)


#: what a polyglot also is, in words
POLYGLOT_LABELS = {
    sniffing.HTML: gettext_lazy("a web page (HTML)"),
    sniffing.ZIP: gettext_lazy("a ZIP archive"),
    sniffing.PDF: gettext_lazy("a PDF document"),
}


def _macro_refused(name: str) -> ValidationError:
    return ValidationError(
        _(
            "“{name}” contains macros: macro-enabled Office documents are refused. "
            "Save it as a document without macros (.docx or .xlsx)."
        ).format(name=name),
        code="macro",
    )


def _too_large(name: str, size: int, kind_label: Any, limit: int) -> ValidationError:
    return ValidationError(
        _("“{name}” is {size}; {kind} files are limited to {limit}.").format(
            name=name, size=filesizeformat(size), kind=kind_label, limit=filesizeformat(limit)
        ),
        code="too_large",
    )


@transaction.atomic
def store_attachment(*, actor: User, project: Any, kind: str, uploaded_file: Any, pending: bool = False) -> Attachment:
    """Check and store one file of ``kind`` for ``project`` (None: a programme-level file).

    ``pending`` keeps it unbound until a form using it is saved (``bind_attachment``).
    """
    if not can_write_kind(actor, kind, project):
        raise ActionForbidden(kind_forbidden_message(kind))
    checked = check_file(kind, uploaded_file)
    attachment = Attachment(
        original_name=_display_name(uploaded_file),
        sha256=checked.sha256,
        size=checked.size,
        file_type=checked.file_type,
        content_type=checked.content_type,
        kind=kind,
        project=project,
        uploaded_by=actor,
        pending=pending,
    )
    content = uploaded_file if isinstance(uploaded_file, File) else File(uploaded_file)
    content.seek(0)
    attachment.file.save(attachment.original_name, content, save=False)
    set_history_user(attachment, actor)
    try:
        attachment.save()
    except Exception:
        if attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def kind_forbidden_message(kind: str) -> str:
    """Why a file of ``kind`` was refused: who writes that kind (in the user's language)."""
    writer = KIND_WRITERS.get(str(kind))
    label = AttachmentKind(kind).label if kind in AttachmentKind.values else kind
    return _("You may not add {kind} files to this project: they are filed by {who}.").format(
        kind=label, who=writer.who if writer else "—"
    )


def _lock(attachment: Attachment) -> Attachment:
    return Attachment.objects.select_for_update(of=("self",)).select_related("project").get(pk=attachment.pk)


@transaction.atomic
def bind_attachment(*, actor: User, attachment: Attachment, project: Any, kind: str) -> Attachment:
    """Bind a pending attachment the actor uploaded to ``project`` as ``kind`` (a form was saved).

    Only a pending file can be bound, once: a bound one belongs to another record already.
    """
    locked = _lock(attachment)
    if (
        not locked.pending
        or locked.project_id != getattr(project, "pk", None)
        or locked.kind != kind
        or locked.removed_at is not None
    ):
        raise ValidationError(_("This file is no longer available: choose it again."), code="unavailable")
    if locked.uploaded_by_id != actor.pk or not can(actor, "change", locked):
        raise ActionForbidden()
    locked.pending = False
    set_history_user(locked, actor)
    locked.save(update_fields=["pending"])
    return locked


def _retire(actor: User, old: Attachment, replacement: Attachment | None) -> None:
    """Keep ``old``'s row as a record (name, sha256, who, when) but remove its stored file."""
    name = old.file.name
    old.replaced_by = replacement
    old.removed_at = timezone.now()
    old.file = ""
    set_history_user(old, actor)
    old.save(update_fields=["replaced_by", "removed_at", "file"])
    if name:
        remove_stored_file(name)


@transaction.atomic
def replace_attachment(
    *, actor: User, attachment: Attachment, uploaded_file: Any = None, replacement: Attachment | None = None
) -> Attachment:
    """Replace ``attachment`` by a new upload or a ``replacement`` stored with ``pending=True``.

    The old row stays as history with ``replaced_by`` set; its stored file is removed.
    """
    old = _lock(attachment)
    if not can(actor, "change", old):
        raise ActionForbidden()
    if replacement is None:
        new = store_attachment(actor=actor, project=old.project, kind=old.kind, uploaded_file=uploaded_file)
    else:
        new = bind_attachment(actor=actor, attachment=replacement, project=old.project, kind=old.kind)
    if new.pk != old.pk:
        _retire(actor, old, new)
    return new


def held_elsewhere(*, besides: Any) -> Q:
    """SQL: the attachment is referred to by a record other than through the field ``besides``
    (e.g. ``Job._meta.get_field("result")``): an issued document's PDF, a file a change request, a
    plan version or a step links, an import's workbook... Every relation to Attachment counts, found
    from the models themselves, so a new one is covered without anyone listing it; history rows
    and an attachment's own ``replaced_by`` (a record of the past) do not hold a file."""
    from simple_history.models import HistoricalChanges

    held = Q(pk__in=[])  # matches nothing while no relation is found
    for relation in Attachment._meta.get_fields(include_hidden=True):
        # every foreign key to Attachment, those of many-to-many tables included (their
        # ManyToManyRel is skipped: the table's own key says the same)
        if not (relation.is_relation and relation.auto_created and not relation.concrete) or relation.many_to_many:
            continue
        field = relation.field  # type: ignore[union-attr]
        holder = field.model
        if field is besides or holder is Attachment or issubclass(holder, HistoricalChanges):
            continue
        held |= Q(Exists(holder._base_manager.filter(**{field.name: OuterRef("pk")})))
    return held


@transaction.atomic
def expire_attachment_file(*, attachment: Attachment, actor: User | None = None, besides: Any = None) -> bool:
    """Remove the stored file of ``attachment`` whose retention ended (a job's generated report),
    keeping its row (name, sha256, who, when) with ``removed_at`` set, so lists can say it expired.
    The caller decides what expires (``jobs.services.prune_expired_results``). False when the file
    was already gone, or when a record other than through ``besides`` (the field the retention is
    about) holds it: a file anything else refers to is never removed."""
    old = _lock(attachment)
    if old.removed_at is not None:
        return False
    if Attachment.objects.filter(pk=old.pk).filter(held_elsewhere(besides=besides)).exists():
        return False
    _retire(actor, old, None)  # type: ignore[arg-type]  # None: the system's retention, no person
    return True


@transaction.atomic
def delete_attachment(*, actor: User, attachment: Attachment) -> None:
    """Delete the attachment; its stored file is removed once the deletion commits."""
    old = _lock(attachment)
    if not can(actor, "change", old):
        raise ActionForbidden()
    set_history_user(old, actor)
    old.delete()


@transaction.atomic
def purge_pending_attachments(*, older_than: dt.timedelta = PENDING_LIFETIME, now: dt.datetime | None = None) -> int:
    """Delete pending attachments nobody claimed within ``older_than`` (a day); returns how many.

    Meant for a daily job (``greenbuild cleanup_attachments``).
    """
    cutoff = (now or timezone.now()) - older_than
    removed = 0
    for attachment in Attachment.objects.select_for_update().filter(pending=True, created_at__lt=cutoff):
        try:
            with transaction.atomic():
                attachment.delete()
        except ProtectedError:  # another app's record holds it after all: keep it
            continue
        removed += 1
    return removed


#: storage folders holding attachment files (``evidence/`` is where evidence lived before)
STORED_PREFIXES = ("attachments", "evidence")


def _walk(storage: Any, folder: str) -> Any:
    try:
        dirs, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield "{}/{}".format(folder, name)
    for sub in dirs:
        yield from _walk(storage, "{}/{}".format(folder, sub))


def purge_orphan_files(*, older_than: dt.timedelta = PENDING_LIFETIME, now: dt.datetime | None = None) -> int:
    """Remove stored files under the attachment folders that no attachment row refers to
    (left by a transaction that rolled back after storing), if older than ``older_than``."""
    from greenbuild.attachments.storage import attachment_storage

    cutoff = (now or timezone.now()) - older_than
    removed = 0
    for prefix in STORED_PREFIXES:
        for name in _walk(attachment_storage, prefix):
            if Attachment.objects.filter(file=name).exists():
                continue
            try:
                modified = attachment_storage.get_modified_time(name)
            except (NotImplementedError, OSError):
                continue
            if modified < cutoff:
                attachment_storage.delete(name)
                removed += 1
    return removed
