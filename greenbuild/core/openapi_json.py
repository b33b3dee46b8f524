"""An OpenAPI 3.0 schema object as a JSON Schema (draft 2020-12), for validating with jsonschema.

OpenAPI 3.0 says "may be null" with ``nullable: true`` beside a ``type``; JSON Schema says it with
``null`` among the types (and among an ``enum``'s values). The plan's data and the engines' results
are written once as OpenAPI components (``plans.data``, ``scoring.api.result_schema``) and checked
with this conversion in their tests.
"""

from __future__ import annotations

from typing import Any

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"


def from_openapi(node: Any) -> Any:
    if isinstance(node, list):
        return [from_openapi(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: from_openapi(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable") and "type" in node:
        result["type"] = [node["type"], "null"]
        if "enum" in result and None not in result["enum"]:
            result["enum"] = [*result["enum"], None]
    return result
