"""The one permission gate of the completion app.

* the evaluation scheme: every signed-in user reads it (it is how pilots are judged); the bureau
  alone makes a new version;
* a completion evaluation: read by whoever reads the project's internal pages (the bureau, the
  owner, the district, participants …) and by the experts of its panel; the bureau starts it,
  sends it to the panel and decides (accepts or not); the panel leader records the panel's
  conclusion;
* incremental costs and lessons: read with the project's internal pages; written by the project's
  owner applicants while the project's completion is not accepted.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from greenbuild.accounts.choices import Role
from greenbuild.accounts.roles import is_bureau_admin, organisation_ids
from greenbuild.core.permissions import VIEW, Gate, get_object_for_user, register_gate
from greenbuild.projects.permissions import can as can_project
from greenbuild.projects.permissions import restrict_projects


@rules.predicate
def is_bureau(user: Any, obj: Any = None) -> bool:
    return is_bureau_admin(user)


@rules.predicate
def reads_project(user: Any, evaluation: Any) -> bool:
    return evaluation is not None and can_project(user, "view_internal", evaluation.project)


@rules.predicate
def is_panel_member(user: Any, evaluation: Any) -> bool:
    if evaluation is None or not getattr(user, "is_authenticated", False) or evaluation.pk is None:
        return False
    return evaluation.panel_leader_id == user.pk or evaluation.panel_members.filter(pk=user.pk).exists()


@rules.predicate
def is_panel_leader(user: Any, evaluation: Any) -> bool:
    return (
        evaluation is not None
        and getattr(user, "is_authenticated", False)
        and evaluation.panel_leader_id is not None
        and evaluation.panel_leader_id == user.pk
    )


rules.add_perm("completion.view_completionevaluation", reads_project | is_panel_member)
rules.add_perm("completion.change_completionevaluation", is_bureau)
rules.add_perm("completion.refresh_completionevaluation", is_bureau)
rules.add_perm("completion.send_to_panel_completionevaluation", is_bureau)
rules.add_perm("completion.conclude_panel_completionevaluation", is_panel_leader)
rules.add_perm("completion.return_to_panel_completionevaluation", is_bureau)
rules.add_perm("completion.accept_completionevaluation", is_bureau)
rules.add_perm("completion.reject_completionevaluation", is_bureau)


def can(user: Any, action: str, evaluation: Any) -> bool:
    return rules.has_perm("completion.{}_completionevaluation".format(action), user, evaluation)


def restrict_evaluations(queryset: Any, user: Any, action: str = VIEW) -> Any:
    if action != VIEW:
        raise ValueError("unknown action {!r}".format(action))
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    from greenbuild.projects.models import Project

    projects = restrict_projects(Project.objects.all(), user, "view_internal").values("pk")
    return queryset.filter(Q(project__in=projects) | Q(panel_leader=user) | Q(panel_members=user)).distinct()


EVALUATION_GATE = register_gate(
    Gate(
        model="completion.CompletionEvaluation",
        can=can,
        restrict=restrict_evaluations,
        select_related=("project", "scheme", "panel_leader"),
    )
)


def get_evaluation_for_user(user: Any, pk: Any, action: str = VIEW) -> Any:
    return get_object_for_user(EVALUATION_GATE, user, pk, action)


# --- the scheme -------------------------------------------------------------------------------


def can_scheme(user: Any, action: str, scheme: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if action == VIEW:
        return True
    return action == "create" and is_bureau_admin(user)


def restrict_schemes(queryset: Any, user: Any, action: str = VIEW) -> Any:
    if action != VIEW:
        raise ValueError("unknown action {!r}".format(action))
    return queryset if getattr(user, "is_authenticated", False) else queryset.none()


SCHEME_GATE = register_gate(Gate(model="completion.EvaluationScheme", can=can_scheme, restrict=restrict_schemes))


# --- costs and lessons (the owner's reports) ---------------------------------------------------


def is_owner(user: Any, project: Any) -> bool:
    return project is not None and project.owner_id in organisation_ids(user, Role.OWNER_APPLICANT)


def completion_accepted(project: Any) -> bool:
    from greenbuild.completion.choices import EvaluationStatus
    from greenbuild.completion.models import CompletionEvaluation

    return CompletionEvaluation.objects.filter(project=project, status=EvaluationStatus.ACCEPTED).exists()


def can_report(user: Any, project: Any) -> bool:
    """Whether ``user`` may report costs and file lessons for ``project`` now."""
    return (
        is_owner(user, project)
        and can_project(user, "view_internal", project)
        and project.status == "confirmed"
        and not completion_accepted(project)
    )


def can_read_reports(user: Any, project: Any) -> bool:
    return can_project(user, "view_internal", project)


def _project_child_gate(model: str) -> Gate:
    def can_child(user: Any, action: str, obj: Any) -> bool:
        if action == VIEW:
            return can_read_reports(user, obj.project)
        if action in ("change", "delete"):
            return can_report(user, obj.project)
        return False

    def restrict(queryset: Any, user: Any, action: str = VIEW) -> Any:
        return queryset.for_user(user, "view_internal")

    return Gate(model=model, can=can_child, restrict=restrict)


COST_GATE = register_gate(_project_child_gate("completion.IncrementalCost"))
LESSON_GATE = register_gate(_project_child_gate("completion.Lesson"))
