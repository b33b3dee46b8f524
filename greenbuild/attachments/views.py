"""Downloads, served only through the gate (stored files are never served directly)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from greenbuild.attachments.downloads import content_disposition
from greenbuild.attachments.permissions import get_attachment_for_user


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    """The file under its original name, with the type detected at upload; 404 when invisible."""
    attachment = get_attachment_for_user(request.user, pk)
    try:
        stored = attachment.file.open("rb")
    except FileNotFoundError:  # removed since the row was read (an expired result being pruned)
        raise Http404("No such attachment.") from None
    response = FileResponse(stored, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition(
        attachment.original_name, default_stem="attachment-{}".format(attachment.pk)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
