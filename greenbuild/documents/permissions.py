"""The one permission gate of the documents app: a document is read through its object's gate.

* view (and download) a document: whoever may ``view`` the object it is about, through that
  object's own registered gate (``core.permissions.gate_for``) — for a decision letter, whoever
  may open the review round (the bureau, the seated panel and its leader, the project's owner),
  and nobody else (a district or department user who cannot open the round gets 404);
* issue a document of a kind: a member of the party the kind names (``registry.Party``), when
  the kind's own ``may_issue`` agrees (for the letter: the round is concluded);
* re-issue: the same, on the current (not superseded) document.

The public verification page shows no document through this gate: it shows only the public
face of one document reached by its unguessable token (``views.verify``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404

from greenbuild.core.permissions import VIEW, Gate, gate_for, get_object_for_user, register_gate
from greenbuild.documents.registry import DocumentKind, get_party, kinds

ISSUE = "issue"


def can_view_subject(user: Any, kind: DocumentKind, obj: Any) -> bool:
    if obj is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(gate_for(kind.model).can(user, VIEW, obj))


def can_issue(user: Any, kind: DocumentKind, obj: Any) -> bool:
    """Whether ``user`` may issue (or re-issue) a document of ``kind`` about ``obj``."""
    if not can_view_subject(user, kind, obj):
        return False
    return bool(get_party(kind.issuer).is_member(user)) and bool(kind.may_issue(user, obj))


def can(user: Any, action: str, document: Any) -> bool:
    """``view`` a document, or ``issue`` (re-issue) it."""
    if document is None:
        return False
    spec = kinds().get(document.kind)
    if spec is None:
        return False
    obj = document.subject_object
    if action == VIEW:
        return can_view_subject(user, spec, obj)
    if action == ISSUE:
        return can_issue(user, spec, obj)
    return False


def restrict_documents(queryset: Any, user: Any, action: str = VIEW) -> Any:
    """The SQL form of ``view``: per kind, the objects its gate lets ``user`` see."""
    if action != VIEW:
        raise ValueError("unknown action {!r}".format(action))
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    from django.contrib.contenttypes.models import ContentType

    scope = Q(pk__in=[])
    for spec in kinds().values():
        gate = gate_for(spec.model)
        content_type = ContentType.objects.get_for_model(gate.model_class)
        visible = gate.for_user(user, VIEW).values("pk")
        scope |= Q(kind=spec.code, content_type=content_type, object_id__in=visible)
    return queryset.filter(scope)


DOCUMENT_GATE = register_gate(
    Gate(
        model="documents.IssuedDocument",
        can=can,
        restrict=restrict_documents,
        select_related=("content_type", "file", "issued_by", "supersedes", "superseded_by"),
    )
)


def get_document_for_user(user: Any, pk: Any, action: str = VIEW) -> Any:
    """The document, or 404 when ``user`` may not see its object (whether it exists or not)."""
    try:
        return get_object_for_user(DOCUMENT_GATE, user, pk, action)
    except Http404:
        raise Http404("No such document.") from None
