"""The one django-tasks task: run a job record; and the daily pruning of expired result files. Job
kinds of other apps live in their ``tasks.py``."""

from __future__ import annotations

from django_tasks import TaskContext, task

from greenbuild.jobs import services
from greenbuild.jobs.registry import daily


@task(takes_context=True)
def execute_job(context: TaskContext, job_id: int) -> None:
    worker_ids = context.task_result.worker_ids
    worker_id = services.current_worker_id or (worker_ids[-1] if worker_ids else "")
    services.run_job(job_id, worker_id=worker_id, heartbeat=services.current_worker_id != "")


@daily("jobs.prune_results")
def prune_results() -> int:
    """Result files past ``JOBS_RESULT_RETENTION_DAYS`` leave storage (the task centre says so)."""
    return services.prune_expired_results()
