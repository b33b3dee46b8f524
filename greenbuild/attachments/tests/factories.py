"""Factories of the attachments app: files stored through ``attachments.services.store_attachment``
(checked by kind and content like any upload).

Shared entry: ``greenbuild.testing.factories`` re-exports these."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from greenbuild.accounts.models import User
from greenbuild.attachments import services
from greenbuild.attachments.choices import AttachmentKind
from greenbuild.attachments.models import Attachment

#: The smallest file every evidence-like kind accepts.
PDF_BYTES = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def make_attachment(
    project: Any,
    *,
    actor: User,
    kind: str = AttachmentKind.EVIDENCE,
    name: str = "证明材料.pdf",
    content: bytes = PDF_BYTES,
    pending: bool = False,
) -> Attachment:
    """A file ``actor`` attached to ``project`` (None: a programme-level file)."""
    uploaded = SimpleUploadedFile(name, content, content_type="application/pdf")
    return services.store_attachment(actor=actor, project=project, kind=kind, uploaded_file=uploaded, pending=pending)
