"""The API of supervision: what each persona reads, the draw action, refusals that save nothing."""

from __future__ import annotations

import json

import pytest

from greenbuild.supervision.models import Draw, Evaluation
from greenbuild.testing.matrix import each_persona, table

pytestmark = pytest.mark.django_db

COLUMNS = ["plans", "plan", "draws", "draw_own", "draw_pub", "evals", "eval"]
#: list cells: the number of rows; detail cells: the status code
MATRIX = """
alice_owner         1 200 1 404 200 1 200
olivia_other_owner  0 404 1 404 200 0 404
dan_district        1 200 2 200 200 1 200
wu_district         0 404 1 404 200 0 404
bureau              1 200 2 200 200 1 200
dept_reviewer       0 404 1 404 200 0 404
carl_contractor     0 404 1 404 200 0 404
eve_expert          0 404 1 404 200 0 404
ted_evaluator       0 404 1 404 200 1 200
dave_outsider       0 404 1 404 200 0 404
anonymous           0 404 1 404 200 0 404
"""


def _cell(response):
    if response.status_code == 200 and "results" in response.json():
        return str(response.json()["count"])
    return str(response.status_code)


def test_read_matrix(client, personas, sv):
    urls = {
        "plans": "/api/v1/inspection-plans/",
        "plan": "/api/v1/inspection-plans/{}/".format(sv["plan"].pk),
        "draws": "/api/v1/draws/",
        "draw_own": "/api/v1/draws/{}/".format(sv["unpublished"].pk),
        "draw_pub": "/api/v1/draws/{}/".format(sv["published"].pk),
        "evals": "/api/v1/evaluations/",
        "eval": "/api/v1/evaluations/{}/".format(sv["evaluation"].pk),
    }
    got = {}
    for persona in each_persona(client, personas):
        got[persona] = {name: _cell(client.get(url)) for name, url in urls.items()}
    assert got == table(MATRIX, COLUMNS)


def test_a_published_draw_carries_its_command_and_its_recomputation(client, sv):
    body = client.get("/api/v1/draws/{}/".format(sv["published"].pk)).json()
    projects = body["sides"][0]
    assert projects["what"] == "projects" and projects["matches"] is True
    assert projects["selected"] == sv["published"].project_selected
    assert projects["command"].startswith("greenbuild supervision draw --seed {} --ratio 0.5 ".format(body["seed"]))


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_the_draw_action(client, personas, sv):
    data = {
        "title": "接口抽查",
        "kind": "both",
        "ratio": "1",
        "inspector_ratio": "1",
        "due_on": sv["today"].isoformat(),
    }
    before = Draw.objects.count()
    assert _post(client, "/api/v1/draws/", data).status_code in (401, 403)
    client.force_login(personas["alice_owner"])
    assert _post(client, "/api/v1/draws/", data).status_code == 403
    client.force_login(personas["bureau"])
    for ratio in ("0", "1.5", "x"):
        refused = _post(client, "/api/v1/draws/", {**data, "ratio": ratio})
        assert refused.status_code == 400, refused.content
        assert "ratio" in refused.json()["errors"]
    assert _post(client, "/api/v1/draws/", {**data, "due_on": "2000-01-01"}).status_code == 400
    assert Draw.objects.count() == before
    made = _post(client, "/api/v1/draws/", data)
    assert made.status_code == 201, made.content
    assert made.json()["status"] == "drawn" and len(made.json()["seed"]) == 32
    published = _post(client, "/api/v1/draws/{}/actions/publish/".format(made.json()["id"]), {})
    assert published.status_code == 200 and published.json()["status"] == "published"


def test_the_evaluator_files_and_the_bureau_accepts_through_the_api(client, personas, sv):
    url = "/api/v1/evaluations/{}/".format(sv["evaluation"].pk)
    report = {
        "summary": "总体符合",
        "scores": [{"aspect": "装配率", "score": "85"}],
        "recommendations": [{"text": "补充台账", "demands_action": True, "severity": "major"}],
    }
    client.force_login(personas["alice_owner"])
    assert _post(client, url + "report/", report).status_code == 403
    client.force_login(personas["ted_evaluator"])
    assert _post(client, url + "report/", {**report, "scores": [{"aspect": "x", "score": "120"}]}).status_code == 400
    assert Evaluation.objects.get(pk=sv["evaluation"].pk).status == "assigned"
    filed = _post(client, url + "report/", report)
    assert filed.status_code == 200 and filed.json()["status"] == "filed"
    client.force_login(personas["bureau"])
    accepted = _post(client, url + "actions/accept/", {})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["recommendations"][0]["finding_id"] is not None
