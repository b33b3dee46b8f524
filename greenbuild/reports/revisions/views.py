"""View helpers for the pages of a parent of frozen revisions: the running job's progress and a
revision's files. The views themselves stay in the app (their gate, their words, their URLs)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import FileResponse, Http404, HttpRequest

from greenbuild.attachments.downloads import content_disposition
from greenbuild.reports.revisions.models import FrozenRevision, RevisionStatus

#: the ``fmt`` of a file URL -> the revision's field
FORMATS = {"pdf": "pdf", "xlsx": "workbook"}


def generating_context(request: HttpRequest, revisions: Sequence[FrozenRevision]) -> tuple[Any, dict[str, Any]]:
    """The revision being generated (or None) and, when it has a job, the job's progress context
    for ``jobs/partials/job_progress.html`` (``job``, ``can_retry``)."""
    generating = next((r for r in revisions if r.status == RevisionStatus.GENERATING), None)
    if generating is None or generating.job is None:
        return generating, {}
    from greenbuild.jobs import selectors as job_selectors
    from greenbuild.jobs.permissions import RETRY
    from greenbuild.jobs.permissions import can as can_job

    return generating, {
        "job": job_selectors.with_links(request.user, generating.job),
        "can_retry": can_job(request.user, RETRY, generating.job),
    }


def revision_attachment(revision: FrozenRevision | None, fmt: str) -> Any:
    """The generated revision's PDF (``fmt="pdf"``) or workbook (``"xlsx"``), or 404."""
    if fmt not in FORMATS or revision is None or revision.status != RevisionStatus.READY:
        raise Http404("No such file.")
    attachment = getattr(revision, FORMATS[fmt])
    if attachment is None or attachment.removed_at is not None:
        raise Http404("No such file.")
    return attachment


def serve_revision_file(attachment: Any, *, noun: str, public: bool = False) -> FileResponse:
    """The file as a download, sandboxed; cached a few minutes only when ``public``. A file
    without a usable name downloads as ``<noun>-<id>``."""
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition(
        attachment.original_name, default_stem="{}-{}".format(noun, attachment.pk)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
