"""The three separated administrator duties (三员, GB/T 22239-2019 level 3; docs/security.md).

* **system** (系统管理员, ``Role.SYSTEM_ADMIN``): the configuration: programmes, reference data,
  rule tables, criteria schemes, step types, document series, every configuration model of the
  Django admin.
* **security** (安全管理员, ``Role.SECURITY_ADMIN``): accounts, memberships, permissions, locks and
  unlocks, password resets, other people's API tokens, second-factor devices.
* **audit** (审计管理员, ``Role.AUDIT_ADMIN``): reads and exports the security audit log, nothing
  else; their own entries are reviewed by the security administrator.

The programme's business records in the admin (a model with a field policy, such as projects and
organisations; a record a workflow or service writes; stored files) are none of the three: only the
bureau administrator reads them there, so the system administrator configures the platform without
reading confidential fields (``BUSINESS``).

Each role always holds its duty. With ``GREENBUILD_SEPARATE_DUTIES`` off (the demo, a small
installation), the bureau administrator (and a superuser, who counts as one) holds all three as
well. With it on, the bureau administrator keeps the business duties only, and the superuser flag
grants nothing in the admin beyond the duty roles the account holds.

Every gate of these duties asks :func:`has_duty`; the Django admin's model permissions come from
:class:`DutyPermissionBackend` (and :func:`restricted_superuser`, used by ``User.has_perm``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import BaseBackend

from greenbuild.accounts.choices import Role

SYSTEM = "system"
SECURITY = "security"
AUDIT = "audit"
DUTIES = (SYSTEM, SECURITY, AUDIT)
DUTY_ROLES = {SYSTEM: Role.SYSTEM_ADMIN, SECURITY: Role.SECURITY_ADMIN, AUDIT: Role.AUDIT_ADMIN}
#: Roles that administer the platform: the second factor is required of them (docs/security.md).
ADMINISTRATOR_ROLES = frozenset({Role.BUREAU_ADMIN, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

#: Admin models of the security duty (``app_label.model_name``); the audit log is the audit duty's;
#: every other model of the admin is configuration, the system duty's.
SECURITY_MODELS = frozenset(
    {
        "accounts.user",
        "accounts.membership",
        "accounts.loginfailure",
        "auth.group",
        "auth.permission",
        "api.apitoken",
        "otp_totp.totpdevice",
    }
)
AUDIT_MODELS = frozenset({"audit.auditevent"})
#: Not a duty of the three: the admin models of the programme's business, the bureau's alone.
BUSINESS = "business"
#: Business records that are neither field-policy nor service-only models.
BUSINESS_MODELS = frozenset({"attachments.attachment", "notifications.notification"})


def separate_duties() -> bool:
    return bool(getattr(settings, "GREENBUILD_SEPARATE_DUTIES", False))


def has_duty(user: Any, duty: str) -> bool:
    """Whether ``user`` holds ``duty`` (one of :data:`DUTIES`) now."""
    from greenbuild.accounts.roles import has_role, is_bureau_admin

    if duty not in DUTY_ROLES:
        raise ValueError(duty)
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return False
    if has_role(user, DUTY_ROLES[duty]):
        return True
    return not separate_duties() and is_bureau_admin(user)


def duties_of(user: Any) -> list[str]:
    return [duty for duty in DUTIES if has_duty(user, duty)]


def is_administrator(user: Any) -> bool:
    """An administrator or bureau role (the superuser included): who must use a second factor."""
    from greenbuild.accounts.roles import acts_as_superuser

    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False) or getattr(user, "is_staff", False) or acts_as_superuser(user):
        return True
    return any(m.role in ADMINISTRATOR_ROLES for m in user.memberships_cached())


def duty_of_model(app_label: str, model_name: str) -> str:
    key = "{}.{}".format(app_label, model_name.lower())
    if key in SECURITY_MODELS:
        return SECURITY
    if key in AUDIT_MODELS:
        return AUDIT
    if key in BUSINESS_MODELS or key in _business_records():
        return BUSINESS
    return SYSTEM


def _business_records() -> frozenset[str]:
    """Labels of the models with a field policy and of the service-only (workflow) records."""
    from greenbuild.core.admin import service_only_models
    from greenbuild.core.fields import registered_policies

    labels = {policy.label for policy in registered_policies()}
    labels |= {model._meta.label_lower for model in service_only_models()}
    return frozenset(labels - SECURITY_MODELS - AUDIT_MODELS)


def holds(user: Any, duty: str) -> bool:
    """:func:`has_duty`, and for ``BUSINESS`` the bureau administrator's role."""
    from greenbuild.accounts.roles import is_bureau_admin

    if duty == BUSINESS:
        return bool(getattr(user, "is_active", False)) and is_bureau_admin(user)
    return has_duty(user, duty)


def _split(perm: str) -> tuple[str, str, str] | None:
    app_label, _dot, codename = perm.partition(".")
    action, _sep, model_name = codename.partition("_")
    if not app_label or action not in ("view", "add", "change", "delete") or not model_name:
        return None
    return app_label, action, model_name


class DutyPermissionBackend(BaseBackend):
    """The admin's model permissions of the three duties: a holder of a duty may view, add, change
    and delete the models of that duty (the audit log: view only) as far as each ``ModelAdmin``
    allows. Authenticates nobody."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        parts = _split(perm)
        if parts is None or not getattr(user_obj, "is_active", False):
            return False
        app_label, action, model_name = parts
        duty = duty_of_model(app_label, model_name)
        if duty == AUDIT and action != "view":
            return False
        return holds(user_obj, duty)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        from django.apps import apps

        if not getattr(user_obj, "is_active", False):
            return False
        try:
            models = apps.get_app_config(app_label).get_models()
        except LookupError:
            return False
        return any(holds(user_obj, duty_of_model(app_label, m._meta.model_name or "")) for m in models)


def restricted_superuser(user: Any) -> bool:
    """A superuser whose flag counts for nothing in the admin: duties are separated."""
    return bool(getattr(user, "is_superuser", False)) and separate_duties()


def superuser_has_perm(user: Any, perm: str, obj: Any = None) -> bool:
    """``has_perm`` of a restricted superuser: the duty roles and the rules, never the flag."""
    from rules.permissions import ObjectPermissionBackend

    return DutyPermissionBackend().has_perm(user, perm, obj) or ObjectPermissionBackend().has_perm(user, perm, obj)


def superuser_has_module_perms(user: Any, app_label: str) -> bool:
    return DutyPermissionBackend().has_module_perms(user, app_label)
