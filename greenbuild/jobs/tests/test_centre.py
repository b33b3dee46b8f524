"""The task centre (我的任务与导出, issue 19 item 4, REG-05): each person's jobs with their state,
progress and files, filtered and paged in a constant number of queries; files downloaded again
through the attachments gate until they expire (then the page says so); the issued documents the
person may read, with their number and verification link; the same jobs and files over the API."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from greenbuild.attachments.choices import AttachmentKind
from greenbuild.attachments.models import Attachment
from greenbuild.documents import services as document_services
from greenbuild.documents.registry import DocumentKind, register_kind, unregister_kind
from greenbuild.imports.models import ImportBatch
from greenbuild.jobs import selectors, services
from greenbuild.jobs.choices import JobStatus
from greenbuild.jobs.models import Job
from greenbuild.jobs.tests import kinds  # noqa: F401  (registers the test kinds)
from greenbuild.testing.factories import make_attachment, make_project

pytestmark = pytest.mark.django_db

NOTICE = "jobs.test_notice"


@pytest.fixture
def notice_kind(db):
    """A document kind about projects with a tiny renderer (the register's rules, not a layout)."""
    kind = register_kind(
        DocumentKind(
            code=NOTICE,
            label="测试通知",
            model="projects.Project",
            issuer="bureau",
            prefix="常住建任",
            subject=lambda project: "关于{}的测试通知".format(project.name),
            render=lambda obj, draft: "%PDF-1.4\n% {}\n%%EOF\n".format(draft.number).encode(),
            project_of=lambda project: project,
        )
    )
    yield kind
    unregister_kind(NOTICE)


def finished(kind, actor, project=None, *, status=JobStatus.SUCCEEDED, result=True, error="", ago=dt.timedelta(0)):
    """A job of ``kind`` that ended ``ago`` (with a result file when it succeeded)."""
    job = services.start_job(kind, actor=actor, project=project)
    file = make_attachment(project, actor=actor, kind=AttachmentKind.REPORT, name="汇总{}.pdf".format(job.pk))
    when = timezone.now() - ago
    Job.objects.filter(pk=job.pk).update(
        status=status,
        progress=100 if status == JobStatus.SUCCEEDED else 40,
        result=file if result and status == JobStatus.SUCCEEDED else None,
        error=error,
        started_at=when,
        finished_at=when,
    )
    return Job.objects.select_related("result").get(pk=job.pk)


def page(client, user, **query):
    client.force_login(user)
    with translation.override("zh-hans"):
        response = client.get(reverse("jobs:job-list"), query)
    assert response.status_code == 200
    return response.content.decode()


# --- selectors ------------------------------------------------------------------------------------


def test_the_centre_lists_my_jobs_only_with_their_files_and_expiry(client, alice_owner, olivia_other_owner, bureau):
    project = make_project(alice_owner, "任务中心项目")
    mine = finished("tests.project", alice_owner, project)
    failed = finished("tests.flaky", alice_owner, status=JobStatus.FAILED, error="无法读取工作簿")
    other = finished("tests.project", olivia_other_owner, make_project(olivia_other_owner, "他人项目"))
    assert [job.pk for job in selectors.jobs_started_by(alice_owner)] == [failed.pk, mine.pk]
    html = page(client, alice_owner)
    assert 'data-job="{}"'.format(mine.pk) in html and 'data-job="{}"'.format(failed.pk) in html
    assert 'data-job="{}"'.format(other.pk) not in html and other.result.original_name not in html
    assert mine.result_url in html and mine.result.original_name in html
    expires = (mine.finished_at + dt.timedelta(days=90)).astimezone(timezone.get_current_timezone())
    assert "保留至 {:%Y-%m-%d}".format(expires) in html and "生成的文件在任务结束后保留 90 天" in html
    assert "无法读取工作簿" in html and "进度 40%" in html and "进度 100%" in html


def test_the_bureau_sees_only_its_own_jobs_here_though_it_may_open_any(client, alice_owner, bureau):
    alices = finished("tests.project", alice_owner, make_project(alice_owner, "业主项目"))
    own = finished("tests.count", bureau)
    html = page(client, bureau)
    assert 'data-job="{}"'.format(own.pk) in html and 'data-job="{}"'.format(alices.pk) not in html
    assert client.get(reverse("jobs:job-detail", args=[alices.pk])).status_code == 200  # the jobs gate


def test_a_stranger_gets_404_for_another_persons_job_and_file(client, alice_owner, olivia_other_owner):
    job = finished("tests.project", alice_owner, make_project(alice_owner, "私有项目"))
    client.force_login(olivia_other_owner)
    assert client.get(reverse("jobs:job-detail", args=[job.pk])).status_code == 404
    assert client.get(job.result_url).status_code == 404
    assert client.get("/api/v1/jobs/{}/".format(job.pk)).status_code == 404


def test_a_file_downloads_again_through_the_attachments_gate(client, alice_owner):
    job = finished("tests.project", alice_owner, make_project(alice_owner, "下载项目"))
    client.force_login(alice_owner)
    first, again = client.get(job.result_url), client.get(job.result_url)
    assert first.status_code == again.status_code == 200
    assert b"".join(again.streaming_content).startswith(b"%PDF")
    assert "attachment;" in again["Content-Disposition"]


# --- filters and pages ------------------------------------------------------------------------------


def test_filters_by_state_and_kind_and_pages_keep_them(client, bureau):
    for _n in range(27):
        finished("tests.count", bureau)
    crash = finished("tests.crash", bureau, status=JobStatus.FAILED, error="任务失败")
    html = page(client, bureau, status="failed")
    assert html.count("data-job=") == 1 and 'data-job="{}"'.format(crash.pk) in html
    assert page(client, bureau, kind="tests.crash").count("data-job=") == 1
    assert page(client, bureau, kind="tests.crash", status="succeeded").count("data-job=") == 0
    first = page(client, bureau, kind="tests.count")
    assert first.count("data-job=") == 25 and "?kind=tests.count&amp;page=2" in first
    assert page(client, bureau, kind="tests.count", page=2).count("data-job=") == 2
    refused = page(client, bureau, kind="no.such.kind")
    assert refused.count("data-job=") == 0 and 'role="alert"' in refused


def test_the_page_costs_the_same_queries_for_few_and_many_rows(client, alice_owner, bureau, notice_kind):
    def cost():
        client.force_login(alice_owner)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("jobs:job-list")).status_code == 200
        return len(queries)

    def add(count):
        for _n in range(count):
            project = make_project(alice_owner, "项目{}".format(Job.objects.count()))
            finished("tests.project", alice_owner, project)
            finished("tests.project", alice_owner, project, status=JobStatus.FAILED, error="失败")
            document_services.issue_document(actor=bureau, kind=NOTICE, object_id=project.pk)

    add(2)
    few = cost()
    add(5)
    assert cost() == few
    assert page(client, alice_owner).count("data-document=") == 7


def test_an_import_leaves_its_error_workbook_on_the_line_of_its_job(client, bureau, alice_owner):
    job = finished("tests.count", bureau, result=False)
    source = make_attachment(
        None, actor=bureau, kind=AttachmentKind.IMPORT, name="orgs.csv", content="名称\n\n".encode()
    )
    batch = ImportBatch.objects.create(
        importer="organisations", actor=bureau, source=source, job=job, status="invalid", errors=[[2, "名称", "必填"]]
    )
    clean = finished("tests.count", bureau, result=False)
    ImportBatch.objects.create(importer="organisations", actor=bureau, source=source, job=clean, status="done")
    rows = {row.pk: row.error_batch_id for row in selectors.jobs_started_by(bureau)}
    assert rows == {job.pk: batch.pk, clean.pk: None}
    assert reverse("imports:batch-errors", args=[batch.pk]) in page(client, bureau)


# --- issued documents ---------------------------------------------------------------------------------


def test_issued_documents_are_listed_with_number_and_verify_link_to_their_readers(
    client, alice_owner, olivia_other_owner, bureau, notice_kind
):
    project = make_project(alice_owner, "发文项目")
    document, _created = document_services.issue_document(actor=bureau, kind=NOTICE, object_id=project.pk)
    html = page(client, alice_owner)
    assert document.number in html and reverse("documents:verify", args=[document.token]) in html
    assert reverse("documents:document-download", args=[document.pk]) in html
    assert [d.pk for d in selectors.readable_documents(alice_owner)] == [document.pk]
    assert document.number not in page(client, olivia_other_owner)
    assert selectors.readable_documents(olivia_other_owner).count() == 0


# --- retention --------------------------------------------------------------------------------------


def test_expired_files_are_pruned_and_the_centre_says_so(client, alice_owner, bureau, notice_kind):
    project = make_project(alice_owner, "过期项目")
    old = finished("tests.project", alice_owner, project, ago=dt.timedelta(days=91))
    fresh = finished("tests.project", alice_owner, project, ago=dt.timedelta(days=10))
    document, _created = document_services.issue_document(actor=bureau, kind=NOTICE, object_id=project.pk)
    # past its expiry but not pruned yet: already said to be expired, no link
    html = page(client, alice_owner)
    assert 'data-file-expired="{}"'.format(old.pk) in html and old.result_url not in html
    assert fresh.result_url in html
    out = StringIO()
    call_command("prune_job_results", "--dry-run", stdout=out)
    assert "would be removed: 1" in out.getvalue() and Attachment.objects.get(pk=old.result_id).removed_at is None
    pruned = services.prune_expired_results(now=timezone.now() + dt.timedelta(days=3650))
    assert pruned == 2  # both job results; never the issued document's PDF
    assert Attachment.objects.get(pk=document.file_id).removed_at is None
    gone = Attachment.objects.get(pk=old.result_id)
    assert gone.removed_at is not None and not gone.file
    assert Job.objects.get(pk=old.pk).result_id == gone.pk  # the line stays, with its file's name
    client.force_login(alice_owner)
    assert client.get(old.result_url).status_code == 404
    html = page(client, alice_owner)
    assert 'data-file-expired="{}"'.format(old.pk) in html and "已过期" in html
    detail = client.get(reverse("jobs:job-detail", args=[old.pk])).content.decode()
    assert 'data-file-expired="{}"'.format(old.pk) in detail
    assert client.get(reverse("documents:document-download", args=[document.pk])).status_code == 200


def test_retention_zero_keeps_files_for_ever(settings, alice_owner):
    settings.JOBS_RESULT_RETENTION_DAYS = 0
    job = finished("tests.project", alice_owner, make_project(alice_owner, "永久项目"), ago=dt.timedelta(days=900))
    assert job.result_expires_at is None and not job.result_expired
    assert services.prune_expired_results() == 0
    out = StringIO()
    call_command("prune_job_results", stdout=out)
    assert "kept for ever" in out.getvalue()


def test_the_daily_entry_prunes(alice_owner):
    from greenbuild.jobs.registry import daily_entries

    job = finished("tests.project", alice_owner, make_project(alice_owner, "每日项目"), ago=dt.timedelta(days=120))
    assert daily_entries()["jobs.prune_results"]() == 1
    assert Attachment.objects.get(pk=job.result_id).removed_at is not None


# --- the API ------------------------------------------------------------------------------------------


def rows(body):
    return body["results"] if isinstance(body, dict) else body


def test_the_api_lists_my_jobs_and_files_with_their_expiry(client, alice_owner, bureau):
    project = make_project(alice_owner, "接口项目")
    mine = finished("tests.project", alice_owner, project)
    old = finished("tests.project", alice_owner, project, ago=dt.timedelta(days=100))
    own = finished("tests.count", bureau)
    client.force_login(bureau)
    everyone = {row["id"] for row in rows(client.get("/api/v1/jobs/").json())}
    assert {mine.pk, old.pk, own.pk} <= everyone  # the jobs gate: the bureau follows every job
    assert [row["id"] for row in rows(client.get("/api/v1/jobs/?mine=true").json())] == [own.pk]
    client.force_login(alice_owner)
    listed = {row["id"]: row for row in rows(client.get("/api/v1/jobs/?mine=true&status=succeeded").json())}
    assert set(listed) == {mine.pk, old.pk}
    assert listed[mine.pk]["result_download"] == "/api/v1/attachments/{}/download/".format(mine.result_id)
    assert listed[mine.pk]["result_name"] == mine.result.original_name and listed[mine.pk]["result_expires_at"]
    assert listed[old.pk]["result_expired"] is True and listed[old.pk]["result_download"] is None
    assert client.get("/api/v1/jobs/?kind=no.such").status_code == 400


def test_the_api_list_costs_the_same_queries_for_few_and_many(client, alice_owner):
    project = make_project(alice_owner, "接口计数")
    client.force_login(alice_owner)

    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/jobs/?mine=true").status_code == 200
        return len(queries)

    finished("tests.project", alice_owner, project)
    few = cost()
    for _n in range(6):
        finished("tests.project", alice_owner, project)
    assert cost() == few


# --- break-it review: files other records hold, the project page, a download racing the pruning ------


def test_pruning_never_removes_a_file_another_record_holds(alice_owner, bureau):
    from greenbuild.attachments.services import expire_attachment_file
    from greenbuild.plans import services as plan_services

    project = make_project(alice_owner, "引用项目")
    on_plan = finished("tests.project", alice_owner, project, ago=dt.timedelta(days=120))
    as_workbook = finished("tests.count", bureau, ago=dt.timedelta(days=120))
    alone = finished("tests.project", alice_owner, project, ago=dt.timedelta(days=120))
    plan = plan_services.start_plan(actor=alice_owner, project=project)
    plan.draft_attachments.add(on_plan.result)  # a many-to-many holder (as a plan version's files)
    ImportBatch.objects.create(importer="organisations", actor=bureau, source=as_workbook.result, status="done")
    out = StringIO()
    call_command("prune_job_results", "--dry-run", stdout=out)
    assert "would be removed: 1" in out.getvalue()
    assert services.prune_expired_results() == 1
    assert Attachment.objects.get(pk=alone.result_id).removed_at is not None
    for held in (on_plan, as_workbook):
        kept = Attachment.objects.get(pk=held.result_id)
        assert kept.removed_at is None and kept.file.storage.exists(kept.file.name)
    # checked again under the lock: a file linked after the list was read stays too
    assert expire_attachment_file(attachment=on_plan.result, besides=Job._meta.get_field("result")) is False


def test_the_project_page_links_no_expired_report(alice_owner):
    project = make_project(alice_owner, "报告项目")
    fresh = finished("tests.project", alice_owner, project, ago=dt.timedelta(days=5))
    past = finished("tests.project", alice_owner, project, ago=dt.timedelta(days=95))  # not pruned yet
    pruned = finished("tests.project", alice_owner, project, ago=dt.timedelta(days=30))
    Attachment.objects.filter(pk=pruned.result_id).update(removed_at=timezone.now(), file="")
    assert [job.pk for job in selectors.project_reports(alice_owner, project)] == [fresh.pk]
    assert past.result.removed_at is None  # the page would have linked it, and the link would 404 once pruned


def test_a_download_racing_the_pruning_is_a_404_not_a_server_error(client, alice_owner):
    job = finished("tests.project", alice_owner, make_project(alice_owner, "竞争项目"))
    job.result.file.storage.delete(job.result.file.name)  # pruned between reading the row and opening the file
    client.force_login(alice_owner)
    assert client.get(job.result_url).status_code == 404
    assert client.get("/api/v1/attachments/{}/download/".format(job.result_id)).status_code == 404


@pytest.mark.parametrize("value", ["ninety", "7.5", ""])
def test_a_retention_that_is_no_whole_number_stops_the_start_naming_the_setting(monkeypatch, value):
    from django.core.exceptions import ImproperlyConfigured

    from greenbuild.env import envint

    monkeypatch.setenv("JOBS_RESULT_RETENTION_DAYS", value)
    with pytest.raises(ImproperlyConfigured, match="JOBS_RESULT_RETENTION_DAYS"):
        envint("JOBS_RESULT_RETENTION_DAYS", "90")


def test_the_api_offers_no_download_of_a_file_the_caller_may_not_open(client, alice_owner, bureau):
    private = finished("tests.flaky", alice_owner)  # a programme-level file (an export): its uploader's alone
    client.force_login(bureau)  # the jobs gate lets the bureau follow every job
    row = client.get("/api/v1/jobs/{}/".format(private.pk)).json()
    assert row["result_download"] is None and row["result_name"] is None and row["result_size"] is None
    assert client.get("/api/v1/attachments/{}/download/".format(private.result_id)).status_code == 404
    listed = {item["id"]: item for item in rows(client.get("/api/v1/jobs/").json())}
    assert listed[private.pk]["result_download"] is None
    client.force_login(alice_owner)
    assert client.get("/api/v1/jobs/{}/".format(private.pk)).json()["result_download"]


def test_a_negative_retention_keeps_files_for_ever_and_the_command_says_the_value(settings, alice_owner):
    settings.JOBS_RESULT_RETENTION_DAYS = -30
    job = finished("tests.project", alice_owner, make_project(alice_owner, "负数项目"), ago=dt.timedelta(days=900))
    assert job.result_expires_at is None and not job.result_expired and services.retention_days() == 0
    assert services.prune_expired_results() == 0
    out = StringIO()
    call_command("prune_job_results", stdout=out)
    assert "is -30: result files are kept for ever" in out.getvalue()


@pytest.mark.parametrize("word", ["maybe", "yes", "on"])
def test_the_api_refuses_a_mine_that_is_neither_true_nor_false(client, alice_owner, bureau, word):
    finished("tests.project", alice_owner, make_project(alice_owner, "他人任务"))
    client.force_login(bureau)  # follows every job: an ignored ?mine=yes listed them all as "mine"
    response = client.get("/api/v1/jobs/", {"mine": word})
    assert response.status_code == 400 and "mine" in response.json()["errors"]
    assert rows(client.get("/api/v1/jobs/?mine=false").json())
