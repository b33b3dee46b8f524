"""The standards summary PDF: made by a background job, stored as a report attachment, readable
with pdftotext in Chinese and English, downloadable only through the gate."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation

from greenbuild.attachments.models import Attachment
from greenbuild.core.errors import ActionForbidden
from greenbuild.jobs.choices import JobStatus
from greenbuild.jobs.models import Job
from greenbuild.jobs.services import start_job
from greenbuild.reports.pdf import page_counter_css
from greenbuild.reports.tasks import STANDARDS_SUMMARY
from greenbuild.scoring import services as scoring_services
from greenbuild.scoring.choices import Stage
from greenbuild.scoring.tests.conftest import HEADER, WORKED, claims_from, make_pilot

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def pdf_text(data: bytes) -> str:
    result = subprocess.run(  # noqa: S603
        [shutil.which("pdftotext") or "pdftotext", "-", "-"],
        input=data,
        capture_output=True,
        check=True,  # noqa: S607
    )
    return result.stdout.decode("utf-8")


@pytest.fixture
def scored_pilot(personas):
    pilot = make_pilot(personas, name="青龙湾绿色住宅")
    scoring_services.save_scorecard(
        actor=personas["alice_owner"], project=pilot, stage=Stage.EVALUATION, header=HEADER, claims=claims_from(WORKED)
    )
    return pilot


def _download(client, job: Job) -> bytes:
    response = client.get(job.result_url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    "language,star,pages",
    [("zh-hans", "二星级", "第 1 页 共 {n} 页"), ("en", "Two star", "Page 1 of {n}")],
)
def test_the_summary_pdf_names_the_project_its_star_level_and_numbers_its_pages(
    client, scored_pilot, alice_owner, immediate, django_capture_on_commit_callbacks, language, star, pages
):
    client.force_login(alice_owner)
    prefix = "" if language == "zh-hans" else "/en"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(prefix + reverse("reports:standards-summary", args=[scored_pilot.pk]))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"].endswith("/jobs/{}/".format(job.pk))
    assert job.status == JobStatus.SUCCEEDED, job.error_detail
    assert job.language == language
    attachment = job.result
    assert attachment.kind == "report" and attachment.project == scored_pilot and attachment.file_type == "pdf"

    data = _download(client, job)
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    n = text.count("\f") or 1
    assert "青龙湾绿色住宅" in text
    assert star in text
    assert pages.format(n=n) in text
    assert "R7" in text and "R14" in text


def test_the_page_counter_follows_the_language():
    with translation.override("zh-hans"):
        assert page_counter_css() == '"第 " counter(page) " 页 共 " counter(pages) " 页"'
    with translation.override("en"):
        assert page_counter_css() == '"Page " counter(page) " of " counter(pages)'


def test_an_outsider_gets_404_for_another_projects_report_and_cannot_start_one(
    client, scored_pilot, alice_owner, olivia_other_owner, immediate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(STANDARDS_SUMMARY, actor=alice_owner, project=scored_pilot)
    job.refresh_from_db()
    client.force_login(olivia_other_owner)
    assert client.get(job.result_url).status_code == 404
    assert client.get(reverse("jobs:job-detail", args=[job.pk])).status_code == 404
    # a confirmed pilot is public, its standards pages are not
    assert client.post(reverse("reports:standards-summary", args=[scored_pilot.pk])).status_code == 404
    with pytest.raises(ActionForbidden):
        start_job(STANDARDS_SUMMARY, actor=olivia_other_owner, project=scored_pilot)
    assert Job.objects.count() == 1
    assert Attachment.objects.filter(kind="report").count() == 1


def test_the_standards_page_offers_the_pdf_and_the_job_page_links_the_file(
    client, scored_pilot, alice_owner, immediate, django_capture_on_commit_callbacks
):
    client.force_login(alice_owner)
    page = client.get(reverse("scoring:scores", args=[scored_pilot.pk])).content.decode()
    assert reverse("reports:standards-summary", args=[scored_pilot.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:standards-summary", args=[scored_pilot.pk]))
    job = Job.objects.get()
    assert job.result_url in client.get(response["Location"]).content.decode()
    assert io.BytesIO(_download(client, job)).read(5) == b"%PDF-"
