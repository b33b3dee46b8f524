"""``{% issued_documents obj "kind" issue_url=… %}``: an object's documents of a kind, on its page.

Lists every document of the kind about ``obj`` (the current one first, superseded ones marked
已作废), each with its download link, for a reader the object's gate lets see them; offers the
issue button (posting to ``issue_url``) only to whoever may issue and only while none is current.
"""

from __future__ import annotations

from typing import Any

from django import template

from greenbuild.documents import permissions
from greenbuild.documents.registry import get_kind

register = template.Library()


@register.inclusion_tag("documents/partials/object_documents.html", takes_context=True)
def issued_documents(context: Any, obj: Any, kind_code: str, issue_url: str = "") -> dict[str, Any]:
    from greenbuild.documents.services import current_documents

    request = context.get("request")
    user = getattr(request, "user", None)
    kind = get_kind(kind_code)
    if obj is None or not permissions.can_view_subject(user, kind, obj):
        return {"visible": False}
    documents = list(current_documents(kind, obj).select_related("superseded_by").order_by("-issued_at", "-pk"))
    current = next((d for d in documents if d.is_current), None)
    may_issue = permissions.can_issue(user, kind, obj)
    return {
        "visible": True,
        "kind": kind,
        "documents": documents,
        "current": current,
        "can_issue": may_issue and current is None and bool(issue_url),
        "can_reissue": may_issue and current is not None,
        "issue_url": issue_url,
        "csrf_token": context.get("csrf_token"),
    }
