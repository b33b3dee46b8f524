"""The gates of supervision (issue 20 items 1 and 3), registered through core/permissions.py.

* inspection plans — view: the bureau (the city), a district official (the plans of projects in
  their district), the owner of the project, an inspector named on the plan; change (create,
  edit, pause, resume, end): the bureau, and a district official within their district;
* inspector pool — view: the bureau and district officials; change: the bureau, and a district
  official for members scoped to their district;
* draws — view: anyone (the public too) once published; before that the bureau and, for a draw
  scoped to their district, a district official; draw and publish: the bureau (any scope) and a
  district official (their district only);
* third-party evaluations — view: the bureau, a district official (their district), the owner of
  the project and the members of the evaluator organisation; assign, accept, return: the bureau;
  file the report: a member (role evaluator) of the evaluator organisation.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from greenbuild.accounts.choices import Role
from greenbuild.accounts.roles import district_ids, is_bureau_admin, organisation_ids
from greenbuild.core.permissions import CHANGE, VIEW, Gate, register_gate

CREATE = "create"
FILE = "file"
DECIDE = "decide"
ACTIONS = frozenset({VIEW, CHANGE})


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_supervisor(user: Any) -> bool:
    """The bureau or a district official: who plans inspections and draws."""
    return _active(user) and bool(is_bureau_admin(user) or district_ids(user))


def may_supervise_district(user: Any, district_id: int | None) -> bool:
    """The bureau for any scope; a district official for their own district (never city-wide)."""
    if not _active(user):
        return False
    if is_bureau_admin(user):
        return True
    return district_id is not None and district_id in district_ids(user)


def _owns_project(user: Any, project: Any) -> bool:
    return _active(user) and project.owner_id in organisation_ids(user, Role.OWNER_APPLICANT)


def _evaluator_member(user: Any, evaluation: Any, *roles: Role) -> bool:
    return _active(user) and evaluation.evaluator_id in organisation_ids(user, *(roles or (Role.EVALUATOR,)))


# --- predicates (one object) ----------------------------------------------------------------


def can_plan(user: Any, action: str, plan: Any) -> bool:
    if action == VIEW:
        return (
            may_supervise_district(user, plan.project.district_id)
            or _owns_project(user, plan.project)
            or (_active(user) and plan.inspectors.filter(pk=user.pk).exists())
        )
    if action in (CHANGE, "pause", "resume", "end"):
        return may_supervise_district(user, plan.project.district_id)
    return False


def can_pool(user: Any, action: str, member: Any) -> bool:
    if action == VIEW:
        return is_supervisor(user)
    if action == CHANGE:
        return may_supervise_district(user, member.district_id)
    return False


def can_draw(user: Any, action: str, draw: Any) -> bool:
    if action == VIEW:
        return draw.is_published or may_supervise_district(user, draw.district_id)
    if action in (CHANGE, "publish"):
        return may_supervise_district(user, draw.district_id)
    return False


def can_evaluation(user: Any, action: str, evaluation: Any) -> bool:
    project = evaluation.project
    if action == VIEW:
        return (
            may_supervise_district(user, project.district_id)
            or _owns_project(user, project)
            or _evaluator_member(user, evaluation, Role.EVALUATOR, Role.PARTICIPANT)
        )
    if action == FILE:
        return _evaluator_member(user, evaluation)
    if action in (CHANGE, DECIDE, "accept", "return"):
        return _active(user) and is_bureau_admin(user)
    return False


def can(user: Any, action: str, obj: Any) -> bool:
    from greenbuild.supervision.models import Draw, Evaluation, InspectionPlan, InspectorPoolMember

    if isinstance(obj, InspectionPlan):
        return can_plan(user, action, obj)
    if isinstance(obj, InspectorPoolMember):
        return can_pool(user, action, obj)
    if isinstance(obj, Draw):
        return can_draw(user, action, obj)
    if isinstance(obj, Evaluation):
        return can_evaluation(user, action, obj)
    return False


# --- the SQL form ---------------------------------------------------------------------------


def restrict(queryset: Any, user: Any, action: str = VIEW) -> Any:
    """The SQL form of :func:`can` for lists (``view`` and ``change``)."""
    if action not in ACTIONS:
        raise ValueError("unknown action {!r}".format(action))
    label = queryset.model._meta.label
    if label == "supervision.Draw":
        published = Q(status="published") if action == VIEW else Q(pk__in=[])
        if not _active(user):
            return queryset.filter(published)
        if is_bureau_admin(user):
            return queryset
        return queryset.filter(published | Q(district_id__in=district_ids(user)))
    if not _active(user):
        return queryset.none()
    if is_bureau_admin(user):
        return queryset
    districts = district_ids(user)
    if label == "supervision.InspectorPoolMember":
        if action == VIEW:
            return queryset if districts else queryset.none()
        return queryset.filter(district_id__in=districts)
    if label == "supervision.InspectionPlan":
        scope = Q(project__district_id__in=districts)
        if action == VIEW:
            owners = organisation_ids(user, Role.OWNER_APPLICANT)
            scope |= Q(project__owner_id__in=owners) | Q(inspectors=user)
            return queryset.filter(pk__in=queryset.model._default_manager.filter(scope).values("pk"))
        return queryset.filter(scope)
    if label == "supervision.Evaluation":
        if action == CHANGE:
            return queryset.none()
        owners = organisation_ids(user, Role.OWNER_APPLICANT)
        evaluators = organisation_ids(user, Role.EVALUATOR, Role.PARTICIPANT)
        return queryset.filter(
            Q(project__district_id__in=districts) | Q(project__owner_id__in=owners) | Q(evaluator_id__in=evaluators)
        )
    return queryset.none()


def _rule(action: str) -> Any:
    @rules.predicate
    def predicate(user: Any, obj: Any = None) -> bool:
        return obj is not None and can(user, action, obj)

    return predicate


for _model in ("inspectionplan", "inspectorpoolmember", "draw", "evaluation"):
    rules.add_perm("supervision.view_{}".format(_model), _rule(VIEW))
    rules.add_perm("supervision.change_{}".format(_model), _rule(CHANGE))
for _move in ("pause", "resume", "end"):
    rules.add_perm("supervision.{}_inspectionplan".format(_move), _rule(_move))
rules.add_perm("supervision.publish_draw", _rule("publish"))
rules.add_perm("supervision.file_evaluation", _rule(FILE))
rules.add_perm("supervision.accept_evaluation", _rule("accept"))
rules.add_perm("supervision.return_evaluation", _rule("return"))


def _gate(model: str, *related: str) -> Gate:
    return Gate(model=model, can=can, restrict=restrict, sql_actions=ACTIONS, select_related=related)


PLAN_GATE = register_gate(_gate("supervision.InspectionPlan", "project", "project__district", "step_type"))
POOL_GATE = register_gate(_gate("supervision.InspectorPoolMember", "user", "district"))
DRAW_GATE = register_gate(_gate("supervision.Draw", "district", "drawn_by"))
EVALUATION_GATE = register_gate(
    _gate("supervision.Evaluation", "project", "project__district", "step_type", "evaluator")
)
