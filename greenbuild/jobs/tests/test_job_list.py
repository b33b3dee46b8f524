"""REG-05: a generated report can be found again — 我的任务 lists the jobs a person started, and
the project page lists the project's finished reports (through the jobs gate)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from greenbuild.jobs import selectors, services
from greenbuild.jobs.choices import JobStatus
from greenbuild.jobs.models import Job
from greenbuild.jobs.tests import kinds  # noqa: F401  (registers the test kinds)
from greenbuild.testing.factories import make_attachment, make_project

pytestmark = pytest.mark.django_db


def finished_report(project, actor, name="标准汇总.pdf"):
    job = services.start_job("tests.project", actor=actor, project=project)
    result = make_attachment(project, actor=actor, name=name)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.SUCCEEDED, progress=100, result=result, finished_at=timezone.now()
    )
    return job


def test_my_jobs_lists_only_the_jobs_i_started_with_their_results(client, alice_owner, bureau):
    project = make_project(alice_owner, "任务项目")
    mine = finished_report(project, alice_owner)
    services.start_job("tests.count", actor=bureau)  # the bureau's, not alice's
    client.force_login(alice_owner)
    with translation.override("zh-hans"):
        page = client.get(reverse("jobs:job-list")).content.decode()
    assert "我的任务" in page
    assert 'data-job="{}"'.format(mine.pk) in page and page.count("data-job=") == 1
    assert Job.objects.get(pk=mine.pk).result_url in page
    assert [j.pk for j in selectors.jobs_started_by(alice_owner)] == [mine.pk]


def test_my_jobs_needs_a_sign_in(client):
    assert client.get(reverse("jobs:job-list")).status_code == 302


def test_the_project_page_lists_its_reports_to_those_who_may_open_the_job(client, alice_owner, bureau, dan_district):
    project = make_project(alice_owner, "报告项目")
    job = finished_report(project, alice_owner)
    services.start_job("tests.project", actor=alice_owner, project=project)  # still queued: not a report
    client.force_login(alice_owner)
    with translation.override("zh-hans"):
        page = client.get(reverse("projects:project-detail", args=[project.pk])).content.decode()
    assert 'id="reports"' in page and "已生成的报告" in page
    assert page.count(Job.objects.get(pk=job.pk).result_url) == 1
    assert [j.pk for j in selectors.project_reports(bureau, project)] == [job.pk]
    assert selectors.project_reports(dan_district, project) == []  # a draft: not the district's yet


def test_the_progress_reads_as_progress_not_as_done(client, bureau):
    """UI-27 beside it: "已完成 10%" next to a finished badge read as a contradiction."""
    job = services.start_job("tests.count", actor=bureau)
    client.force_login(bureau)
    with translation.override("zh-hans"):
        page = client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    assert "进度 0%" in page
