"""Numbers under concurrent issue (PostgreSQL): threads issuing at once get 1..N, no gap, no twice."""

from __future__ import annotations

import pytest
from django.utils import timezone

from greenbuild.documents import services
from greenbuild.documents.models import DocumentCounter, IssuedDocument
from greenbuild.documents.tests.conftest import TEST_KIND
from greenbuild.projects.tests.test_concurrency import postgres_race, race
from greenbuild.testing.factories import make_project

THREADS = 6


@pytest.mark.parametrize("attempt", range(2))  # a race: run it more than once
@postgres_race
def test_concurrent_issues_get_gapless_unique_numbers(personas, test_kind, attempt):
    projects = [make_project(personas["alice_owner"], name="并发发文{}".format(i)) for i in range(THREADS)]
    bureau = personas["bureau"]

    def issuing(project):
        return lambda: services.issue_document(actor=bureau, kind=TEST_KIND, object_id=project.pk)[0].serial

    results = race(*(issuing(p) for p in projects))
    assert sorted(results) == list(range(1, THREADS + 1)), results
    year = timezone.localdate().year
    assert DocumentCounter.objects.get(kind=TEST_KIND, year=year).last_serial == THREADS
    assert sorted(IssuedDocument.objects.values_list("serial", flat=True)) == list(range(1, THREADS + 1))


@postgres_race
def test_two_presses_at_once_for_one_object_file_one_document(personas, test_kind):
    project = make_project(personas["alice_owner"], name="并发双击")
    bureau = personas["bureau"]

    def press():
        return services.issue_document(actor=bureau, kind=TEST_KIND, object_id=project.pk)

    results = race(press, press)
    assert not any(isinstance(r, Exception) for r in results), results
    assert results[0][0].pk == results[1][0].pk and sorted(r[1] for r in results) == [False, True]
    assert IssuedDocument.objects.count() == 1
