"""Break-it pass: acceptance reads the live values at the move; doubled reports change nothing twice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from greenbuild.completion import services
from greenbuild.completion.models import CompletionEvaluation, IncrementalCost, Lesson
from greenbuild.completion.tests.conftest import store_run
from greenbuild.completion.tests.test_evaluation import _to_panel
from greenbuild.core.errors import DomainError
from greenbuild.documents.models import IssuedDocument

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _memory_files(settings):
    settings.STORAGES = {**settings.STORAGES, "attachments": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


def test_acceptance_refused_when_the_live_values_no_longer_meet_the_targets(completed, personas, client):
    evaluation = services.start_evaluation(actor=personas["bureau"], project=completed)
    assert evaluation.verdict == "met"
    evaluation = _to_panel(evaluation, personas)
    # after the values were gathered, a building is assessed again, far below its target
    for building in completed.buildings.all():
        store_run(
            completed,
            personas["bureau"],
            "gbt51129",
            {"assembly_rate_pct": "5", "is_prefabricated": True},
            building=building,
        )
    with pytest.raises(DomainError):
        services.accept(actor=personas["bureau"], evaluation_id=evaluation.pk, comment="同意")
    client.force_login(personas["bureau"])
    answer = client.post(
        "/api/v1/completion-evaluations/{}/actions/accept/".format(evaluation.pk),
        {"comment": "同意"},
        content_type="application/json",
    )
    assert answer.status_code in (400, 409)
    client.post(reverse("completion:evaluation-move", args=[evaluation.pk, "accept"]), {"comment": "同意"})
    assert CompletionEvaluation.objects.get(pk=evaluation.pk).status == "panel_concluded"
    assert not IssuedDocument.objects.exists()


def test_a_doubled_cost_or_lesson_is_kept_once(completed, personas, client):
    client.force_login(personas["alice_owner"])
    cost = {"measure": "光伏屋面", "guideline_code": "", "amount_yuan": "120000", "note": ""}
    lesson = {"topic": "technology", "title": "叠合板", "body": "提前深化设计"}
    for _ in range(2):
        client.post(reverse("completion:project-costs", args=[completed.pk]), cost)
        client.post(reverse("completion:project-lessons", args=[completed.pk]), lesson)
        client.post("/api/v1/incremental-costs/", {"project": completed.pk, **cost}, content_type="application/json")
    assert IncrementalCost.objects.filter(project=completed).count() == 1
    assert Lesson.objects.filter(project=completed).count() == 1


def test_unusable_criteria_are_refused_in_the_readers_language_without_a_server_error(completed, personas, client):
    from greenbuild.completion.models import EvaluationScheme

    client.force_login(personas["bureau"])
    body = {
        "name": "第2版",
        "rules": "规则",
        "method": "方法",
        "criteria": [{"code": ["X"], "indicator": ["star_level"], "weight": "1"}],
        "pass_score": "80",
        "note": "改",
    }
    answer = client.post("/api/v1/completion-schemes/", body, content_type="application/json")
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "第 1 条细则缺少编号" in text and "has no code" not in text
    assert EvaluationScheme.objects.count() == 1


def test_acceptance_refused_against_the_panels_advice(completed, personas, client):
    """The panel concluded "do not recommend acceptance": the bureau cannot accept, on the service,
    the API or the page; returning it to the panel or not accepting stays open."""
    evaluation = services.start_evaluation(actor=personas["bureau"], project=completed)
    services.appoint_panel(
        actor=personas["bureau"], evaluation_id=evaluation.pk, leader=personas["eve_expert"], members=[]
    )
    services.move(actor=personas["bureau"], evaluation_id=evaluation.pk, action="send_to_panel")
    services.conclude_panel(
        actor=personas["eve_expert"], evaluation_id=evaluation.pk, verdict="fail", opinion="建筑垃圾数据存疑。"
    )
    with pytest.raises(DomainError, match="did not recommend|未建议|不建议"):
        services.accept(actor=personas["bureau"], evaluation_id=evaluation.pk, comment="同意")
    client.force_login(personas["bureau"])
    answer = client.post(
        "/api/v1/completion-evaluations/{}/actions/accept/".format(evaluation.pk),
        {"comment": "同意"},
        content_type="application/json",
    )
    assert answer.status_code in (400, 409)
    client.post(reverse("completion:evaluation-move", args=[evaluation.pk, "accept"]), {"comment": "同意"})
    assert CompletionEvaluation.objects.get(pk=evaluation.pk).status == "panel_concluded"
    assert not IssuedDocument.objects.exists()
