"""The audit gate (等保2.0 level 3, 三员; docs/security.md, "Separated administrator duties").

* The audit administrator reads and exports the whole log, except the entries they made
  themselves: nobody reviews their own actions.
* The security administrator reviews the audit administrator: they read the entries made by
  holders of the audit administrator role (never their own either).
* With duties not separated (``GREENBUILD_SEPARATE_DUTIES`` off) the bureau administrator holds
  both duties, so reads everything but their own entries.

Signed-in users without a duty get 403 (the page's existence is no secret); anonymous visitors
are sent to sign in.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from greenbuild.audit.models import AuditEvent

ACTIONS = {"view_audit", "export_audit"}


def _duties(user: Any) -> tuple[bool, bool]:
    from greenbuild.accounts.duties import AUDIT, SECURITY, has_duty  # inside: accounts records through audit

    return has_duty(user, AUDIT), has_duty(user, SECURITY)


def can(user: Any, action: str, obj: Any = None) -> bool:
    if action not in ACTIONS:
        raise ValueError(action)
    if not getattr(user, "is_authenticated", False):
        return False
    return any(_duties(user))


def events_for_user(user: Any) -> QuerySet[AuditEvent]:
    """The entries ``user`` may review (403 for anyone without an audit or security duty)."""
    from greenbuild.accounts.choices import Role

    if not can(user, "view_audit"):
        raise PermissionDenied
    auditor, _security = _duties(user)
    events = AuditEvent.objects.select_related("target_type").exclude(actor_id=user.pk)
    if not auditor:  # the security administrator: the audit administrators' entries only
        events = events.filter(actor__memberships__role=Role.AUDIT_ADMIN).distinct()
    return events
