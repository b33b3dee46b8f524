"""Background jobs: start (with the per-kind permission), progress, failure and retry, restart
recovery, the gated progress page, the daily entries, and the real database worker path."""

from __future__ import annotations

import datetime as dt
import socket
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from greenbuild.core.errors import ActionForbidden
from greenbuild.jobs import registry, services
from greenbuild.jobs.choices import JobStatus
from greenbuild.jobs.models import DailyRun, Job
from greenbuild.jobs.tests import kinds
from greenbuild.testing.factories import make_project

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def immediate(settings):
    """Jobs run inline when the starting transaction commits."""
    settings.TASKS = IMMEDIATE


@pytest.fixture(autouse=True)
def _clean_seen():
    kinds.SEEN.clear()
    yield
    kinds.SEEN.clear()


def test_a_job_runs_reports_progress_and_succeeds(bureau, immediate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_job("tests.count", actor=bureau)
    job.refresh_from_db()
    assert kinds.SEEN["midway"] == (40, "half way", JobStatus.RUNNING)
    assert job.status == JobStatus.SUCCEEDED
    assert job.progress == 100
    assert job.started_at and job.finished_at and job.attempts == 1


def test_the_job_is_handed_over_only_when_the_transaction_commits(
    bureau, immediate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.start_job("tests.count", actor=bureau)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert len(callbacks) == 1


def test_a_user_without_the_right_cannot_start_a_job_and_nothing_is_written(alice_owner, immediate):
    with pytest.raises(ActionForbidden):
        services.start_job("tests.count", actor=alice_owner)
    assert not Job.objects.exists()


def test_a_failure_shows_why_in_the_users_language_and_can_be_retried(
    client, alice_owner, immediate, django_capture_on_commit_callbacks
):
    client.force_login(alice_owner)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        job = services.start_job("tests.flaky", actor=alice_owner)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "The file could not be read as an Excel workbook (.xlsx)."
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        kinds.SEEN["fixed"] = False
        services.retry_job(job, actor=alice_owner)
    job.refresh_from_db()
    assert job.error == "无法将该文件读取为 Excel 工作簿（.xlsx）。"

    page = client.get(reverse("jobs:job-detail", args=[job.pk]))
    assert "无法将该文件读取为 Excel 工作簿（.xlsx）。" in page.content.decode()
    assert reverse("jobs:job-retry", args=[job.pk]) in page.content.decode()

    kinds.SEEN["fixed"] = True
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jobs:job-retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.error == ""


def test_only_a_failed_job_can_be_retried(bureau, immediate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_job("tests.count", actor=bureau)
    with pytest.raises(services.DomainError):
        services.retry_job(job, actor=bureau)


def test_an_unexpected_error_is_reported_without_internals(bureau, immediate, django_capture_on_commit_callbacks):
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        job = services.start_job("tests.crash", actor=bureau)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "internal detail" not in job.error
    assert "意外错误" in job.error
    assert "RuntimeError" in job.error_detail


def _running(job: Job, *, worker_id: str, heartbeat_age_s: int) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        worker_id=worker_id,
        attempts=1,
        started_at=timezone.now() - timedelta(seconds=heartbeat_age_s),
        heartbeat_at=timezone.now() - timedelta(seconds=heartbeat_age_s),
    )


def test_a_job_whose_worker_died_is_queued_again_and_then_runs(bureau, settings, django_capture_on_commit_callbacks):
    settings.JOBS_LEASE_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):  # the database backend: a queue entry, nobody runs it
        job = services.start_job("tests.count", actor=bureau)
    job.refresh_from_db()
    entry = DBTaskResult.objects.get(id=job.task_id)
    entry.claim("other-host:1:dead")
    _running(job, worker_id="other-host:1:dead", heartbeat_age_s=600)
    alive = services.start_job("tests.count", actor=bureau)
    _running(alive, worker_id="other-host:2:alive", heartbeat_age_s=5)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.recover_stale_jobs() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert DBTaskResult.objects.get(id=entry.id).status == "FAILED"
    assert DBTaskResult.objects.filter(status="READY", args_kwargs__args=[job.pk]).exists()
    alive.refresh_from_db()
    assert alive.status == JobStatus.RUNNING  # its worker still beats

    services.run_job(job.pk, worker_id="new")
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.attempts == 2


def test_a_restarted_worker_takes_over_the_job_of_its_dead_process_at_once(bureau, settings):
    dead_pid = 2**22 + 7  # above pid_max: no such process
    job = services.start_job("tests.count", actor=bureau)
    _running(job, worker_id="{}:{}:x".format(socket.gethostname()[:60], dead_pid), heartbeat_age_s=1)
    assert services.recover_stale_jobs() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED


def test_a_job_interrupted_too_often_fails_with_a_message(bureau):
    with translation.override("en"):
        job = services.start_job("tests.count", actor=bureau)
    _running(job, worker_id="h:1:x", heartbeat_age_s=600)
    Job.objects.filter(pk=job.pk).update(attempts=services.MAX_ATTEMPTS)
    services.recover_stale_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "interrupted" in job.error


def test_the_progress_page_is_gated_to_the_actor_bureau_and_project_insiders(
    client, alice_owner, bureau, dan_district, olivia_other_owner, dave_outsider
):
    project = make_project(alice_owner, "网关测试项目")
    job = services.start_job("tests.project", actor=alice_owner, project=project)
    url = reverse("jobs:job-detail", args=[job.pk])
    for user, status in [(alice_owner, 200), (bureau, 200), (olivia_other_owner, 404), (dave_outsider, 404)]:
        client.force_login(user)
        assert client.get(url).status_code == status, user
    # a draft is not yet visible to the district: neither is its job
    client.force_login(dan_district)
    assert client.get(url).status_code == 404
    client.force_login(olivia_other_owner)
    assert client.post(reverse("jobs:job-retry", args=[job.pk])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page


def test_the_fragment_polls_until_the_job_ends(client, bureau, immediate, django_capture_on_commit_callbacks):
    client.force_login(bureau)
    job = services.start_job("tests.count", actor=bureau)
    url = reverse("jobs:job-detail", args=[job.pk])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    assert "<script" not in fragment and "<html" not in fragment
    services.run_job(job.pk)
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment
    assert 'value="100"' in fragment


def test_daily_entries_run_once_a_day_and_a_failure_does_not_stop_the_others(db, monkeypatch):
    monkeypatch.setattr(registry, "_DAILY", {})  # only this test's entries, not the apps' own
    calls = []
    registry.daily("tests.a")(lambda: calls.append("a"))
    registry.daily("tests.b")(lambda: 1 / 0)
    day = dt.date(2026, 12, 1)
    assert services.run_due_daily(today=day) == ["tests.a", "tests.b"]
    assert services.run_due_daily(today=day) == []
    assert services.run_due_daily(today=day + timedelta(days=1)) == ["tests.a", "tests.b"]
    assert calls == ["a", "a"]
    assert "ZeroDivisionError" in DailyRun.objects.get(name="tests.b").last_error


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_a_queued_job(personas_transactional):
    """The real path: start_job commits, a queue entry is written, `greenbuild worker --once` runs it."""
    bureau = personas_transactional
    job = services.start_job("tests.count", actor=bureau)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"

    call_command("worker", "--once", "--no-daily")

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.worker_id.startswith(socket.gethostname()[:60] + ":")
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"


@pytest.fixture
def personas_transactional(transactional_db):
    from django.apps import apps

    from greenbuild.accounts.choices import OrganisationKind, Role
    from greenbuild.programmes.data_changzhou_2021 import CHANGZHOU_2021, load_programme
    from greenbuild.reference.loader import load_reference_data
    from greenbuild.testing.factories import OrganisationFactory, person

    # the flush after a transactional test removes the data the migrations loaded: load it again
    load_reference_data(apps)
    load_programme(apps, CHANGZHOU_2021)
    return person("bureau", Role.BUREAU_ADMIN, OrganisationFactory(kind=OrganisationKind.BUREAU))
