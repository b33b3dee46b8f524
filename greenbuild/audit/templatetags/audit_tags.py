from django import template

from greenbuild.audit.describe import describe
from greenbuild.audit.models import AuditEvent

register = template.Library()


@register.filter
def audit_summary(event: AuditEvent) -> str:
    return describe(event)


@register.filter
def can_view_audit(user: object) -> bool:
    from greenbuild.audit import permissions

    return permissions.can(user, "view_audit")
