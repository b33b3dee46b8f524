"""The accounts app's field policy (``core.fields``): what each reader sees of organisations and
people.

* an organisation's unified social credit code and contact phone: its own members and the bureau
  (the public and other companies read its name, kind and district);
* a person's e-mail address, account state and sign-in record: the person and the bureau (others
  read the name the pages show).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from greenbuild.core.fields import Audience, FieldPolicy, register_field_policy


def organisation_audience(user: Any, organisation: Any) -> Audience:
    from greenbuild.accounts.roles import is_bureau_admin

    if is_bureau_admin(user):
        return Audience.INTERNAL
    if getattr(user, "is_authenticated", False) and any(
        m.organisation_id == organisation.pk for m in user.memberships_cached()
    ):
        return Audience.INTERNAL
    return Audience.PUBLIC


def organisation_internal_scope(user: Any) -> Q:
    from greenbuild.accounts.roles import is_bureau_admin

    if is_bureau_admin(user):
        return Q()
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return Q(pk__in={m.organisation_id for m in user.memberships_cached()})


ORGANISATION_FIELDS = register_field_policy(
    FieldPolicy(
        model="accounts.Organisation",
        internal=frozenset({"credit_code", "contact_phone", "created_at", "updated_at"}),
        audience=organisation_audience,
        internal_scope=organisation_internal_scope,
    )
)


def user_audience(user: Any, person: Any) -> Audience:
    from greenbuild.accounts.roles import is_bureau_admin

    if getattr(user, "is_authenticated", False) and user.pk == person.pk:
        return Audience.INTERNAL
    return Audience.INTERNAL if is_bureau_admin(user) else Audience.PUBLIC


def user_internal_scope(user: Any) -> Q:
    from greenbuild.accounts.roles import is_bureau_admin

    if is_bureau_admin(user):
        return Q()
    return Q(pk=user.pk) if getattr(user, "is_authenticated", False) else Q(pk__in=[])


USER_FIELDS = register_field_policy(
    FieldPolicy(
        model="accounts.User",
        internal=frozenset(
            {
                "email",
                "password",
                "last_login",
                "date_joined",
                "must_change_password",
                "failed_login_count",
                "last_failed_login_at",
                "locked_until",
                "is_staff",
                "is_superuser",
                "memberships",
            }
        ),
        audience=user_audience,
        internal_scope=user_internal_scope,
    )
)
