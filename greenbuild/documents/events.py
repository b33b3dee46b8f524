"""The register's notification: "评审意见书 常住建绿审〔2026〕3号 已出具", told to the kind's audience
and read only by those the document's gate lets read it (registered in ``DocumentsConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from greenbuild.notifications.registry import Verb, register_verb

ISSUED = "documents.issued"


def _render(event: Any) -> str:
    from greenbuild.documents.registry import kinds

    spec = kinds().get(event.params.get("kind", ""))
    return _("{kind} {number} has been issued: {subject}").format(
        kind=spec.label if spec is not None else event.params.get("kind", ""),
        number=event.params.get("number", ""),
        subject=event.params.get("subject", ""),
    )


def _url(event: Any) -> str | None:
    document_id = event.params.get("document")
    return reverse("documents:document-detail", args=[document_id]) if document_id else None


def _audience(event: Any) -> Q:
    from greenbuild.documents.models import IssuedDocument
    from greenbuild.documents.registry import kinds

    document = IssuedDocument.objects.filter(pk=event.params.get("document")).first()
    spec = kinds().get(document.kind) if document is not None else None
    audience = spec.audience(document.subject_object) if spec is not None and document is not None else None
    return audience if audience is not None else Q(pk__in=[])


def _readers(users: list[Any], event: Any) -> list[Any]:
    from greenbuild.documents.models import IssuedDocument
    from greenbuild.documents.permissions import can

    document = IssuedDocument.objects.filter(pk=event.params.get("document")).first()
    return [u for u in users if document is not None and can(u, "view", document)]


def notify_issued(document_id: int) -> None:
    from greenbuild.documents.models import IssuedDocument
    from greenbuild.notifications.services import emit

    document = IssuedDocument.objects.select_related("issued_by", "project").get(pk=document_id)
    emit(
        ISSUED,
        actor=document.issued_by,
        project=document.project,
        target=document,
        params={"document": document.pk, "kind": document.kind, "number": document.number, "subject": document.subject},
    )


def register() -> None:
    register_verb(Verb(code=ISSUED, render=_render, url=_url, audience=_audience, readers=_readers))
