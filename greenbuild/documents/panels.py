"""The issued-documents panel of the project page (registered in ``DocumentsConfig.ready``)."""

from __future__ import annotations

from typing import Any

from greenbuild.documents.models import IssuedDocument


def documents_panel_context(request: Any, project: Any) -> dict[str, Any] | None:
    """The project's documents the user may read, newest first (constant queries), or None."""
    documents = list(
        IssuedDocument.objects.for_user(request.user)
        .filter(project_id=project.pk)
        .select_related("superseded_by")
        .order_by("-issued_at", "-pk")[:10]
    )
    if not documents:
        return None
    return {"issued_documents": documents}
