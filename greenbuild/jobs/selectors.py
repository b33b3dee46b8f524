"""What pages read of the jobs app: a person's jobs, a project's reports (REG-05)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef

from greenbuild.core.permissions import VIEW, gate_for
from greenbuild.jobs.choices import JobStatus
from greenbuild.jobs.models import Job

#: the gates, looked up when used (jobs is a platform app: it never imports projects)
PROJECT = "projects.Project"
ATTACHMENT = "attachments.Attachment"


def jobs_started_by(user: Any) -> Any:
    """The jobs ``user`` started (我的任务), newest first, with what the list shows joined.

    ``project_open`` and ``result_open`` say whether the reader may still open the job's project
    and its result (the projects and attachments gates, in the same query): someone who has left
    the project keeps the line of their job but is offered no link they cannot open (rule 3)."""
    return (
        Job.objects.for_user(user)
        .filter(actor_id=user.pk)
        .select_related("project", "result")
        .annotate(project_open=project_open(user), result_open=result_open(user))
        .order_by("-created_at", "-pk")
    )


def project_open(user: Any) -> Any:
    """SQL: the job's project is one ``user`` may open (the projects gate, ``view``)."""
    return Exists(gate_for(PROJECT).for_user(user, VIEW).filter(pk=OuterRef("project_id")))


def result_open(user: Any) -> Any:
    """SQL: the job's result file is one ``user`` may download (the attachments gate)."""
    return Exists(gate_for(ATTACHMENT).for_user(user, VIEW).filter(pk=OuterRef("result_id")))


def with_links(user: Any, job: Any) -> Any:
    """``job`` with ``project_open`` and ``result_open`` set (one query), for the job page."""
    flags: Any = (
        Job.objects.filter(pk=job.pk)
        .annotate(project_open=project_open(user), result_open=result_open(user))
        .values("project_open", "result_open")
        .first()
        or {}
    )
    job.project_open, job.result_open = bool(flags.get("project_open")), bool(flags.get("result_open"))
    return job


def project_reports(user: Any, project: Any, limit: int = 20) -> list[Any]:
    """The finished reports of ``project`` that ``user`` may open (the jobs gate), newest first:
    the project page lists them so a summary or letter can be found again. One query."""
    return list(
        Job.objects.for_user(user)
        .filter(project_id=project.pk, status=JobStatus.SUCCEEDED, result__isnull=False)
        .select_related("actor", "result")
        .order_by("-finished_at", "-pk")[:limit]
    )
