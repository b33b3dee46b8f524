"""What pages read of the jobs app: a person's jobs and files (the task centre, 我的任务与导出), a
project's reports (REG-05)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from greenbuild.core.permissions import VIEW, gate_for
from greenbuild.jobs.choices import JobStatus
from greenbuild.jobs.models import Job

#: the gates, looked up when used (jobs is a platform app: it never imports projects)
PROJECT = "projects.Project"
ATTACHMENT = "attachments.Attachment"
DOCUMENT = "documents.IssuedDocument"


def jobs_started_by(user: Any) -> Any:
    """The jobs ``user`` started (我的任务), newest first, with what the list shows joined.

    ``project_open`` and ``result_open`` say whether the reader may still open the job's project
    and its result (the projects and attachments gates, in the same query): someone who has left
    the project keeps the line of their job but is offered no link they cannot open (rule 3)."""
    return (
        Job.objects.for_user(user)
        .filter(actor_id=user.pk)
        .select_related("project", "result")
        .annotate(project_open=project_open(user), result_open=result_open(user), error_batch_id=error_workbook(user))
        .order_by("-created_at", "-pk")
    )


def error_workbook(user: Any) -> Any:
    """SQL: the import batch whose error workbook the job (an import) left and ``user`` may still
    download (the imports gate: an importer the reader may use), or NULL."""
    from greenbuild.imports.permissions import importer_names  # imports runs on jobs: read it late

    batches = apps.get_model("imports", "ImportBatch").objects.filter(
        job_id=OuterRef("pk"), importer__in=importer_names(user)
    )
    return Subquery(batches.exclude(errors=[]).values("pk")[:1])


def readable_documents(user: Any) -> Any:
    """The issued documents ``user`` may read (the documents gate: each through its object's own
    gate), newest first, with what the task centre shows joined (one query)."""
    return gate_for(DOCUMENT).for_user(user, VIEW).select_related("superseded_by").order_by("-issued_at", "-pk")


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
    the project page lists them so a summary or letter can be found again. One query. A report
    whose file expired is left out: the page links each one, and an expired file is gone (the
    task centre still lists the job and says so)."""
    reports = Job.objects.for_user(user).filter(
        project_id=project.pk, status=JobStatus.SUCCEEDED, result__isnull=False, result__removed_at__isnull=True
    )
    days = int(getattr(settings, "JOBS_RESULT_RETENTION_DAYS", 0) or 0)
    if days > 0:  # past its expiry, not pruned yet: expired all the same (``Job.result_expired``)
        reports = reports.filter(finished_at__gt=timezone.now() - timedelta(days=days))
    return list(reports.select_related("actor", "result").order_by("-finished_at", "-pk")[:limit])
