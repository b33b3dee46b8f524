"""Job kinds used by the jobs tests (registered when this module is imported)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from greenbuild.accounts.roles import is_bureau_admin
from greenbuild.jobs.models import Job
from greenbuild.jobs.registry import job_kind
from greenbuild.jobs.services import JobFailed
from greenbuild.projects import permissions as project_permissions

SEEN: dict[str, object] = {}


@job_kind("tests.count", label="count", permitted=lambda user, project: is_bureau_admin(user))
def count(job, report):
    report(40, "half way")
    SEEN["midway"] = Job.objects.values_list("progress", "message", "status").get(pk=job.pk)


@job_kind(
    "tests.project",
    label="project",
    permitted=lambda user, project: project_permissions.can(user, "view_internal", project),
    needs_project=True,
)
def for_project(job, report):
    report(10)


@job_kind("tests.flaky", label="flaky", permitted=lambda user, project: True)
def flaky(job, report):
    """Fails until ``SEEN['fixed']`` is set: a failure the user can read, then a retry that works."""
    if not SEEN.get("fixed"):
        raise JobFailed(_("The file could not be read as an Excel workbook (.xlsx)."))


@job_kind("tests.crash", label="crash", permitted=lambda user, project: True)
def crash(job, report):
    raise RuntimeError("internal detail the user must not see")
