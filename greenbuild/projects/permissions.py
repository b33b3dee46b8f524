"""The one permission gate of the projects app (style.md §7).

Who may see and do what:

* bureau administrator: everything;
* district official: the projects of their districts once submitted (never an application that
  was not submitted, even after it is withdrawn);
  recommends or returns submitted applications;
* department reviewer: candidate and confirmed pilots city-wide, read-only;
* owner applicant: their organisation's projects; creates, edits (draft/returned), submits, withdraws;
  adds participants, but never a third-party evaluator (the bureau assigns those);
* participant / evaluator: projects their organisation works on, once submitted, read-only;
* expert: only what is assigned to them: an expert with an accepted seat on the project's plan
  review reads the project's public face (basic facts, buildings; never the internal sections),
  through the reader rule the reviews app registers (``register_project_reader``);
* the public, signed in or not: confirmed pilots, published fields only.

Lists use ``Project.objects.for_user(user, action)``; single objects ``get_project_for_user``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules
from django.db.models import Exists, OuterRef, Q

from greenbuild.accounts.choices import Role
from greenbuild.accounts.roles import district_ids, has_role, is_bureau_admin, organisation_ids
from greenbuild.core.permissions import (
    CHANGE,
    VIEW,
    VIEW_INTERNAL,
    Gate,
    get_object_for_user,
    project_scoped_gate,
    register_gate,
)
from greenbuild.projects.choices import EDITABLE_STATUSES, ProjectStatus, WithdrawalStatus

PUBLIC_STATUSES = frozenset({ProjectStatus.CONFIRMED})
DEPARTMENT_STATUSES = frozenset({ProjectStatus.CANDIDATE, ProjectStatus.CONFIRMED})


# --- predicates (one place to read who may do what) -------------------------------------------


@rules.predicate
def is_bureau(user: Any, project: Any = None) -> bool:
    return is_bureau_admin(user)


@rules.predicate
def is_owner_applicant(user: Any, project: Any) -> bool:
    return project is not None and project.owner_id in organisation_ids(user, Role.OWNER_APPLICANT)


@rules.predicate
def is_district_official(user: Any, project: Any) -> bool:
    return project is not None and project.submitted_at is not None and project.district_id in district_ids(user)


@rules.predicate
def is_department_reviewer(user: Any, project: Any) -> bool:
    return project is not None and project.status in DEPARTMENT_STATUSES and has_role(user, Role.DEPARTMENT_REVIEWER)


@rules.predicate
def is_participant(user: Any, project: Any) -> bool:
    if project is None or project.submitted_at is None:
        return False
    orgs = organisation_ids(user, Role.PARTICIPANT, Role.EVALUATOR)
    if not orgs:
        return False
    # A batch of readers (notifications) loads the participants once and shares them.
    batch: set[int] | None = getattr(project, "_gb_participant_orgs", None)
    if batch is not None:
        return bool(orgs & batch)
    return project.participants.filter(organisation_id__in=orgs).exists()


@rules.predicate
def is_published(user: Any, project: Any) -> bool:
    return project is not None and project.status in PUBLIC_STATUSES


@rules.predicate
def is_editable(user: Any, project: Any) -> bool:
    return project is not None and project.status in EDITABLE_STATUSES


@rules.predicate
def is_confirmed(user: Any, project: Any) -> bool:
    return project is not None and project.status == ProjectStatus.CONFIRMED


@rules.predicate
def has_pending_withdrawal_request(user: Any, project: Any) -> bool:
    return project is not None and project.withdrawal_requests.filter(status=WithdrawalStatus.PENDING).exists()


# Readers other apps add to ``view`` (never to ``view_internal``): the reviews app registers the
# experts seated on the project's plan review. ``predicate(user, project)``; ``scope(user) -> Q``.
_extra_readers: list[tuple[Callable[[Any, Any], bool], Callable[[Any], Q]]] = []


def register_project_reader(predicate: Callable[[Any, Any], bool], scope: Callable[[Any], Q]) -> None:
    if (predicate, scope) not in _extra_readers:
        _extra_readers.append((predicate, scope))


def extra_reader_scope(user: Any) -> Q:
    scope = Q(pk__in=[])
    if getattr(user, "is_authenticated", False):
        for _predicate, make in _extra_readers:
            scope |= make(user)
    return scope


@rules.predicate
def is_extra_reader(user: Any, project: Any) -> bool:
    if project is None or not getattr(user, "is_authenticated", False):
        return False
    return any(predicate(user, project) for predicate, _scope in _extra_readers)


is_insider = is_bureau | is_owner_applicant | is_district_official | is_department_reviewer | is_participant

rules.add_perm("projects.view_project", is_insider | is_published | is_extra_reader)
rules.add_perm("projects.view_internal_project", is_insider)
rules.add_perm("projects.change_project", is_editable & (is_bureau | is_owner_applicant))
rules.add_perm("projects.submit_project", is_owner_applicant)
rules.add_perm("projects.recommend_project", is_district_official)
rules.add_perm("projects.return_project", is_district_official)
rules.add_perm("projects.accept_project", is_bureau)
rules.add_perm("projects.reject_project", is_bureau)
rules.add_perm("projects.confirm_project", is_bureau)
# A confirmed pilot counts toward the district quota: its owner may only ask for its withdrawal
# (issue 10 item 23); the bureau decides. Drafts and applications under review: the owner withdraws.
rules.add_perm("projects.withdraw_project", is_bureau | (is_owner_applicant & ~is_confirmed))
rules.add_perm(
    "projects.request_withdrawal_project", is_owner_applicant & is_confirmed & ~has_pending_withdrawal_request
)
# Assigning a third-party evaluator is the bureau's act, never the owner's (issue 10 item 3).
rules.add_perm("projects.assign_evaluator_project", is_bureau)


def can(user: Any, action: str, project: Any) -> bool:
    """Whether ``user`` may ``action`` (view, change, submit, …) ``project``.

    Reads the rules directly: ``User.has_perm`` would grant a superuser everything, including
    moves the workflow forbids.
    """
    return rules.has_perm("projects.{}_project".format(action), user, project)


def can_create_project(user: Any) -> bool:
    return bool(organisation_ids(user, Role.OWNER_APPLICANT))


# --- the gate ----------------------------------------------------------------------------------


def restrict_projects(queryset: Any, user: Any, action: str = VIEW) -> Any:
    """Filter ``queryset`` to the projects ``user`` may ``action`` (the SQL form of the predicates)."""
    if action not in (VIEW, VIEW_INTERNAL, CHANGE):
        raise ValueError("unknown action {!r}".format(action))
    if is_bureau_admin(user):
        return queryset.filter(status__in=EDITABLE_STATUSES) if action == CHANGE else queryset
    owner_orgs = organisation_ids(user, Role.OWNER_APPLICANT)
    if action == CHANGE:
        return queryset.filter(owner_id__in=owner_orgs, status__in=EDITABLE_STATUSES)
    scope = Q(owner_id__in=owner_orgs)
    districts = district_ids(user)
    if districts:
        scope |= Q(district_id__in=districts, submitted_at__isnull=False)
    if has_role(user, Role.DEPARTMENT_REVIEWER):
        scope |= Q(status__in=DEPARTMENT_STATUSES)
    participant_orgs = organisation_ids(user, Role.PARTICIPANT, Role.EVALUATOR)
    if participant_orgs:
        from greenbuild.projects.models import ProjectParticipant

        works_on = ProjectParticipant.objects.filter(project=OuterRef("pk"), organisation_id__in=participant_orgs)
        scope |= Exists(works_on) & Q(submitted_at__isnull=False)
    if action == VIEW:
        scope |= Q(status__in=PUBLIC_STATUSES) | extra_reader_scope(user)
    return queryset.filter(scope)


PROJECT_GATE = register_gate(
    Gate(
        model="projects.Project",
        can=can,
        restrict=restrict_projects,
        sql_actions=frozenset({VIEW, VIEW_INTERNAL, CHANGE}),
        select_related=(
            "programme",
            "owner",
            "district",
            "category",
            "investment_nature",
            "use",
            "structure_material",
            "structure_system",
            "organisation_mode",
        ),
    )
)


def get_project_for_user(user: Any, pk: Any, action: str = VIEW) -> Any:
    """The project, or 404 when ``user`` may not see it, or 403 when they see it but may not act.

    The 404 does not reveal whether a project with that id exists (nor whether the id is even
    a number).
    """
    return get_object_for_user(PROJECT_GATE, user, pk, action)


# Buildings and participants: an action on one is that action on its project.
BUILDING_GATE = register_gate(project_scoped_gate("projects.Building"))
PARTICIPANT_GATE = register_gate(project_scoped_gate("projects.ProjectParticipant"))


# --- withdrawal requests (issue 10 item 23) ----------------------------------------------------


@rules.predicate
def sees_requested_project(user: Any, request: Any) -> bool:
    return request is not None and can(user, VIEW_INTERNAL, request.project)


rules.add_perm("projects.view_withdrawalrequest", sees_requested_project)
rules.add_perm("projects.approve_withdrawalrequest", is_bureau)
rules.add_perm("projects.refuse_withdrawalrequest", is_bureau)


def can_decide_withdrawal(user: Any, action: str, request: Any) -> bool:
    """Whether ``user`` may ``action`` (view, approve, refuse) a withdrawal request."""
    return rules.has_perm("projects.{}_withdrawalrequest".format(action), user, request)


def restrict_withdrawal_requests(queryset: Any, user: Any, action: str = VIEW) -> Any:
    """The requests ``user`` may ``action``: those of projects whose internal pages they see;
    only the bureau decides."""
    from greenbuild.projects.models import Project

    if action not in (VIEW, "approve", "refuse"):
        raise ValueError("unknown action {!r}".format(action))
    if action != VIEW and not is_bureau_admin(user):
        return queryset.none()
    return queryset.filter(project__in=restrict_projects(Project.objects.all(), user, VIEW_INTERNAL).values("pk"))


WITHDRAWAL_GATE = register_gate(
    Gate(
        model="projects.WithdrawalRequest",
        can=can_decide_withdrawal,
        restrict=restrict_withdrawal_requests,
        sql_actions=frozenset({VIEW, "approve", "refuse"}),
        select_related=("project", "requested_by"),
    )
)
