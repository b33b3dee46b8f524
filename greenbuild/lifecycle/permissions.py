"""The one permission gate of the lifecycle app (style.md §7).

* baselines and their change requests: read by the project's insiders (``view_internal`` of
  the project); a change is asked for by the owner applicant or the bureau of a confirmed pilot
  and decided (approved or refused) by the bureau only;
* project steps and their items: read by the project's insiders; an item is written, a document
  added and the step signed off (approved / approved with conditions / returned) only by a
  department reviewer scoped to the step's responsible department; a returned step is opened
  again by the owner applicant or the bureau;
* a department page: the bureau (any department) and that department's reviewers.
"""

from __future__ import annotations

from typing import Any

import rules

from greenbuild.accounts.choices import Role
from greenbuild.accounts.roles import is_bureau_admin, organisation_ids
from greenbuild.core.permissions import VIEW, Gate, register_gate
from greenbuild.projects.choices import ProjectStatus
from greenbuild.projects.permissions import can as can_project


def department_ids(user: Any) -> set[int]:
    """The departments a department reviewer is scoped to."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return {
        m.department_id for m in user.memberships_cached() if m.role == Role.DEPARTMENT_REVIEWER and m.department_id
    }


def _insider(user: Any, project: Any) -> bool:
    return project is not None and can_project(user, "view_internal", project)


def _owner(user: Any, project: Any) -> bool:
    return project is not None and project.owner_id in organisation_ids(user, Role.OWNER_APPLICANT)


# --- steps -------------------------------------------------------------------------------------


@rules.predicate
def sees_step(user: Any, step: Any) -> bool:
    return step is not None and _insider(user, step.project)


@rules.predicate
def reviews_step(user: Any, step: Any) -> bool:
    """The user is a department reviewer of the step's responsible department."""
    return step is not None and step.type.department_id in department_ids(user)


@rules.predicate
def owner_or_bureau_of_step(user: Any, step: Any) -> bool:
    return step is not None and (is_bureau_admin(user) or _owner(user, step.project))


@rules.predicate
def owner_of_step(user: Any, step: Any) -> bool:
    return step is not None and _owner(user, step.project)


@rules.predicate
def bureau_of_step(user: Any, step: Any) -> bool:
    return step is not None and is_bureau_admin(user)


SIGNER = sees_step & reviews_step
for _move in ("approve", "approve_with_conditions", "return"):
    rules.add_perm("lifecycle.{}_projectstep".format(_move), SIGNER)
rules.add_perm("lifecycle.view_projectstep", sees_step)
rules.add_perm("lifecycle.sign_projectstep", SIGNER)
rules.add_perm("lifecycle.write_projectstep", SIGNER)
# REV-05: the owner answers a return and resubmits (with supplementary documents); the bureau
# may open a returned step again without an answer
rules.add_perm("lifecycle.resubmit_projectstep", sees_step & owner_of_step)
rules.add_perm("lifecycle.supplement_projectstep", sees_step & owner_of_step)
rules.add_perm("lifecycle.reopen_projectstep", sees_step & bureau_of_step)
# conditions of an approval with conditions: the owner answers, the step's department confirms
rules.add_perm("lifecycle.answer_projectstep", sees_step & owner_of_step)
rules.add_perm("lifecycle.confirm_projectstep", SIGNER)


def can_step(user: Any, action: str, step: Any) -> bool:
    """``view``, ``sign``, ``write`` (items and documents), ``approve`` …, ``resubmit``,
    ``supplement``, ``reopen``, ``answer`` and ``confirm`` (a condition)."""
    return rules.has_perm("lifecycle.{}_projectstep".format(action), user, step)


def restrict_steps(queryset: Any, user: Any, action: str = VIEW) -> Any:
    if action != VIEW:
        raise ValueError("unknown action {!r}".format(action))
    return queryset.for_user(user, "view_internal")


STEP_GATE = register_gate(
    Gate(model="lifecycle.ProjectStep", can=can_step, restrict=restrict_steps, select_related=("project", "type"))
)


def can_item(user: Any, action: str, item: Any) -> bool:
    return can_step(user, "view" if action == VIEW else "write", item.step)


ITEM_GATE = register_gate(
    Gate(
        model="lifecycle.StepItem",
        can=can_item,
        restrict=lambda queryset, user, action=VIEW: queryset.for_user(user, "view_internal"),
        select_related=("step", "step__project", "step__type", "guideline_item"),
    )
)


def can_condition(user: Any, action: str, condition: Any) -> bool:
    """A condition is read with its step; answered by the owner, confirmed by the department."""
    return can_step(user, "view" if action == VIEW else action, condition.step)


CONDITION_GATE = register_gate(
    Gate(
        model="lifecycle.StepCondition",
        can=can_condition,
        restrict=lambda queryset, user, action=VIEW: queryset.for_user(user, "view_internal"),
        select_related=("step", "step__project", "step__type"),
    )
)


# --- baselines and change requests -------------------------------------------------------------


def can_baseline(user: Any, action: str, baseline: Any) -> bool:
    """A baseline is read by the project's insiders and changed by nobody (only a new version)."""
    return action == VIEW and _insider(user, baseline.project)


BASELINE_GATE = register_gate(
    Gate(
        model="lifecycle.Baseline",
        can=can_baseline,
        restrict=lambda queryset, user, action=VIEW: queryset.for_user(user, "view_internal"),
        select_related=("project", "locked_by"),
    )
)


@rules.predicate
def sees_request(user: Any, request: Any) -> bool:
    return request is not None and _insider(user, request.project)


@rules.predicate
def is_bureau(user: Any, obj: Any = None) -> bool:
    return is_bureau_admin(user)


rules.add_perm("lifecycle.view_baselinechangerequest", sees_request)
rules.add_perm("lifecycle.approve_baselinechangerequest", sees_request & is_bureau)
rules.add_perm("lifecycle.approve_exception_baselinechangerequest", sees_request & is_bureau)
rules.add_perm("lifecycle.refuse_baselinechangerequest", sees_request & is_bureau)
rules.add_perm("lifecycle.decide_baselinechangerequest", sees_request & is_bureau)


def can_request(user: Any, action: str, request: Any) -> bool:
    return rules.has_perm("lifecycle.{}_baselinechangerequest".format(action), user, request)


REQUEST_GATE = register_gate(
    Gate(
        model="lifecycle.BaselineChangeRequest",
        can=can_request,
        restrict=lambda queryset, user, action=VIEW: queryset.for_user(user, "view_internal"),
        select_related=("project", "baseline", "requested_by", "decided_by"),
    )
)


def can_request_change(user: Any, project: Any) -> bool:
    """The owner applicant or the bureau of a confirmed pilot may ask to change its baseline."""
    return (
        project is not None
        and project.status == ProjectStatus.CONFIRMED
        and _insider(user, project)
        and (is_bureau_admin(user) or _owner(user, project))
    )


def can_see_department(user: Any, department: Any) -> bool:
    """The department page: the bureau, and the department's own reviewers."""
    return is_bureau_admin(user) or department.pk in department_ids(user)
