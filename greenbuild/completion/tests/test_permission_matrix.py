"""The permission matrix of every completion page, action and endpoint: readers of the project's
internal pages and the panel see the evaluation; the bureau decides; the panel leader concludes;
the owner reports costs and lessons; nothing is written when refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from greenbuild.completion import services
from greenbuild.completion.models import (
    CompletionEvaluation,
    EvaluationScheme,
    EvaluationTransition,
    IncrementalCost,
    Lesson,
)
from greenbuild.testing.matrix import each_persona, outcome, table, undone

pytestmark = pytest.mark.django_db

PAGES = ["list", "detail", "schemes", "scheme", "scheme_new", "costs", "lessons"]
PAGE_MATRIX = """
alice_owner         ok  ok  ok  ok  403 ok  ok
olivia_other_owner  ok  404 ok  ok  403 403 403
dan_district        ok  ok  ok  ok  403 ok  ok
wu_district         ok  404 ok  ok  403 403 403
bureau              ok  ok  ok  ok  ok  ok  ok
dept_reviewer       ok  ok  ok  ok  403 ok  ok
carl_contractor     ok  404 ok  ok  403 403 403
eve_expert          ok  ok  ok  ok  403 403 403
ted_evaluator       ok  404 ok  ok  403 403 403
dave_outsider       ok  404 ok  ok  403 403 403
anonymous           login login login login login login login
"""

ACTIONS = ["refresh", "panel", "send", "cost", "lesson"]
# the costs and lessons pages of a published pilot: 403 for a reader of its public face only
ACTION_MATRIX = """
alice_owner         403 403 403 done done
olivia_other_owner  404 404 404 403  403
dan_district        403 403 403 403  403
wu_district         404 404 404 403  403
bureau              done done done 403 403
dept_reviewer       403 403 403 403  403
carl_contractor     404 404 404 403  403
eve_expert          403 403 403 403  403
ted_evaluator       404 404 404 403  403
dave_outsider       404 404 404 403  403
anonymous           login login login login login
"""


@pytest.fixture
def world(completed, personas):
    evaluation = services.start_evaluation(actor=personas["bureau"], project=completed)
    services.appoint_panel(
        actor=personas["bureau"], evaluation_id=evaluation.pk, leader=personas["eve_expert"], members=[]
    )
    return {"evaluation": evaluation, "project": completed}


def _state():
    return (
        list(CompletionEvaluation.objects.order_by("pk").values_list("status", "gathered_at", "panel_leader_id")),
        EvaluationTransition.objects.count(),
        IncrementalCost.objects.count(),
        Lesson.objects.count(),
        EvaluationScheme.objects.count(),
    )


def test_the_list_shows_only_what_the_reader_may_open(client, personas, world):
    client.force_login(personas["dave_outsider"])
    assert world["project"].name not in client.get(reverse("completion:evaluation-list")).content.decode()
    client.force_login(personas["eve_expert"])
    assert world["project"].name in client.get(reverse("completion:evaluation-list")).content.decode()


def test_page_matrix(client, personas, world):
    evaluation, project = world["evaluation"], world["project"]
    urls = {
        "list": reverse("completion:evaluation-list"),
        "detail": reverse("completion:evaluation-detail", args=[evaluation.pk]),
        "schemes": reverse("completion:scheme-list"),
        "scheme": reverse("completion:scheme-detail", args=[evaluation.scheme_id]),
        "scheme_new": reverse("completion:scheme-create"),
        "costs": reverse("completion:project-costs", args=[project.pk]),
        "lessons": reverse("completion:project-lessons", args=[project.pk]),
    }
    got = {}
    for persona in each_persona(client, personas):
        got[persona] = {name: outcome(client, "get", url, None, "")[0] for name, url in urls.items()}
    assert got == table(PAGE_MATRIX, PAGES)


def test_action_matrix(client, personas, world):
    evaluation, project = world["evaluation"], world["project"]
    detail = reverse("completion:evaluation-detail", args=[evaluation.pk])
    costs = reverse("completion:project-costs", args=[project.pk])
    lessons = reverse("completion:project-lessons", args=[project.pk])
    posts = {
        "refresh": (reverse("completion:evaluation-refresh", args=[evaluation.pk]), {}, detail),
        "panel": (
            reverse("completion:evaluation-panel", args=[evaluation.pk]),
            {"leader": personas["eve_expert"].pk},
            detail,
        ),
        "send": (reverse("completion:evaluation-move", args=[evaluation.pk, "send_to_panel"]), {"comment": ""}, detail),
        "cost": (costs, {"measure": "铝模板", "amount_yuan": "100"}, costs),
        "lesson": (lessons, {"topic": "technology", "title": "铝模", "body": "周转"}, lessons),
    }
    before = _state()
    got = {}
    for persona in each_persona(client, personas):
        row = {}
        for name, (url, data, target) in posts.items():
            with undone():
                result, _response = outcome(client, "post", url, data, target)
                if result != "done":
                    assert _state() == before, (persona, name)
            row[name] = result
        got[persona] = row
    assert got == table(ACTION_MATRIX, ACTIONS)


def test_api_matrix(client, personas, world):
    evaluation = world["evaluation"]
    got = {}
    for persona in each_persona(client, personas):
        with undone():
            read = client.get("/api/v1/completion-evaluations/{}/".format(evaluation.pk)).status_code
            send = client.post(
                "/api/v1/completion-evaluations/{}/actions/send_to_panel/".format(evaluation.pk),
                {},
                content_type="application/json",
            ).status_code
        got[persona] = (read, send)
    assert got["bureau"] == (200, 200)
    assert got["alice_owner"] == (200, 403)
    assert got["eve_expert"] == (200, 403)
    assert got["olivia_other_owner"] == (404, 404)
    assert got["dave_outsider"] == (404, 404)
    assert got["anonymous"][0] in (401, 403, 404)
