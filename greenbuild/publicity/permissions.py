"""The one gate of publicity (R26). The public face (published notices, answered objections and
messages, without contact details) needs no gate: ``selectors.public_*`` read only that. Inside:

* notices and their objections — view: the bureau, the official of the project's district and
  the project's owner; change (write, publish, withdraw a notice; answer an objection): the bureau;
  the objector's contact details: the bureau only;
* public messages — view and answer: the bureau, the official of the project's district and the
  project's owner (the message is routed to both); the sender's contact details: the bureau and
  the district, never the owner.

Nobody else sees anything inside (404).
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from greenbuild.accounts.choices import Role
from greenbuild.accounts.roles import district_ids, is_bureau_admin, organisation_ids
from greenbuild.core.permissions import CHANGE, VIEW, Gate, register_gate

ANSWER = "answer"
CONTACT = "contact"  # read the contact details


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _in_scope(user: Any, project: Any) -> bool:
    if not _active(user) or project is None:
        return False
    if is_bureau_admin(user):
        return True
    return project.district_id in district_ids(user) or project.owner_id in organisation_ids(user, Role.OWNER_APPLICANT)


def _scope_q(user: Any, prefix: str) -> Q | None:
    """None: everything; an empty Q list means nothing."""
    if is_bureau_admin(user):
        return None
    return Q(**{prefix + "district_id__in": district_ids(user)}) | Q(
        **{prefix + "owner_id__in": organisation_ids(user, Role.OWNER_APPLICANT)}
    )


def project_of(obj: Any) -> Any:
    return obj.notice.project if hasattr(obj, "notice_id") else obj.project


def can(user: Any, action: str, obj: Any) -> bool:
    """``action`` on a notice, an objection or a message (None: creating a notice)."""
    if not _active(user):
        return False
    model = obj._meta.model_name if obj is not None else "publicnotice"
    if obj is None:
        return action in (VIEW, CHANGE) and is_bureau_admin(user)
    project = project_of(obj)
    if not _in_scope(user, project):
        return False
    if action == VIEW:
        return True
    if model == "publicmessage":
        if action == ANSWER:
            return True
        if action == CONTACT:
            return is_bureau_admin(user) or project.district_id in district_ids(user)
        return False
    return is_bureau_admin(user)  # notices and objections: change, answer, contact


def restrict(queryset: Any, user: Any, action: str = VIEW) -> Any:
    if not _active(user):
        return queryset.none()
    prefix = "notice__project__" if queryset.model._meta.model_name == "objection" else "project__"
    if action != VIEW and queryset.model._meta.model_name != "publicmessage":
        return queryset if is_bureau_admin(user) else queryset.none()
    scope = _scope_q(user, prefix)
    return queryset if scope is None else queryset.filter(scope)


@rules.predicate
def _may_view(user: Any, obj: Any = None) -> bool:
    return can(user, VIEW, obj)


@rules.predicate
def is_bureau(user: Any, obj: Any = None) -> bool:
    return can(user, CHANGE, obj)


@rules.predicate
def routed_to_the_district_or_the_owner(user: Any, obj: Any = None) -> bool:
    """The message is routed to the official of the project's district and the project's owner
    (and the bureau sees and answers it too)."""
    return can(user, ANSWER, obj)


for _model in ("publicnotice", "objection", "publicmessage"):
    rules.add_perm("publicity.view_{}".format(_model), _may_view)
for _move in ("publish", "withdraw", "change"):
    rules.add_perm("publicity.{}_publicnotice".format(_move), is_bureau)
rules.add_perm("publicity.answer_objection", is_bureau)
rules.add_perm("publicity.answer_publicmessage", routed_to_the_district_or_the_owner)


for _label in ("publicity.PublicNotice", "publicity.Objection", "publicity.PublicMessage"):
    register_gate(
        Gate(
            model=_label,
            can=can,
            restrict=restrict,
            sql_actions=frozenset({VIEW, CHANGE}) if _label != "publicity.PublicMessage" else frozenset({VIEW}),
            select_related=("notice__project",) if _label == "publicity.Objection" else ("project",),
        )
    )
