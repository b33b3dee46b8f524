"""Form helpers for file inputs: the browser checks sizes before sending (upload-limits.js), so a
too-large file is named on its row instead of the whole page being refused with a 413."""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from greenbuild.attachments.choices import AttachmentKind
from greenbuild.attachments.limits import FORM_OVERHEAD_BYTES
from greenbuild.attachments.policy import get_policy


def file_input_attrs(kind: str, *, files: int = 1) -> dict[str, Any]:
    """``accept`` and the size limits (with their messages) for an ``<input type="file">`` of ``kind``;
    ``files`` is how many the view accepts at once (its ``@accepts_uploads(..., files=)``)."""
    policy = get_policy(kind)
    body = policy.max_bytes * files
    return {
        "accept": policy.accept,
        "data-max-bytes": policy.max_bytes,
        "data-max-body": body + FORM_OVERHEAD_BYTES,
        "data-too-large": _("“{name}” is {size}; {kind} files are limited to {limit}.").format(
            name="{name}", size="{size}", kind=AttachmentKind(kind).label, limit=filesizeformat(policy.max_bytes)
        ),
        "data-body-too-large": _(
            "The chosen files come to {size}; one save accepts at most {limit}: save in several steps."
        ).format(size="{size}", limit=filesizeformat(body)),
    }
