"""The one permission gate of the projects app (style.md §7).

Who may see and do what:

* bureau administrator: everything;
* district official: the projects of their districts once submitted (never an application that
  was not submitted, even after it is withdrawn);
  recommends or returns submitted applications;
* department reviewer: candidate and confirmed pilots city-wide, read-only;
* owner applicant: their organisation's projects; creates, edits (draft/returned), submits, withdraws;
* participant / evaluator: projects their organisation works on, once submitted, read-only;
* expert: only what is assigned to them (assignments arrive with the expert review);
* the public, signed in or not: confirmed pilots, published fields only.

Lists use ``Project.objects.for_user(user, action)``; single objects ``get_project_for_user``.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from greenbuild.accounts.choices import Role
from greenbuild.accounts.roles import district_ids, has_role, is_bureau_admin, organisation_ids
from greenbuild.core.errors import ActionForbidden
from greenbuild.projects.choices import EDITABLE_STATUSES, ProjectStatus

VIEW = "view"
VIEW_INTERNAL = "view_internal"
CHANGE = "change"

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
    return bool(orgs) and project.participants.filter(organisation_id__in=orgs).exists()


@rules.predicate
def is_published(user: Any, project: Any) -> bool:
    return project is not None and project.status in PUBLIC_STATUSES


@rules.predicate
def is_editable(user: Any, project: Any) -> bool:
    return project is not None and project.status in EDITABLE_STATUSES


is_insider = is_bureau | is_owner_applicant | is_district_official | is_department_reviewer | is_participant

rules.add_perm("projects.view_project", is_insider | is_published)
rules.add_perm("projects.view_internal_project", is_insider)
rules.add_perm("projects.change_project", is_editable & (is_bureau | is_owner_applicant))
rules.add_perm("projects.submit_project", is_owner_applicant)
rules.add_perm("projects.recommend_project", is_district_official)
rules.add_perm("projects.return_project", is_district_official)
rules.add_perm("projects.accept_project", is_bureau)
rules.add_perm("projects.reject_project", is_bureau)
rules.add_perm("projects.confirm_project", is_bureau)
rules.add_perm("projects.withdraw_project", is_bureau | is_owner_applicant)


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
        scope |= Q(status__in=PUBLIC_STATUSES)
    return queryset.filter(scope)


def get_project_for_user(user: Any, pk: Any, action: str = "view") -> Any:
    """The project, or 404 when ``user`` may not see it, or 403 when they see it but may not act.

    The 404 does not reveal whether a project with that id exists.
    """
    from greenbuild.projects.models import Project

    try:
        project = (
            Project.objects.for_user(user, VIEW)
            .select_related(
                "programme",
                "owner",
                "district",
                "category",
                "investment_nature",
                "use",
                "structure_material",
                "structure_system",
                "organisation_mode",
            )
            .get(pk=int(pk))
        )
    except (Project.DoesNotExist, ValueError, TypeError):
        raise Http404("No such project.") from None
    if action != VIEW and not can(user, action, project):
        raise ActionForbidden()
    return project
