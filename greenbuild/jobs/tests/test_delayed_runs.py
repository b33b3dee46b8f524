"""Delayed runs (``start_job(..., run_after=...)``, added for the webhooks' retries): the database
queue holds the entry until its time; a backend that cannot delay is not handed the job at all."""

from __future__ import annotations

import datetime as dt

import time_machine
from django_tasks_db.models import DBTaskResult

from greenbuild.jobs import services
from greenbuild.jobs.choices import JobStatus
from greenbuild.jobs.tests import kinds  # noqa: F401  (registers the test kinds)

T0 = dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC)


def test_a_delayed_job_waits_in_the_database_queue_until_its_time(bureau, django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
        job = services.start_job("tests.count", actor=bureau, run_after=T0 + dt.timedelta(minutes=5))
    entry = DBTaskResult.objects.get(id=job.__class__.objects.get(pk=job.pk).task_id)
    assert entry.run_after == T0 + dt.timedelta(minutes=5)
    with time_machine.travel(T0 + dt.timedelta(minutes=4), tick=False):
        assert not DBTaskResult.objects.ready().filter(pk=entry.pk).exists()
    with time_machine.travel(T0 + dt.timedelta(minutes=5), tick=False):
        assert DBTaskResult.objects.ready().filter(pk=entry.pk).exists()


def test_a_backend_that_cannot_delay_is_not_handed_a_delayed_job(bureau, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_job("tests.count", actor=bureau, run_after=T0 + dt.timedelta(days=3650))
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.task_id == ""
    assert services.run_job(job.pk).status == JobStatus.SUCCEEDED  # whoever runs it later
