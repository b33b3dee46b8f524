"""Factories of the jobs app: jobs started through ``jobs.services.start_job`` (the kind's own
permission check included).

Shared entry: ``greenbuild.testing.factories`` re-exports these."""

from __future__ import annotations

from typing import Any

from greenbuild.jobs import services
from greenbuild.jobs.models import Job


def make_job(kind: str, *, actor: Any, project: Any = None, run: bool = False, **params: Any) -> Job:
    """A job of ``kind`` started by ``actor``; with ``run=True`` it is run at once, in-process."""
    job = services.start_job(kind, actor=actor, project=project, params=params or None)
    if run:
        services.run_job(job.pk)
        job.refresh_from_db()
    return job
