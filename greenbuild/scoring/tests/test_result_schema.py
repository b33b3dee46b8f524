"""``ScoreRun.result`` typed (issue 18 item 5, API-07): the ``ScoreRunResult`` component is read
from the engines themselves, and every stored result answers to it."""

from __future__ import annotations

import jsonschema
import pytest

from greenbuild.scoring.api import result_schema
from greenbuild.scoring.choices import Engine
from greenbuild.testing.factories import file_scorecard

pytestmark = pytest.mark.django_db


def result_errors(value):
    validator = jsonschema.Draft202012Validator(result_schema.json_schema())
    return ["{}: {}".format(list(e.path), e.message) for e in validator.iter_errors(value)]


def test_every_engines_result_answers_to_the_component():
    jsonschema.Draft202012Validator.check_schema(result_schema.json_schema())
    results = result_schema.engine_results()
    assert set(results) == set(Engine.values)
    for engine, result in results.items():
        assert result_errors(result) == [], engine
    properties = result_schema.openapi_schema()["properties"]
    assert properties["level"]["description"].endswith("gbt50378")
    assert properties["assembly_rate_pct"]["type"] == "number"
    assert result_errors({"engine": "waste"})  # the envelope is required


def test_a_stored_run_read_through_the_api_answers_to_the_component(client, personas, pilot):
    run = file_scorecard(pilot, actor=personas["alice_owner"])
    client.force_login(personas["alice_owner"])
    answer = client.get("/api/v1/score-runs/{}/".format(run.pk)).json()
    assert answer["result"]["level"] and result_errors(answer["result"]) == []


def test_the_openapi_document_types_score_run_results():
    from drf_spectacular.generators import SchemaGenerator

    document = SchemaGenerator().get_schema(request=None, public=True)
    components = document["components"]["schemas"]
    assert components["ScoreRunResult"] == result_schema.openapi_schema()
    field = components["ScoreRun"]["properties"]["result"]
    assert field.get("allOf") == [{"$ref": "#/components/schemas/ScoreRunResult"}] or field.get("$ref")
