"""Evidence uploads: checked for type and size before anything is stored."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
#: extension -> the first bytes every such file starts with (None: any text).
ALLOWED = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".dwg": (b"AC10",),
    ".ifc": (b"ISO-10303-21",),
}


def validate_evidence_file(upload: Any) -> None:
    """Refuse files of the wrong type (by extension and content) or over the size limit."""
    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in ALLOWED:
        raise ValidationError(
            _("Upload a PDF, image, Word, Excel, DWG or IFC file (got “%(ext)s”)."),
            code="evidence_type",
            params={"ext": suffix or "?"},
        )
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(_("Evidence files are limited to 20 MB."), code="evidence_size")
    if hasattr(upload, "open") and not getattr(upload, "_committed", False):
        upload.open("rb")
        head = upload.read(16)
        upload.seek(0)
        if not any(head.startswith(magic) for magic in ALLOWED[suffix]):
            raise ValidationError(
                _("The file's content does not match its “%(ext)s” extension."),
                code="evidence_content",
                params={"ext": suffix},
            )


def evidence_upload_to(instance: Any, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return "evidence/{}/{}{}".format(instance.scorecard.project_id, uuid.uuid4().hex, suffix)
