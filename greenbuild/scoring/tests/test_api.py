"""The scoring endpoints of the open API (issue 12): the same gate and services as the scoring
pages — every persona against every write endpoint, on a pilot in scope and one outside it."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import transaction

from greenbuild.api import services as api_services
from greenbuild.scoring.choices import ClauseKind
from greenbuild.scoring.models import ClauseClaim, ScoreRun, WasteRecord
from greenbuild.scoring.tests.conftest import HEADER, WORKED, accept_everything, claims_from
from greenbuild.scoring.tests.test_post_matrix import (
    CLAIM,
    CLAIM_OTHER,
    PERSONAS,
    REVIEW,
    REVIEW_OTHER,
    VIEW,
    VIEW_OTHER,
    pilots,  # noqa: F401  (a fixture)
)

pytestmark = pytest.mark.django_db


def bearer(user, scope="write"):
    _token, raw = api_services.create_token(actor=user, user=user, name="测试", scope=scope)
    return {"HTTP_AUTHORIZATION": "Bearer " + raw}


def call(client, method, path, body, auth):
    return getattr(client, method)(path, data=json.dumps(body, default=str), content_type="application/json", **auth)


def scorecard_body():
    claims = {}
    for clause, value in claims_from(WORKED).items():
        row = {"kind": value["kind"]}
        if value["kind"] == ClauseKind.CONTROL:
            row["passed"] = value["passed"]
        else:
            row["points"] = str(value["points"])
        claims[clause] = row
    return {**HEADER, "claims": claims}


def accepted_decisions():
    return {
        c: {k: str(v) if isinstance(v, Decimal) else v for k, v in d.items()} for c, d in accept_everything().items()
    }


def test_file_review_and_read_a_scorecard_through_the_api(client, personas, pilot):
    owner, reviewer = bearer(personas["alice_owner"]), bearer(personas["ted_evaluator"])
    filed = call(client, "put", "/api/v1/projects/{}/scorecards/evaluation/".format(pilot.pk), scorecard_body(), owner)
    assert filed.status_code == 200, filed.content
    assert filed.json()["basis"] == "claimed"
    decisions = accepted_decisions()
    reviewed = call(
        client,
        "post",
        "/api/v1/projects/{}/scorecards/evaluation/review/".format(pilot.pk),
        {"decisions": decisions},
        reviewer,
    )
    assert reviewed.status_code == 200, reviewed.content
    assert reviewed.json()["basis"] == "accepted"
    card = client.get("/api/v1/scorecards/?project={}".format(pilot.pk), **owner).json()["results"][0]
    assert card["stage"] == "evaluation"
    assert {c["clause"] for c in card["claims"]} == set(scorecard_body()["claims"])
    runs = client.get("/api/v1/score-runs/?project={}&engine=gbt50378".format(pilot.pk), **owner).json()["results"]
    assert [r["basis"] for r in runs] == ["accepted", "claimed"]


def test_an_engine_refusal_comes_back_keyed_by_clause(client, personas, pilot):
    body = scorecard_body()
    body["claims"]["4.2.1"] = {"kind": "scored", "points": "999"}
    response = call(
        client,
        "put",
        "/api/v1/projects/{}/scorecards/evaluation/".format(pilot.pk),
        body,
        bearer(personas["alice_owner"]),
    )
    assert response.status_code == 400
    assert response.json()["errors"]
    assert not ClauseClaim.objects.filter(scorecard__project=pilot).exists()


def test_waste_records_are_validated_by_the_page_form(client, personas, pilot):
    auth = bearer(personas["alice_owner"])
    bad = call(
        client,
        "post",
        "/api/v1/waste-records/",
        {
            "project": pilot.pk,
            "recorded_on": "2022-05-01",
            "category": "construction_waste",
            "tonnes": "10",
            "recycled_tonnes": "11",
        },
        auth,
    )
    assert bad.status_code == 400
    assert "recycled_tonnes" in bad.json()["errors"]
    good = call(
        client,
        "post",
        "/api/v1/waste-records/",
        {
            "project": pilot.pk,
            "recorded_on": "2022-05-01",
            "category": "construction_waste",
            "tonnes": "10",
            "recycled_tonnes": "4",
        },
        auth,
    )
    assert good.status_code == 201, good.content
    pk = good.json()["id"]
    assert call(client, "patch", "/api/v1/waste-records/{}/".format(pk), {"tonnes": "12"}, auth).status_code == 200
    assert WasteRecord.objects.get(pk=pk).tonnes == 12
    assert client.delete("/api/v1/waste-records/{}/".format(pk), **auth).status_code == 204
    assert WasteRecord.history.filter(id=pk).count() == 3  # created, changed, deleted


@pytest.mark.parametrize("who", PERSONAS)
def test_scoring_writes_matrix(client, personas, pilots, who):  # noqa: F811
    """Filing, reviewing, recording and recomputing through the API, on alice's pilot (in scope for
    most) and olivia's in 武进区: 404 when the scores are invisible, 403 when visible but not theirs."""
    auth = bearer(personas[who])
    alice, olivia = pilots["mine"][0], pilots["other"][0]
    for project, views, claim, review in (
        (alice, VIEW, CLAIM, REVIEW),
        (olivia, VIEW_OTHER, CLAIM_OTHER, REVIEW_OTHER),
    ):
        writes = [
            ("file", "put", "/api/v1/projects/{}/scorecards/evaluation/".format(project.pk), scorecard_body(), claim),
            (
                "review",
                "post",
                "/api/v1/projects/{}/scorecards/evaluation/review/".format(project.pk),
                {"decisions": accepted_decisions()},
                review,
            ),
            (
                "waste",
                "post",
                "/api/v1/waste-records/",
                {"project": project.pk, "recorded_on": "2022-05-01", "category": "construction_waste", "tonnes": "3"},
                claim,
            ),
            ("run", "post", "/api/v1/projects/{}/score-runs/".format(project.pk), {}, claim),
        ]
        for name, method, path, body, allowed in writes:
            with transaction.atomic():
                before = (
                    ScoreRun.objects.count(),
                    WasteRecord.objects.count(),
                    list(ClauseClaim.objects.values_list("pk", "accepted_points")),
                )
                response = call(client, method, path, body, auth)
                expected = (200, 201) if who in allowed else ((403,) if who in views else (404,))
                assert response.status_code in expected, (
                    who,
                    name,
                    project.name,
                    response.status_code,
                    response.content,
                )
                if response.status_code >= 400:
                    after = (
                        ScoreRun.objects.count(),
                        WasteRecord.objects.count(),
                        list(ClauseClaim.objects.values_list("pk", "accepted_points")),
                    )
                    assert after == before, (who, name)
                transaction.set_rollback(True)
        read = client.get("/api/v1/score-runs/?project={}".format(project.pk), **auth).json()["results"]
        assert bool(read) == (who in views), (who, "read runs", project.name)
