"""A second submit racing the first (issue 2, "Bad input"): exactly one wins, the other is refused.

The race needs real concurrent connections and row locks, so it runs on PostgreSQL only; the
sequential version (two browser tabs, one after the other) runs everywhere.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from greenbuild.core.errors import TransitionNotAllowed
from greenbuild.projects import services
from greenbuild.projects.choices import ProjectStatus
from greenbuild.projects.models import Project, ProjectTransition
from greenbuild.testing.factories import make_project, move_to


def postgres_race(test: Any) -> Any:
    """Committed data and real connections: PostgreSQL only.

    A transactional test flushes every table after it; the root conftest's ``_migration_data``
    puts the migrations' rows back before the next database test. (``serialized_rollback`` is not
    used: in random order it restored content types over ids that a flush had already renumbered.)
    """
    for mark in (
        pytest.mark.postgres,
        pytest.mark.skipif(
            connection.vendor != "postgresql", reason="needs PostgreSQL row locks and concurrent connections"
        ),
        pytest.mark.django_db(transaction=True),
    ):
        test = mark(test)
    return test


def race(*calls: Any) -> list[Any]:
    """Run ``calls`` in threads released together; each returns its result or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Any) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the loser's exception is the result under test
            results[index] = error
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return results


@pytest.mark.parametrize("attempt", range(3))  # a race: run it a few times
@postgres_race
def test_two_submits_at_once_make_exactly_one_transition_and_the_loser_is_refused(alice_owner, attempt):
    project = make_project(alice_owner, "并发申报项目")

    def submit():
        return services.transition_project(actor=alice_owner, project_id=project.pk, action="submit")

    results = race(submit, submit)

    winners = [r for r in results if isinstance(r, ProjectTransition)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], TransitionNotAllowed), repr(losers[0])
    assert ProjectTransition.objects.filter(project=project).count() == 1
    assert Project.objects.get(pk=project.pk).status == ProjectStatus.SUBMITTED
    assert project.history.filter(status=ProjectStatus.SUBMITTED).count() == 1


@postgres_race
def test_a_recommendation_racing_a_return_leaves_exactly_one_of_them(alice_owner, dan_district, bureau):
    """Both moves start only from "submitted": whichever locks the row first wins, the other is refused."""
    project = make_project(alice_owner, "并发推荐项目")
    move_to(project, "submitted", owner=alice_owner, district_official=dan_district, bureau=bureau)

    results = race(
        lambda: services.transition_project(
            actor=dan_district, project_id=project.pk, action="recommend", comment="推荐"
        ),
        lambda: services.transition_project(actor=dan_district, project_id=project.pk, action="return", comment="退回"),
    )

    winners = [r for r in results if isinstance(r, ProjectTransition)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], TransitionNotAllowed), repr(losers[0])
    transitions = list(ProjectTransition.objects.filter(project=project).order_by("pk"))
    assert [t.to_status for t in transitions] == [ProjectStatus.SUBMITTED, winners[0].to_status]
    assert Project.objects.get(pk=project.pk).status == winners[0].to_status


def test_a_second_submit_from_a_stale_page_is_refused_and_records_nothing(client, alice_owner):
    """The sequential race: two tabs show the submit button; the second click finds it submitted."""
    project = make_project(alice_owner, "两个标签页项目")
    client.force_login(alice_owner)
    detail = reverse("projects:project-detail", args=[project.pk])
    for _ in range(2):  # both tabs load the page while it is still a draft
        assert 'data-action="submit"' in client.get(detail).content.decode()

    submit = reverse("projects:project-transition", args=[project.pk, "submit"])
    first = client.post(submit, follow=True)
    second = client.post(submit, follow=True)

    assert first.redirect_chain == second.redirect_chain == [(detail, 302)]
    assert [m.level_tag for m in first.context["messages"]] == ["success"]
    assert [m.level_tag for m in second.context["messages"]] == ["error"]
    assert ProjectTransition.objects.filter(project=project).count() == 1
    assert Project.objects.get(pk=project.pk).status == ProjectStatus.SUBMITTED
    assert project.history.filter(status=ProjectStatus.SUBMITTED).count() == 1


def test_a_second_submit_through_the_service_raises_transition_not_allowed(alice_owner):
    project = make_project(alice_owner, "顺序申报项目")
    services.transition_project(actor=alice_owner, project_id=project.pk, action="submit")
    with pytest.raises(TransitionNotAllowed):
        services.transition_project(actor=alice_owner, project_id=project.pk, action="submit")
    assert ProjectTransition.objects.filter(project=project).count() == 1
