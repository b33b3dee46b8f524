"""Factories of the accounts app: organisations and users holding one role.

Shared entry: ``greenbuild.testing.factories`` re-exports these."""

from __future__ import annotations

import itertools
from typing import Any

import factory

from greenbuild.accounts.choices import OrganisationKind, Role
from greenbuild.accounts.models import Membership, Organisation, User
from greenbuild.core.credit_code import make_credit_code
from greenbuild.reference.models import District

_serial = itertools.count(1)


def credit_code() -> str:
    return make_credit_code("91320402{:09d}".format(next(_serial)))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: "测试单位{}".format(n))
    kind = OrganisationKind.OWNER
    credit_code = factory.LazyFunction(credit_code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: "user{}".format(n))
    password = factory.django.Password("pw-test-123")


def person(
    username: str, role: Role, organisation: Organisation, *, district: str | None = None, department: Any = None
) -> User:
    """A user holding one role in ``organisation`` (scoped to a district code where given)."""
    user = UserFactory(username=username, display_name=username)
    Membership.objects.create(
        user=user,
        organisation=organisation,
        role=role,
        district=District.objects.get(code=district) if district else None,
        department=department,
    )
    return user
