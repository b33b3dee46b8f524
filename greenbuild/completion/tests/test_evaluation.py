"""The completion evaluation (R6, R20): the refusal without a completion scorecard, the whole
flow to the issued report and letter, the public-notice guard on every path, the scheme's versions,
the results of record, incremental costs and lessons."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from greenbuild.completion import selectors, services
from greenbuild.completion.models import CompletionEvaluation, EvaluationScheme, FrozenSchemeError, IncrementalCost
from greenbuild.completion.signals import completion_accepted
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.documents.models import IssuedDocument

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _memory_files(settings):
    settings.STORAGES = {**settings.STORAGES, "attachments": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


def _to_panel(evaluation, personas):
    services.appoint_panel(
        actor=personas["bureau"], evaluation_id=evaluation.pk, leader=personas["eve_expert"], members=[]
    )
    services.move(actor=personas["bureau"], evaluation_id=evaluation.pk, action="send_to_panel")
    services.conclude_panel(
        actor=personas["eve_expert"], evaluation_id=evaluation.pk, verdict="pass", opinion="各项指标均达到基线目标。"
    )
    evaluation.refresh_from_db()
    return evaluation


def test_r6_refused_without_a_completion_scorecard_nothing_saved(pilot, personas, client):
    with pytest.raises(DomainError, match="竣工评价记分卡"):
        services.start_evaluation(actor=personas["bureau"], project=pilot)
    client.force_login(personas["bureau"])
    response = client.post(reverse("completion:evaluation-start", args=[pilot.pk]), follow=True)
    assert "竣工" in response.content.decode() or "completion scorecard" in response.content.decode()
    answer = client.post("/api/v1/completion-evaluations/", {"project": pilot.pk}, content_type="application/json")
    assert answer.status_code == 400
    assert CompletionEvaluation.objects.count() == 0


def test_r6_the_whole_flow_issues_the_report_and_the_letter(
    completed, personas, client, django_capture_on_commit_callbacks
):
    received = []

    def listener(sender, evaluation, actor, **kwargs):
        received.append((evaluation.pk, actor.pk))

    completion_accepted.connect(listener)
    try:
        evaluation = services.start_evaluation(actor=personas["bureau"], project=completed)
        assert evaluation.verdict == "met", evaluation.outcome
        assert evaluation.scheme.version == 1 and evaluation.baseline_version == 1
        assert evaluation.achieved["assembly_rates"] == {"1#楼": "65.0"}
        assert not evaluation.star_provisional
        results = selectors.completion_results([completed])
        assert not results[completed.pk].is_final and results[completed.pk].label
        evaluation = _to_panel(evaluation, personas)
        assert evaluation.status == "panel_concluded"
        with pytest.raises(ActionForbidden):  # the owner does not accept
            services.move(actor=personas["alice_owner"], evaluation_id=evaluation.pk, action="accept", comment="好")
        with pytest.raises(DomainError):  # the bureau's conclusion is written down
            services.move(actor=personas["bureau"], evaluation_id=evaluation.pk, action="accept", comment="")
        client.force_login(personas["bureau"])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("completion:evaluation-move", args=[evaluation.pk, "accept"]), {"comment": "同意通过专项验收。"}
            )
        assert response.status_code == 302
    finally:
        completion_accepted.disconnect(listener)
    evaluation.refresh_from_db()
    assert evaluation.status == "accepted" and evaluation.bureau_opinion == "同意通过专项验收。"
    assert received == [(evaluation.pk, personas["bureau"].pk)]
    kinds = sorted(IssuedDocument.objects.values_list("kind", flat=True))
    assert kinds == ["completion.acceptance_letter", "completion.evaluation_report"]
    results = selectors.completion_results([completed])
    assert results[completed.pk].is_final and results[completed.pk].accepted and results[completed.pk].label == ""
    # the owner reads the evaluation and its documents; an outsider does not
    client.force_login(personas["alice_owner"])
    page = client.get(reverse("completion:evaluation-detail", args=[evaluation.pk])).content.decode()
    assert "常住建绿验" in page and "常住建绿评" in page
    client.force_login(personas["olivia_other_owner"])
    assert client.get(reverse("completion:evaluation-detail", args=[evaluation.pk])).status_code == 404


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_r6_the_report_pdf_holds_the_chinese_headings_and_the_numbers(completed, personas):
    evaluation = _to_panel(services.start_evaluation(actor=personas["bureau"], project=completed), personas)
    services.accept(actor=personas["bureau"], evaluation_id=evaluation.pk, comment="同意通过专项验收。")
    report = IssuedDocument.objects.get(kind="completion.evaluation_report")
    with report.file.file.open("rb") as handle:
        data = handle.read()
    text = subprocess.run(  # noqa: S603
        [shutil.which("pdftotext") or "pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")
    flat = "".join(text.split())
    for heading in ("绿色建造专项评估报告", "实际达成值", "专家组结论", "住建局结论"):
        assert heading in flat, heading
    assert report.number in flat
    assert "1#楼65%" in flat and "1#楼60%" in flat  # achieved and the baseline target
    assert "160" in flat and "180" in flat  # waste intensity achieved and target
    assert "65" in flat and "100.0" in flat  # green-material share and the weighted score
    assert "三星级" in flat or "三星" in flat  # the star level by its name
    letter = IssuedDocument.objects.get(kind="completion.acceptance_letter")
    with letter.file.file.open("rb") as handle:
        letter_text = subprocess.run(  # noqa: S603
            [shutil.which("pdftotext") or "pdftotext", "-", "-"], input=handle.read(), capture_output=True, check=True
        ).stdout.decode("utf-8")
    assert "绿色建造专项验收意见书" in "".join(letter_text.split())


def test_r6_acceptance_waits_for_the_public_notice_on_every_path(completed, personas, client):
    from greenbuild.publicity import services as publicity

    evaluation = _to_panel(services.start_evaluation(actor=personas["bureau"], project=completed), personas)
    notice = publicity.create_notice(
        actor=personas["bureau"],
        project=completed,
        data={"kind": "completion", "title": "竣工结果公示", "body": "公示期内可提出异议。", "working_days": 5},
    )
    publicity.transition_notice(actor=personas["bureau"], notice_id=notice.pk, action="publish")
    with pytest.raises(DomainError, match="公示|notice"):
        services.accept(actor=personas["bureau"], evaluation_id=evaluation.pk, comment="同意")
    client.force_login(personas["bureau"])
    client.post(reverse("completion:evaluation-move", args=[evaluation.pk, "accept"]), {"comment": "同意"})
    answer = client.post(
        "/api/v1/completion-evaluations/{}/actions/accept/".format(evaluation.pk),
        {"comment": "同意"},
        content_type="application/json",
    )
    assert answer.status_code in (400, 409)
    evaluation.refresh_from_db()
    assert evaluation.status == "panel_concluded" and evaluation.transitions.filter(to_status="accepted").count() == 0
    assert IssuedDocument.objects.count() == 0


def test_r6_a_missed_target_cannot_be_accepted_only_not_accepted(completed, personas):
    from greenbuild.completion.tests.conftest import store_run

    store_run(
        completed,
        personas["bureau"],
        "gbt51129",
        {"assembly_rate_pct": "55", "is_prefabricated": True},
        building=completed.buildings.first(),
    )
    evaluation = services.start_evaluation(actor=personas["bureau"], project=completed)
    assert evaluation.verdict == "not_met"
    assert [row["code"] for row in evaluation.outcome["rows"] if row["status"] == "missed"] == ["C3"]
    evaluation = _to_panel(evaluation, personas)
    with pytest.raises(DomainError, match="目标未达成"):
        services.accept(actor=personas["bureau"], evaluation_id=evaluation.pk, comment="同意")
    services.move(
        actor=personas["bureau"], evaluation_id=evaluation.pk, action="reject", comment="装配率未达基线目标。"
    )
    evaluation.refresh_from_db()
    assert evaluation.status == "not_accepted"
    assert list(IssuedDocument.objects.values_list("kind", flat=True)) == ["completion.evaluation_report"]
    assert selectors.completion_results([completed])[completed.pk].is_final


def test_r20_the_scheme_is_versioned_and_each_evaluation_keeps_its_version(completed, personas, client):
    first = EvaluationScheme.objects.get(version=1)
    evaluation = services.start_evaluation(actor=personas["bureau"], project=completed)
    client.force_login(personas["bureau"])
    criteria = [dict(c) for c in first.criteria]
    criteria[1]["weight"] = "10"
    import json

    response = client.post(
        reverse("completion:scheme-create"),
        {
            "name": "第2版",
            "rules": first.rules,
            "method": first.method,
            "criteria": json.dumps(criteria),
            "pass_score": "85",
            "note": "标准化设计权重提高",
        },
    )
    assert response.status_code == 302
    second = EvaluationScheme.objects.get(version=2)
    assert second.pass_score == Decimal("85") and second.created_by == personas["bureau"]
    first.refresh_from_db()
    assert first.criteria[1]["weight"] == "5" and first.pass_score == Decimal("80")
    evaluation.refresh_from_db()
    assert evaluation.scheme_id == first.pk
    with pytest.raises(FrozenSchemeError):
        first.name = "改"
        first.save()
    # the form posted back as shown makes no version; a bad scheme is refused, nothing saved
    shown = client.get(reverse("completion:scheme-create")).context["form"].initial
    response = client.post(reverse("completion:scheme-create"), {**shown, "note": "未改"})
    assert response.status_code == 200 and EvaluationScheme.objects.count() == 2
    response = client.post(
        reverse("completion:scheme-create"),
        {"name": "x", "rules": "x", "method": "x", "criteria": "[]", "pass_score": "80", "note": "x"},
    )
    assert response.status_code == 200 and EvaluationScheme.objects.count() == 2
    client.force_login(personas["alice_owner"])
    assert client.get(reverse("completion:scheme-create")).status_code == 403


def test_incremental_costs_and_lessons_by_the_owner(completed, personas, client):
    client.force_login(personas["alice_owner"])
    url = reverse("completion:project-costs", args=[completed.pk])
    response = client.post(url, {"measure": "铝模板", "guideline_code": "", "amount_yuan": "1200000", "note": ""})
    assert response.status_code == 302
    response = client.post(url, {"measure": "装配化装修", "amount_yuan": "-1"})
    assert response.status_code == 200 and IncrementalCost.objects.count() == 1
    summary = selectors.cost_summary(completed)
    assert summary.total_yuan == Decimal("1200000") and summary.per_m2_yuan == Decimal("20.00")  # over 60,000 m²
    assert "20.00" in client.get(url).content.decode()
    lessons = reverse("completion:project-lessons", args=[completed.pk])
    assert (
        client.post(lessons, {"topic": "technology", "title": "铝模周转", "body": "周转次数达到60次。"}).status_code
        == 302
    )
    client.force_login(personas["carl_contractor"])
    assert client.post(url, {"measure": "x", "amount_yuan": "1"}).status_code == 403
    client.force_login(personas["dan_district"])
    assert client.get(url).status_code == 200
    assert client.post(lessons, {"topic": "technology", "title": "x", "body": "x"}).status_code == 403
    assert IncrementalCost.objects.count() == 1 and completed.lessons.count() == 1


def test_completion_results_label_what_is_provisional(pilot, completed, personas, filed_project):
    other = filed_project("confirmed", name="未竣工试点")
    results = selectors.completion_results([completed, other])
    live = results[completed.pk]  # a completion scorecard, no evaluation yet: the live values
    assert live.evaluation_id is None and live.verdict == "met" and not live.is_final and live.label
    assert results[other.pk].verdict is None and not results[other.pk].is_final


def test_the_api_starts_concludes_and_keeps_the_panel_to_its_leader(completed, personas, client):
    client.force_login(personas["bureau"])
    answer = client.post("/api/v1/completion-evaluations/", {"project": completed.pk}, content_type="application/json")
    assert answer.status_code == 201, answer.content
    pk = answer.json()["id"]
    assert answer.json()["verdict"] == "met" and answer.json()["is_final"] is False
    services.appoint_panel(actor=personas["bureau"], evaluation_id=pk, leader=personas["eve_expert"], members=[])
    assert (
        client.post(
            "/api/v1/completion-evaluations/{}/actions/send_to_panel/".format(pk), {}, content_type="application/json"
        ).status_code
        == 200
    )
    url = "/api/v1/completion-evaluations/{}/conclusion/".format(pk)
    body = {"verdict": "pass", "opinion": "达到基线目标"}
    assert client.post(url, body, content_type="application/json").status_code == 403  # the bureau is not the panel
    client.force_login(personas["eve_expert"])
    assert client.post(url, {"verdict": "maybe", "opinion": "x"}, content_type="application/json").status_code == 400
    assert client.post(url, body, content_type="application/json").status_code == 200
    assert CompletionEvaluation.objects.get(pk=pk).status == "panel_concluded"
