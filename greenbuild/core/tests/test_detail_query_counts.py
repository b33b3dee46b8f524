"""Every detail page makes as many queries for a large object as for a small one (issue 11 item 9).

Each test counts the queries of one page at a small and at a larger size (more buildings,
participants, records, notifications, rows, events …) and asserts the two counts are equal: no
page fetches per row. The project page's own test is in ``projects/tests/test_panels.py``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from greenbuild.audit.choices import EventKind
from greenbuild.audit.services import record_event
from greenbuild.jobs.tests import kinds  # noqa: F401  (registers the test job kinds)
from greenbuild.scoring import services as scoring_services
from greenbuild.scoring.models import ScoreRun
from greenbuild.testing.factories import make_attachment, make_job, make_project, move_to, scored_candidate

pytestmark = pytest.mark.django_db


def queries(client: Any, url: str) -> int:
    client.get(url)  # warm the per-process caches (content types, sites, reference data)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


@pytest.fixture
def small_and_large(personas):
    """A small scored candidate and a larger one (6 more buildings, 4 more participants)."""
    return scored_candidate(personas, name="小项目"), scored_candidate(
        personas, name="大项目", buildings=6, designers=4
    )


def add_waste(project, actor, n: int) -> None:
    for day in range(n):
        scoring_services.record_waste(
            actor=actor,
            project=project,
            data={"recorded_on": dt.date(2022, 5, 1 + day), "category": "construction_waste", "tonnes": Decimal(10)},
        )


@pytest.mark.parametrize("persona", ["alice_owner", "bureau"])
def test_the_scores_page(client, personas, small_and_large, persona):
    small, large = small_and_large
    client.force_login(personas[persona])
    assert queries(client, reverse("scoring:scores", args=[small.pk])) == queries(
        client, reverse("scoring:scores", args=[large.pk])
    )


def test_the_score_run_page(client, personas, small_and_large):
    client.force_login(personas["alice_owner"])
    counts = []
    for project in small_and_large:
        run = ScoreRun.objects.filter(scorecard__project=project).latest("pk")
        counts.append(queries(client, reverse("scoring:score-run", args=[project.pk, run.pk])))
    assert counts[0] == counts[1]


def test_the_records_page(client, personas, small_and_large):
    small, large = small_and_large
    alice = personas["alice_owner"]
    add_waste(small, alice, 1)
    add_waste(large, alice, 8)
    client.force_login(alice)
    assert queries(client, reverse("scoring:records", args=[small.pk])) == queries(
        client, reverse("scoring:records", args=[large.pk])
    )


def _file_applications(personas, count: int, start: int) -> None:
    for n in range(count):
        project = make_project(personas["alice_owner"], name="申报{}".format(start + n))
        move_to(
            project,
            "submitted",
            owner=personas["alice_owner"],
            district_official=personas["dan_district"],
            bureau=personas["bureau"],
        )


@pytest.mark.parametrize("url_name", ["notifications:list", "notifications:inbox", "notifications:inbox-badge"])
def test_the_notification_list_and_the_inbox(client, personas, url_name):
    client.force_login(personas["dan_district"])  # dan is told of each submission and must act on it
    _file_applications(personas, 1, start=0)
    small = queries(client, reverse(url_name))
    _file_applications(personas, 6, start=1)
    assert queries(client, reverse(url_name)) == small


def test_the_job_page(client, personas, small_and_large):
    bureau = personas["bureau"]
    client.force_login(bureau)
    counts = [
        queries(client, reverse("jobs:job-detail", args=[make_job("tests.project", actor=bureau, project=p).pk]))
        for p in small_and_large
    ]
    assert counts[0] == counts[1]


def test_the_attachment_download(client, personas, small_and_large, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    alice = personas["alice_owner"]
    client.force_login(alice)
    counts = [
        queries(client, reverse("attachments:download", args=[make_attachment(p, actor=alice).pk]))
        for p in small_and_large
    ]
    assert counts[0] == counts[1]


def test_the_audit_list(client, personas):
    bureau = personas["bureau"]
    client.force_login(bureau)
    record_event(EventKind.LOGIN, actor=bureau)
    small = queries(client, reverse("audit:list"))
    for user in personas.values():
        for _n in range(3):
            record_event(EventKind.LOGIN, actor=user)
            record_event(EventKind.LOGIN_FAILED, username=user.username)
    assert queries(client, reverse("audit:list")) == small


@pytest.mark.parametrize("bad", [False, True], ids=["imported", "refused-rows"])
def test_the_import_batch_page(client, personas, settings, bad):
    from greenbuild.imports.models import ImportBatch
    from greenbuild.imports.tests.conftest import workbook
    from greenbuild.imports.tests.test_imports import ZH_HEADERS, org_rows, upload

    client.force_login(personas["bureau"])
    # the import runs as a job (SEC-06): inline, when the upload's transaction commits
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    def batch_page(count: int, start: int) -> int:
        rows = org_rows(count, start=start)
        if bad:
            rows = [[name, "不是信用代码", *rest] for name, _code, *rest in rows]
        upload(client, "organisations", workbook(ZH_HEADERS, rows))
        batch = ImportBatch.objects.latest("pk")
        assert bool(batch.errors) is bad
        assert batch.status == ("invalid" if bad else "done"), batch.status
        return queries(client, reverse("imports:batch-detail", args=[batch.pk]))

    assert batch_page(1, start=1) == batch_page(30, start=100)
