"""The one gate of the jobs app: who may see a job.

The actor who started it, the bureau, and — for a project's job — the project's insiders
(``projects`` gate, ``view_internal``). Starting a job is decided per kind (``JobKind.permitted``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404

from greenbuild.accounts.roles import is_bureau_admin
from greenbuild.core import typed_rules as rules
from greenbuild.core.permissions import VIEW_INTERNAL, gate_for, parse_id

#: The projects gate, looked up when used (jobs is a platform app: it never imports projects).
PROJECT = "projects.Project"

VIEW = "view"
RETRY = "retry"


@rules.predicate
def is_job_actor(user: Any, job: Any) -> bool:
    return job is not None and getattr(user, "is_authenticated", False) and job.actor_id == user.pk


@rules.predicate
def is_bureau(user: Any, job: Any = None) -> bool:
    return is_bureau_admin(user)


@rules.predicate
def is_project_insider(user: Any, job: Any) -> bool:
    return job is not None and job.project_id is not None and gate_for(PROJECT).can(user, VIEW_INTERNAL, job.project)


can_see = is_job_actor | is_bureau | is_project_insider
rules.add_perm("jobs.view_job", can_see)
rules.add_perm("jobs.retry_job", can_see)


def can(user: Any, action: str, job: Any) -> bool:
    return rules.has_perm("jobs.{}_job".format(action), user, job)


def restrict_jobs(queryset: Any, user: Any) -> Any:
    """The SQL form of ``can_see``."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if is_bureau_admin(user):
        return queryset
    projects = gate_for(PROJECT).for_user(user, VIEW_INTERNAL)
    return queryset.filter(Q(actor=user) | Q(project__in=projects.values("pk")))


def get_job_for_user(user: Any, pk: Any, action: str = VIEW) -> Any:
    """The job, or 404 when ``user`` may not see it (the 404 does not say whether it exists)."""
    from greenbuild.jobs.models import Job

    number = parse_id(pk)
    job = Job.objects.for_user(user).select_related("project", "actor").filter(pk=number).first() if number else None
    if job is None or not can(user, action, job):
        raise Http404("No such job.")
    return job
