from django import template

from greenbuild.audit.describe import describe, target_text, target_type_label
from greenbuild.audit.models import AuditEvent

register = template.Library()


@register.filter
def audit_summary(event: AuditEvent) -> str:
    return describe(event)


@register.filter
def can_view_audit(user: object) -> bool:
    from greenbuild.audit import permissions

    return permissions.can(user, "view_audit")


@register.filter
def audit_target(event: AuditEvent) -> str:
    return target_text(event)


@register.filter
def can_unlock_accounts(user: object) -> bool:
    from greenbuild.accounts import permissions

    return permissions.can(user, "unlock_accounts")


@register.filter
def may_use_otp(user: object) -> bool:
    """Whether the menu offers the second factor: to administrator and bureau roles."""
    from greenbuild.accounts.duties import is_administrator

    return is_administrator(user)


@register.filter
def audit_target_type(event: AuditEvent) -> str:
    return target_type_label(event)
