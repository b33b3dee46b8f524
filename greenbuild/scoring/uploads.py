"""Evidence files now live in ``greenbuild.attachments`` (kind "evidence"): see its services.

Kept only because migration 0001 names these two functions; new code uses
``greenbuild.attachments.services.store_attachment`` and its kind policy.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from greenbuild.attachments.choices import AttachmentKind


def validate_evidence_file(upload: Any) -> None:
    """Refuse what the evidence policy refuses (type by content, size)."""
    from greenbuild.attachments.services import check_file

    if hasattr(upload, "chunks"):
        check_file(AttachmentKind.EVIDENCE, upload)


def evidence_upload_to(instance: Any, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return "evidence/{}/{}{}".format(instance.scorecard.project_id, uuid.uuid4().hex, suffix)
