"""The plans API: the same gate and services as the pages (404 / 403, nothing written)."""

import json

import pytest

from greenbuild.api import services as api_services
from greenbuild.plans.models import GreenPlan, PlanTransition, PlanVersion

pytestmark = pytest.mark.django_db

PERSONAS = [
    "alice_owner",
    "olivia_other_owner",
    "dan_district",
    "wu_district",
    "bureau",
    "dept_reviewer",
    "carl_contractor",
    "eve_expert",
    "ted_evaluator",
    "dave_outsider",
]
READERS = {"alice_owner", "bureau", "dan_district", "dept_reviewer"}


def _token(user, scope="write"):
    _t, secret = api_services.create_token(actor=user, user=user, name="测试", scope=scope)
    return "Bearer " + secret


def _call(client, method, path, token, body=None):
    kwargs = {"HTTP_AUTHORIZATION": token}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(path, **kwargs)


def _snapshot():
    return (
        list(GreenPlan.objects.order_by("pk").values_list("pk", "status", "draft")),
        PlanVersion.objects.count(),
        PlanTransition.objects.count(),
    )


@pytest.mark.parametrize("who", PERSONAS)
def test_reads(client, plan_in, personas, who):
    plan = plan_in("passed_with_revisions")
    token = _token(personas[who], "read")
    listed = {row["id"] for row in _call(client, "get", "/api/v1/plans/", token).json()["results"]}
    expected = 200 if who in READERS else 404
    assert (plan.pk in listed) == (who in READERS)
    assert _call(client, "get", "/api/v1/plans/{}/".format(plan.pk), token).status_code == expected
    assert _call(client, "get", "/api/v1/plans/{}/diff/".format(plan.pk), token).status_code == expected
    versions = {row["id"] for row in _call(client, "get", "/api/v1/plan-versions/", token).json()["results"]}
    assert (plan.current_version_id in versions) == (who in READERS)


def test_the_diff_endpoint(client, plan_in, personas):
    plan = plan_in("passed_with_revisions")
    body = _call(
        client, "get", "/api/v1/plans/{}/diff/?a=1&b=2".format(plan.pk), _token(personas["bureau"], "read")
    ).json()
    assert {c["key"]: (c["before"], c["after"]) for c in body["changes"]} == {
        "targets.waste_t_per_10k_m2": ("180", "150"),
        "targets.green_material_pct": ("60", "65"),
    }


def test_a_draft_is_only_shown_to_the_owner_and_the_bureau(client, plan_in, personas):
    plan = plan_in("submitted")
    for who, shown in (("alice_owner", True), ("bureau", True), ("dan_district", False)):
        body = _call(client, "get", "/api/v1/plans/{}/".format(plan.pk), _token(personas[who], "read")).json()
        assert (body["draft"] is not None) == shown, who


@pytest.mark.parametrize("who", PERSONAS)
def test_the_review_moves_are_not_actions_of_the_plan(client, plan_in, personas, who):
    plan = plan_in("submitted")
    before = _snapshot()
    for move in ("begin_review", "request_clarification", "pass", "pass_with_revisions", "send_back", "fail"):
        response = _call(
            client, "post", "/api/v1/plans/{}/actions/{}/".format(plan.pk, move), _token(personas[who]), {}
        )
        assert response.status_code == 404, move
    assert _snapshot() == before


@pytest.mark.parametrize("who", PERSONAS)
def test_only_the_owner_submits_through_the_api(client, plan_in, personas, who):
    plan = plan_in("draft")
    before = _snapshot()
    response = _call(client, "post", "/api/v1/plans/{}/actions/submit/".format(plan.pk), _token(personas[who]), {})
    if who == "alice_owner":
        assert response.status_code == 200
        assert GreenPlan.objects.get(pk=plan.pk).status == "submitted"
    else:
        assert response.status_code == (403 if who in {"bureau"} else 404)
        assert _snapshot() == before


def test_a_move_from_the_wrong_state_is_a_conflict(client, plan_in, personas):
    plan = plan_in("submitted")
    before = _snapshot()
    response = _call(
        client, "post", "/api/v1/plans/{}/actions/submit/".format(plan.pk), _token(personas["alice_owner"]), {}
    )
    assert response.status_code == 409
    assert _snapshot() == before


def test_the_owner_writes_the_draft_and_bad_data_is_refused(client, plan_in, personas, good_data):
    plan = plan_in("draft")
    token = _token(personas["alice_owner"])
    url = "/api/v1/plans/{}/draft/".format(plan.pk)
    before = _snapshot()
    bad = _call(client, "put", url, token, {"data": {"targets": {"green_material_pct": "150"}}})
    assert bad.status_code == 400
    assert "targets.green_material_pct" in json.dumps(bad.json())
    assert _call(client, "put", url, token, {"data": {}, "status": "passed"}).status_code == 400
    assert _call(client, "put", url, _token(personas["alice_owner"], "read"), {"data": {}}).status_code == 403
    assert _call(client, "put", url, _token(personas["bureau"]), {"data": {}}).status_code == 403
    assert _snapshot() == before
    good = _call(client, "put", url, token, {"data": good_data(plan.project, plan.guideline)})
    assert good.status_code == 200
    submitted = _call(client, "post", "/api/v1/plans/{}/actions/submit/".format(plan.pk), token, {"comment": "请评审"})
    assert submitted.status_code == 200
    assert GreenPlan.objects.get(pk=plan.pk).current_version.number == 1


def test_a_frozen_version_cannot_be_edited_through_the_api(client, plan_in, personas):
    plan = plan_in("submitted")
    url = "/api/v1/plan-versions/{}/".format(plan.current_version_id)
    before = _snapshot()
    for method in ("put", "patch", "delete"):
        response = _call(client, method, url, _token(personas["alice_owner"]), {"data": {}})
        assert response.status_code == 405, method
    assert _snapshot() == before


def test_the_owner_starts_a_plan_through_the_api(client, filed_project, personas):
    project = filed_project("candidate")
    response = _call(client, "post", "/api/v1/plans/", _token(personas["alice_owner"]), {"project": project.pk})
    assert response.status_code == 201
    assert GreenPlan.objects.filter(project=project).exists()
    other = _call(client, "post", "/api/v1/plans/", _token(personas["olivia_other_owner"]), {"project": project.pk})
    assert other.status_code == 400


def test_the_guideline_is_readable(client, personas):
    token = _token(personas["dave_outsider"], "read")
    editions = _call(client, "get", "/api/v1/guidelines/", token).json()["results"]
    assert [e["code"] for e in editions] == ["changzhou-2021-v1"]
    items = _call(client, "get", "/api/v1/guideline-items/?step=construction&is_technology=true", token).json()
    assert {i["code"] for i in items["results"]} >= {"T-04", "T-05"}


def test_the_plan_list_costs_the_same_for_one_plan_or_three(client, plan_in, personas, django_assert_max_num_queries):
    token = _token(personas["alice_owner"], "read")
    plan_in("submitted")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert len(_call(client, "get", "/api/v1/plans/", token).json()["results"]) == 1
    plan_in("draft")
    plan_in("passed")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(_call(client, "get", "/api/v1/plans/", token).json()["results"]) == 3
