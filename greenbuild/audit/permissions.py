"""The audit gate: only the bureau administrator reads the security audit log (等保2.0 level 3).

Signed-in users without the role get 403 (the page's existence is no secret); anonymous visitors
are sent to sign in.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from greenbuild.audit.models import AuditEvent

ACTIONS = {"view_audit"}


def can(user: Any, action: str, obj: Any = None) -> bool:
    from greenbuild.accounts.roles import is_bureau_admin  # inside: accounts records its events through audit

    if action not in ACTIONS:
        raise ValueError(action)
    return bool(getattr(user, "is_authenticated", False)) and is_bureau_admin(user)


def events_for_user(user: Any) -> QuerySet[AuditEvent]:
    if not can(user, "view_audit"):
        raise PermissionDenied
    return AuditEvent.objects.select_related("target_type")
