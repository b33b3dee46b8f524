"""Every write to a job: start, run, report progress, fail, retry, recover, and the daily entries."""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.http import audit_address, current_address
from greenbuild.jobs import permissions
from greenbuild.jobs.choices import JobStatus
from greenbuild.jobs.models import DailyRun, Job
from greenbuild.jobs.registry import daily_entries, get_kind

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3

# Set by ``greenbuild worker`` in its process: jobs it runs carry this id and send heartbeats.
current_worker_id = ""


class JobFailed(DomainError):
    """Raised by a job kind to fail with a message the user can act on (already translated, lazy)."""


def lease_seconds() -> int:
    """How long a running job may go without a heartbeat before its worker counts as dead."""
    return int(getattr(settings, "JOBS_LEASE_SECONDS", 60))


def heartbeat_seconds() -> int:
    return max(1, lease_seconds() // 4)


# --- starting -----------------------------------------------------------------------------------


@transaction.atomic
def start_job(
    kind: str,
    *,
    actor: Any,
    project: Any = None,
    params: dict[str, Any] | None = None,
    run_after: Any = None,
) -> Job:
    """Queue a job of ``kind`` for ``actor``; it is handed to the worker when the transaction commits.

    ``run_after`` (an aware datetime) delays the run: the worker takes the job no earlier (a retry
    with backoff). A backend that cannot delay (the immediate backend of tests) is not handed a
    delayed job at all: it stays queued until something runs it (``run_job``).

    Raises ``ActionForbidden`` (403, nothing written) when ``actor`` may not start this kind.
    """
    job_kind = get_kind(kind)
    if job_kind is None:
        raise ValueError("unknown job kind {!r}".format(kind))
    if job_kind.needs_project and project is None:
        raise ValueError("job kind {!r} needs a project".format(kind))
    if not job_kind.permitted(actor, project):
        raise ActionForbidden()
    job = Job.objects.create(
        kind=kind,
        actor=actor,
        project=project,
        params=params or {},
        language=get_language() or settings.LANGUAGE_CODE,
        remote_addr=current_address(),
    )
    _enqueue_on_commit(job.pk, run_after=run_after)
    return job


@transaction.atomic
def retry_job(job: Job, *, actor: Any) -> Job:
    """Queue a failed job again, with the same parameters."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if not permissions.can(actor, permissions.RETRY, job):
        raise ActionForbidden()
    job_kind = get_kind(job.kind)
    if job_kind is None or not job_kind.permitted(actor, job.project):
        raise ActionForbidden()
    if job.status != JobStatus.FAILED:
        raise DomainError(_("Only a failed job can be retried."))
    job.status = JobStatus.QUEUED
    job.progress = 0
    job.message = ""
    job.error = ""
    job.error_detail = ""
    job.attempts = 0
    job.started_at = job.finished_at = job.heartbeat_at = None
    job.worker_id = ""
    job.language = get_language() or job.language
    job.remote_addr = current_address() or job.remote_addr
    job.save()
    _enqueue_on_commit(job.pk)
    return job


def _enqueue_on_commit(job_id: int, *, run_after: Any = None) -> None:
    transaction.on_commit(lambda: enqueue(job_id, run_after=run_after))


def enqueue(job_id: int, *, run_after: Any = None) -> None:
    """Hand the job to the task backend (django-tasks); remembers the queue entry's id.

    With ``run_after`` the queue entry waits until then, on a backend that can delay (the database
    backend); another backend is not handed the job (it stays queued, see ``start_job``)."""
    from greenbuild.jobs.tasks import execute_job

    task = execute_job
    if run_after is not None:
        if not task.get_backend().supports_defer:
            logger.info("job %s is delayed until %s: the task backend cannot delay, not handed over", job_id, run_after)
            return
        task = task.using(run_after=run_after)
    result = task.enqueue(job_id)
    Job.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


# --- running ------------------------------------------------------------------------------------


def run_job(job_id: int, *, worker_id: str = "", heartbeat: bool = False) -> Job | None:
    """Run a queued job to its end. Called by the worker's task, or directly in tests.

    Returns the job, or ``None`` when it is not (or no longer) queued.
    """
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != JobStatus.QUEUED:
            return None
        now = timezone.now()
        job.status = JobStatus.RUNNING
        job.started_at = job.heartbeat_at = now
        job.finished_at = None
        job.worker_id = worker_id
        job.attempts += 1
        job.progress = 0
        job.save()
    beat = _Heartbeat(job.pk) if heartbeat else None
    if beat:
        beat.start()
    try:
        with translation.override(job.language), audit_address(job.remote_addr):
            _execute(job, worker_id)
    finally:
        if beat:
            beat.stop()
    job.refresh_from_db()
    return job


def _execute(job: Job, worker_id: str) -> None:
    job_kind = get_kind(job.kind)
    try:
        if job_kind is None:
            raise JobFailed(_("This kind of job is no longer available."))
        if job.actor is not None and not job_kind.permitted(job.actor, job.project):
            raise JobFailed(_("You are no longer allowed to run this job."))
        result = job_kind.run(job, make_reporter(job, worker_id))
    except DomainError as exc:
        _finish(job, worker_id, JobStatus.FAILED, error=str(exc.message))
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(
            job,
            worker_id,
            JobStatus.FAILED,
            error=gettext(
                "The job stopped because of an unexpected error. Try again; if it fails again, tell the bureau."
            ),
            error_detail=traceback.format_exc(),
        )
    else:
        _finish(job, worker_id, JobStatus.SUCCEEDED, result=result)


def make_reporter(job: Job, worker_id: str = "") -> Any:
    """``report(pct, message="")``: records progress (clamped to 0–99 until the job ends) and a heartbeat."""

    def report(pct: Any, message: Any = "") -> None:
        pct = max(0, min(99, int(pct)))
        Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, worker_id=worker_id).update(
            progress=pct, message=str(message)[:200], heartbeat_at=timezone.now()
        )

    return report


def _finish(
    job: Job, worker_id: str, status: str, *, result: Any = None, error: str = "", error_detail: str = ""
) -> None:
    values: dict[str, Any] = {
        "status": status,
        "finished_at": timezone.now(),
        "error": error,
        "error_detail": error_detail,
    }
    if status == JobStatus.SUCCEEDED:
        values.update(progress=100, message="")
    if result is not None:
        values["result"] = result
    # Only the worker that holds the job may finish it (a recovered job belongs to someone else).
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, worker_id=worker_id).update(**values)


class _Heartbeat:
    """Refreshes ``heartbeat_at`` from a side thread while a long job step holds the main thread."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="job-heartbeat-{}".format(job_id), daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        try:
            while not self._stop.wait(heartbeat_seconds()):
                Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(heartbeat_at=timezone.now())
        except Exception:  # a failed beat must never kill the job; the lease decides
            logger.exception("heartbeat of job %s failed", self.job_id)
        finally:
            connection.close()


# --- recovery -----------------------------------------------------------------------------------


def new_worker_id() -> str:
    """``host:pid:random``: the pid lets a restarted worker on the same host spot its dead predecessor."""
    from django.utils.crypto import get_random_string

    return "{}:{}:{}".format(socket.gethostname()[:60], os.getpid(), get_random_string(8))


def _worker_is_dead_here(worker_id: str) -> bool:
    host, _sep, rest = worker_id.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname()[:60] or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def recover_stale_jobs(*, now: Any = None) -> int:
    """Queue again the running jobs whose worker died (lease expired, or its process is gone).

    A job interrupted ``MAX_ATTEMPTS`` times fails instead, with a message. Returns how many jobs
    were recovered or failed.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=lease_seconds())
    count = 0
    for job in Job.objects.filter(status=JobStatus.RUNNING).only("pk", "heartbeat_at", "worker_id"):
        if not (job.heartbeat_at is None or job.heartbeat_at < cutoff or _worker_is_dead_here(job.worker_id)):
            continue
        with transaction.atomic():
            locked = Job.objects.select_for_update().filter(pk=job.pk, status=JobStatus.RUNNING).first()
            if locked is None:
                continue
            _close_task_entry(locked.task_id, now)
            with translation.override(locked.language):
                if locked.attempts >= MAX_ATTEMPTS:
                    locked.status = JobStatus.FAILED
                    locked.finished_at = now
                    locked.error = gettext(
                        "The job was interrupted {count} times and was stopped. Try again later."
                    ).format(count=locked.attempts)
                else:
                    locked.status = JobStatus.QUEUED
                    locked.message = gettext("Interrupted by a worker restart; queued again.")
            locked.worker_id = ""
            locked.save()
            if locked.status == JobStatus.QUEUED:
                _enqueue_on_commit(locked.pk)
        logger.warning("recovered job %s from worker %s", job.pk, job.worker_id)
        count += 1
    return count


def _close_task_entry(task_id: str, now: Any) -> None:
    """Mark the dead worker's queue entry failed so the queue does not show it running forever."""
    if not task_id:
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
        status="FAILED", finished_at=now, exception_class_path="greenbuild.jobs.WorkerLost", traceback=""
    )


# --- retention of result files -----------------------------------------------------------------


def retention_days() -> int:
    """Days a job's result file is kept after the job finished (0: for ever)."""
    return max(0, int(getattr(settings, "JOBS_RESULT_RETENTION_DAYS", 0) or 0))


def prune_expired_results(*, now: Any = None, dry_run: bool = False) -> int:
    """Remove the stored result files of jobs that finished more than ``JOBS_RESULT_RETENTION_DAYS``
    ago (the daily entry ``jobs.prune_results``, or ``greenbuild prune_job_results``). The file's row
    stays with ``removed_at`` set, so the task centre says the file expired; the job row stays.
    A file another record holds as its own (an issued document's PDF) is never pruned. Returns how
    many files were (or, with ``dry_run``, would be) removed."""
    from greenbuild.attachments.models import Attachment
    from greenbuild.attachments.services import expire_attachment_file, held_elsewhere

    days = retention_days()
    if days == 0:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    expired = Job.objects.filter(finished_at__lt=cutoff, result__isnull=False).values("result_id")
    result = Job._meta.get_field("result")
    files = (
        Attachment.objects.filter(pk__in=expired, removed_at__isnull=True)
        # a later job may have returned the same file: it expires with the newest job
        .exclude(pk__in=Job.objects.filter(finished_at__gte=cutoff, result__isnull=False).values("result_id"))
        # held by anything else (an issued document's PDF, a change request's linked file): kept
        .exclude(held_elsewhere(besides=result))
        .order_by("pk")
    )
    if dry_run:
        return files.count()
    count = 0
    for attachment in files.iterator():
        if expire_attachment_file(attachment=attachment, actor=None, besides=result):  # checked again, locked
            count += 1
    if count:
        logger.info("pruned %s expired job result files", count)
    return count


# --- daily entries ------------------------------------------------------------------------------


def run_due_daily(*, today: Any = None, force: bool = False) -> list[str]:
    """Run each registered daily entry that has not run today (local date). Returns the names run."""
    today = today or timezone.localdate()
    ran = []
    for name, func in sorted(daily_entries().items()):
        with transaction.atomic():
            row, _created = DailyRun.objects.select_for_update().get_or_create(name=name)
            if row.last_run_on == today and not force:
                continue
            row.last_run_on = today  # the claim: another worker skips it from now on
            row.last_started_at = timezone.now()
            row.save()
        error = ""
        try:
            with translation.override(settings.LANGUAGE_CODE):
                func()
        except Exception:
            logger.exception("daily entry %s failed", name)
            error = traceback.format_exc()
        DailyRun.objects.filter(pk=row.pk).update(last_finished_at=timezone.now(), last_error=error)
        ran.append(name)
    return ran
