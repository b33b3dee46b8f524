"""``ScoreRun.result`` typed in the schema (issue 18 item 5, API-07): the ``ScoreRunResult``
component, derived from the engines themselves.

Each engine's ``result_to_dict`` decides the keys of its results. Rather than a second, hand-kept
description that could part from them, the schema is built by running every engine on the small
valid input its bundled rule table yields (``scoring.engines.smoke_input``, pure Python, no
database) and reading the keys and value types of the answers: the envelope every engine writes
(``engine``, ``edition``, ``ruleset_version``, ``engine_version``, ``findings``) is required; every
other key is described with the engines that write it, typed where the engines agree, and nullable
(a figure not yet known is null).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from greenbuild.core.openapi_json import DRAFT_2020_12, from_openapi

ENVELOPE = ("engine", "edition", "ruleset_version", "engine_version", "findings")


def _type(value: Any) -> str | None:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return None  # null: the type is not known from this answer


@cache
def engine_results() -> dict[str, dict[str, Any]]:
    """Every engine's answer to its smoke input on its bundled default edition."""
    from greenbuild.scoring import engines
    from greenbuild.scoring.choices import Engine
    from greenbuild.standards.rulesets import bundled_ruleset

    results = {}
    for engine in Engine.values:
        ruleset = bundled_ruleset(engines.default_edition(engine))
        results[engine] = engines.evaluate_with(engine, engines.smoke_input(engine, ruleset), ruleset)
    return results


def _properties(samples: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Properties of objects seen per engine: typed where every sample agrees, all nullable."""
    seen: dict[str, dict[str, set[str | None]]] = {}
    for engine, objects in samples.items():
        for obj in objects:
            for key, value in obj.items():
                seen.setdefault(key, {}).setdefault(engine, set()).add(_type(value))
    properties: dict[str, Any] = {}
    for key, by_engine in seen.items():
        types = {t for found in by_engine.values() for t in found if t is not None}
        described: dict[str, Any] = {}
        if len(types) == 1:  # else any JSON value, null included
            described["type"] = types.pop()
            if described["type"] == "array":
                described["items"] = {}
            described["nullable"] = True
        described["description"] = "计算引擎 · engines: {}".format(", ".join(sorted(by_engine)))
        properties[key] = described
    return properties


def openapi_schema() -> dict[str, Any]:
    """The ``ScoreRunResult`` component (OpenAPI 3.0)."""
    from greenbuild.scoring.choices import Engine

    results = engine_results()
    properties = _properties({engine: [result] for engine, result in results.items()})
    findings = _properties({engine: list(result.get("findings") or []) for engine, result in results.items()})
    properties["engine"] = {
        "type": "string",
        "description": "计算引擎（规则表中的名称） · the engine that computed it",
    }
    for key in ("edition", "ruleset_version", "engine_version"):
        properties[key].pop("nullable", None)
    properties["findings"] = {
        "type": "array",
        "description": "逐条结论（条文、得分、理由） · the clause-by-clause findings (clause, points, reason)",
        "items": {"type": "object", "properties": findings, "additionalProperties": True},
    }
    return {
        "type": "object",
        "description": "计算结果；键因引擎而异（见各属性说明） · a computation's result; the keys depend on the "
        "engine ({}), each property names the engines that write it".format(", ".join(Engine.values)),
        "properties": properties,
        "required": list(ENVELOPE),
        "additionalProperties": True,
    }


def json_schema() -> dict[str, Any]:
    """:func:`openapi_schema` as a JSON Schema: ``nullable`` becomes a ``null`` type (for tests)."""
    return {"$schema": DRAFT_2020_12, **from_openapi(openapi_schema())}
