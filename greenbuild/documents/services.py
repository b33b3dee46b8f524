"""Every write of the documents register: issue, re-issue; and the check of a copy.

``issue_document`` runs in one transaction: it locks the object the document is about (so two
presses for one object wait for each other and the second finds the first document), locks the
counter row of the kind and year (``select_for_update``), takes the next serial, renders the PDF
with its number and QR code (in Chinese, whatever the UI language), stores it through the
attachments app and files the row. A failure anywhere rolls the counter back with the rest, so
the numbers of a kind and year run 1, 2, 3… with no gap and no duplicate.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from greenbuild.accounts.models import User
from greenbuild.attachments.choices import AttachmentKind, FileType
from greenbuild.attachments.limits import FORM_OVERHEAD_BYTES, default_body_limit
from greenbuild.attachments.services import check_file, store_attachment
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.permissions import parse_id
from greenbuild.documents import permissions
from greenbuild.documents.events import notify_issued
from greenbuild.documents.models import DocumentCounter, DocumentSeries, IssuedDocument
from greenbuild.documents.qr import qr_data_uri
from greenbuild.documents.registry import DocumentKind, IssueDraft, get_kind, get_party

#: the attachment kind the PDFs are filed as (its policy: PDF, size limit)
FILE_KIND = AttachmentKind.REPORT


def format_number(prefix: str, year: int, serial: int) -> str:
    """常住建绿审〔2026〕3号: prefix, the year in 〔〕, the serial and 号."""
    return "{}〔{}〕{}号".format(prefix, year, serial)


def verify_url(token: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("documents:verify", args=[token])
    return "{}{}".format(settings.SITE_URL, path)


def series_of(kind: DocumentKind) -> DocumentSeries:
    """The kind's numbering series, created from the kind's defaults the first time."""
    series, _created = DocumentSeries.objects.get_or_create(
        kind=kind.code,
        defaults={
            "prefix": kind.prefix,
            "issuer_name": get_party(kind.issuer).default_name,
            "place": kind.place,
        },
    )
    return series


def take_serial(kind_code: str, year: int) -> int:
    """The next serial of ``kind_code`` in ``year``, the counter row locked until the caller's
    transaction ends (so a rollback returns the serial: no gap)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_serial must run inside the issuing transaction")
    DocumentCounter.objects.bulk_create([DocumentCounter(kind=kind_code, year=year)], ignore_conflicts=True)
    counter = DocumentCounter.objects.select_for_update().get(kind=kind_code, year=year)
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    return counter.last_serial


def _lock_subject(kind: DocumentKind, object_id: Any) -> Any:
    from greenbuild.core.permissions import gate_for

    model = gate_for(kind.model).model_class
    number = parse_id(object_id)
    obj = model._default_manager.select_for_update().filter(pk=number).first() if number else None
    if obj is None:
        raise DomainError(_("No such object."))
    return obj


def current_documents(kind: DocumentKind, obj: Any) -> Any:
    content_type = ContentType.objects.get_for_model(obj)
    return IssuedDocument.objects.filter(kind=kind.code, content_type=content_type, object_id=obj.pk)


def current_document(kind_code: str, obj: Any) -> IssuedDocument | None:
    """The document of ``kind_code`` about ``obj`` that no re-issue superseded, if any."""
    return current_documents(get_kind(kind_code), obj).current().first()  # type: ignore[no-any-return]


def _file_name(kind: DocumentKind, number: str) -> str:
    with translation.override("zh-hans"):
        label = str(kind.label)
    safe = "".join(c for c in number if c not in '/\\:*?"<>|')
    return "{}-{}.pdf".format(label, safe)


def _file(
    *, actor: User, kind: DocumentKind, obj: Any, supersedes: IssuedDocument | None, reason: str
) -> IssuedDocument:
    series = series_of(kind)
    now = timezone.now()
    year = timezone.localdate(now).year
    serial = take_serial(kind.code, year)
    number = format_number(series.prefix, year, serial)
    document = IssuedDocument(
        kind=kind.code,
        year=year,
        serial=serial,
        number=number,
        issuer_name=series.issuer_name,
        place=series.place,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        issued_by=actor,
        issued_at=now,
        supersedes=supersedes,
        reason=reason,
    )
    with translation.override("zh-hans"):
        document.subject = str(kind.subject(obj))[:300]
        draft = IssueDraft(
            number=number,
            issued_on=timezone.localdate(now),
            issuer_name=series.issuer_name,
            place=series.place,
            verify_url=verify_url(document.token),
            qr_data_uri=qr_data_uri(verify_url(document.token)),
            supersedes_number=supersedes.number if supersedes else "",
            reason=reason,
        )
        pdf = kind.render(obj, draft)
    attachment = store_attachment(
        actor=actor, project=None, kind=FILE_KIND, uploaded_file=ContentFile(pdf, name=_file_name(kind, number))
    )
    document.file = attachment
    document.sha256 = attachment.sha256
    document.size = attachment.size
    project = kind.project_of(obj)
    document.project_id = getattr(project, "pk", None)
    document.save(force_insert=True)
    document_id = document.pk
    transaction.on_commit(lambda: notify_issued(document_id))
    return document


@transaction.atomic
def issue_document(*, actor: User, kind: str, object_id: Any) -> tuple[IssuedDocument, bool]:
    """Issue the document of ``kind`` about the object ``object_id``, once.

    Returns ``(document, created)``: a second press finds the current document and files
    nothing (a new number only through ``reissue_document``, with a reason).
    """
    spec = get_kind(kind)
    obj = _lock_subject(spec, object_id)
    if not permissions.can_issue(actor, spec, obj):
        raise ActionForbidden()
    existing = current_documents(spec, obj).current().first()
    if existing is not None:
        return existing, False
    return _file(actor=actor, kind=spec, obj=obj, supersedes=None, reason=""), True


@transaction.atomic
def reissue_document(*, actor: User, document_id: Any, reason: str) -> IssuedDocument:
    """Issue a new document, with a new number, that supersedes ``document_id`` (已作废).

    Only the current document can be superseded, once: a second press is refused, not doubled.
    """
    number = parse_id(document_id)
    found = IssuedDocument.objects.filter(pk=number).first() if number else None
    if found is None:
        raise DomainError(_("No such document."))
    spec = get_kind(found.kind)
    obj = _lock_subject(spec, found.object_id)
    if not permissions.can_issue(actor, spec, obj):
        raise ActionForbidden()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the re-issue."), field="reason")
    old = IssuedDocument.objects.get(pk=found.pk)
    successor = old.successor
    if successor is not None:
        raise DomainError(
            _("{number} has already been superseded by {successor}.").format(
                number=old.number, successor=successor.number
            )
        )
    return _file(actor=actor, kind=spec, obj=obj, supersedes=old, reason=reason)


def copy_limit() -> int:
    """The largest copy the public verification pages take: what the platform's default request
    limit leaves (an issued document is far smaller; nobody uploads 100 MB anonymously)."""
    return default_body_limit() - FORM_OVERHEAD_BYTES


def check_copy(uploaded_file: Any) -> str:
    """The SHA-256 of an uploaded copy, after the attachments' checks (a PDF by its content,
    whatever its name says, within ``copy_limit``); a ValidationError says what is wrong with it."""
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > copy_limit():
        raise ValidationError(
            _("The copy is {size}; a copy to check may be at most {limit}.").format(
                size=filesizeformat(size), limit=filesizeformat(copy_limit())
            ),
            code="too_large",
        )
    name = str(getattr(uploaded_file, "name", "") or "")
    if PurePath(name).suffix.lower() != ".pdf":
        # a saved copy may have lost its extension: the content decides, not the name
        uploaded_file.name = "{}.pdf".format(PurePath(name).stem or "copy")
    try:
        checked = check_file(FILE_KIND, uploaded_file)
    except ValidationError as error:
        if getattr(error, "code", None) in ("disguised", "unknown_type"):
            raise ValidationError(_("Upload the document as the PDF file it was issued as."), code="not_pdf") from None
        raise
    if checked.file_type != FileType.PDF:
        raise ValidationError(_("Upload the document as the PDF file it was issued as."), code="not_pdf")
    return checked.sha256
