"""我的任务 after the reader lost access to the project (review of item 11, REG-05): the list
offers no link its reader cannot open (rule 3)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from greenbuild.jobs import services
from greenbuild.jobs.choices import JobStatus
from greenbuild.jobs.models import Job
from greenbuild.jobs.tests import kinds  # noqa: F401  (registers the test kinds)
from greenbuild.projects.models import ProjectParticipant
from greenbuild.testing.factories import make_attachment

pytestmark = pytest.mark.django_db


def test_my_jobs_offers_no_download_or_project_link_once_i_left_the_project(
    client, filed_project, alice_owner, carl_contractor, orgs
):
    project = filed_project("submitted", name="离场项目")
    participant = ProjectParticipant.objects.create(project=project, organisation=orgs["contractor"], role="contractor")
    job = services.start_job("tests.project", actor=alice_owner, project=project)
    result = make_attachment(project, actor=alice_owner, name="汇总.pdf")
    Job.objects.filter(pk=job.pk).update(
        actor=carl_contractor, status=JobStatus.SUCCEEDED, progress=100, result=result, finished_at=timezone.now()
    )
    job.refresh_from_db()
    client.force_login(carl_contractor)
    assert client.get(job.result_url).status_code == 200
    page = client.get(reverse("jobs:job-list")).content.decode()
    assert job.result_url in page and reverse("projects:project-detail", args=[project.pk]) in page
    participant.delete()
    assert client.get(job.result_url).status_code == 404
    page = client.get(reverse("jobs:job-list")).content.decode()
    assert 'data-job="{}"'.format(job.pk) in page  # still my job
    assert job.result_url not in page
    assert reverse("projects:project-detail", args=[project.pk]) not in page
    assert "离场项目" not in page
    detail = client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    assert job.result_url not in detail and "离场项目" not in detail
