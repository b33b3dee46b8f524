"""Every write operation of the live OpenAPI schema answers each kind of malformed input with a 4xx
in the API's error shape, never a server error (issue 17 item 7; SEC-07).

The test seeds the demo and reads the schema from drf-spectacular's generator, so a new write
operation is covered without anyone listing it. For each operation it first finds a context that
reaches the operation's validation — a demo user's write token and real objects (path ids, and
ids in the body such as ``project``) that the user may write: the first combination a harmless
probe body is not refused with 401/403/404/405 for. Then it sends each malformed kind once, in a
savepoint rolled back afterwards:

* ``numbers``: every property of the request body a number (a date field gets ``5``);
* ``objects``: every property an object (where one value is expected);
* ``surrogate``: every string property a lone surrogate (``"\\ud800"``);
* ``nul``: every string property with a NUL character;
* ``deep``: the body nested 100,000 levels deep;
* ``form_nul``: the body form-encoded, every property with ``%00`` (a 415 where the operation
  takes JSON, issue 18; a 400 on the multipart upload).

Ids in the body (``project``, ``meeting``, …) keep the context's real values in every kind, so
the rest of the body is what the operation validates. The parsers' kinds (``surrogate``, ``nul``,
``deep``, ``form_nul``) must be a 400, on every write (also one that reads no body); the type
kinds a 4xx in the error shape, or a success where a number is taken as its text (``5`` as a
comment), never a server error. Runs on SQLite and PostgreSQL
(NUL is refused by PostgreSQL itself, so it must never reach it).
"""

from __future__ import annotations

import io
import itertools
import json
import re
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test.client import encode_multipart
from drf_spectacular.generators import SchemaGenerator

from greenbuild.api import services as api_services
from greenbuild.testing.demo import load_demo
from greenbuild.testing.matrix import undone

pytestmark = pytest.mark.django_db

#: One demo user of every role (README: demo logins); the first that reaches an operation is used.
USERS = (
    "owner",
    "bureau",
    "owner_wujin",
    "expert_yao",
    "expert",
    "zjj",
    "district_tianning",
    "evaluator",
    "contractor",
    "owner_jintan",
    "owner_longcheng",
)

#: Ids in request bodies: the API list that shows the user's objects of that name (and the key
#: of its rows that holds the id).
BODY_ID_RESOURCES = {
    "project": ("projects", "id"),
    "meeting": ("meetings", "id"),
    "plan": ("plans", "id"),
    "decision": ("decisions", "id"),
    "seat": ("panel-seats", "id"),
    "building": ("buildings", "id"),
    "user": ("expert-profiles", "user"),
}
#: Tried when the schema's body names no id that reaches the operation (the schema of the
#: records' creates lists no ``project``).
EXTRA_BODY_IDS = ("project",)
#: Path parameters without an enum in the schema: where their values come from.
PATH_VALUES = {"stage": ["pre_evaluation", "evaluation"]}
WRITE_METHODS = ("post", "put", "patch")
REFUSED = {401, 403, 404, 405}
MAX_PROBES_PER_USER = 25
BODY_ID_CANDIDATES = 12
PARSER_KINDS = ("surrogate", "nul", "deep", "form_nul")
KINDS = ("numbers", "objects", *PARSER_KINDS)


def _operations() -> list[dict[str, Any]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    out = []
    for path, item in schema["paths"].items():
        for method, op in item.items():
            if method not in WRITE_METHODS:
                continue
            content = op.get("requestBody", {}).get("content", {})
            if list(content) == ["application/offset+octet-stream"]:
                # a resumable upload's chunk is raw bytes, no JSON or form to malform: its own
                # refusals (wrong type, offset, length) are in test_uploads.py
                continue
            properties: dict[str, Any] = {}
            for media in content.values():
                ref = media.get("schema", {}).get("$ref")
                if ref:
                    properties = components[ref.rsplit("/", 1)[-1]].get("properties", {})
                break
            properties = {k: v for k, v in properties.items() if not v.get("readOnly")}
            params = {p["name"]: p["schema"] for p in op.get("parameters", []) if p["in"] == "path"}
            multipart_only = list(content) == ["multipart/form-data"]
            out.append(
                {
                    "id": op["operationId"],
                    "method": method,
                    "path": path,
                    "properties": properties,
                    "params": params,
                    "multipart": multipart_only,
                    "has_body": bool(content),
                }
            )
    return out


class _World:
    def __init__(self, client: Any) -> None:
        from django.contrib.auth import get_user_model

        self.client = client
        # the demo's users of every role first, then every other user with a role (a round's leader)
        users = get_user_model().objects.filter(is_active=True, memberships__isnull=False).distinct()
        by_name = {u.username: u for u in users}
        self.users = [name for name in USERS if name in by_name] + sorted(set(by_name) - set(USERS))
        self.auth = {}
        for name in self.users:
            _t, raw = api_services.create_token(actor=by_name[name], user=by_name[name], name="畸形", scope="write")
            self.auth[name] = {"HTTP_AUTHORIZATION": "Bearer " + raw}
        self._visible: dict[tuple[str, str], list[int]] = {}

    def visible(self, user: str, resource: str, key: str = "id") -> list[int]:
        """Ids of ``resource`` the user reads (its API list), at most 50."""
        cache_key = (user, resource, key)
        if cache_key not in self._visible:
            response = self.client.get("/api/v1/{}/?limit=50".format(resource), **self.auth[user])
            rows = response.json().get("results", []) if response.status_code == 200 else []
            ids = [row[key] for row in rows if isinstance(row, dict) and isinstance(row.get(key), int)]
            self._visible[cache_key] = list(dict.fromkeys(ids))
        return self._visible[cache_key]

    def path_values(self, user: str, op: dict[str, Any], name: str) -> list[Any]:
        schema = op["params"][name]
        if schema.get("enum"):
            return list(schema["enum"])
        if name in PATH_VALUES:
            return PATH_VALUES[name]
        if name == "id":
            return self.visible(user, op["path"].split("/")[3])
        if name == "condition":
            from greenbuild.lifecycle.models import StepCondition

            return list(StepCondition.objects.order_by("pk").values_list("pk", flat=True)[:6])
        if name == "move":  # a free move name (plans): the moves the schema's pattern allows
            return ["submit", "answer_clarification", "pass", "send_back", "withdraw"]
        return []

    def send(self, user: str, op: dict[str, Any], path: str, body: Any, *, kind: str = "json") -> Any:
        method = getattr(self.client, op["method"])
        auth = self.auth[user]
        if kind == "form" or op["multipart"]:
            content_type = "multipart/form-data; boundary=BoUnDaRy" if op["multipart"] else None
            if content_type:
                data = encode_multipart("BoUnDaRy", body)
                return method(path, data=data, content_type=content_type, **auth)
            return method(path, data=urlencode(body), content_type="application/x-www-form-urlencoded", **auth)
        text = body if isinstance(body, str) else json.dumps(body)
        return method(path, data=text, content_type="application/json", **auth)


def _fill(path: str, values: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def _probe_body(op: dict[str, Any], ids: dict[str, Any]) -> Any:
    if op["multipart"]:
        return {**{k: str(v) for k, v in ids.items()}, "file": io.BytesIO(b"%PDF-1.4 probe")}
    return dict(ids)


def _contexts(world: _World, op: dict[str, Any], user: str, id_fields: list[str]) -> Any:
    """(path, body ids) combinations for ``user``, the likeliest first."""
    params = [world.path_values(user, op, name) for name in op["params"]]
    bodies = [world.visible(user, *BODY_ID_RESOURCES[name])[:BODY_ID_CANDIDATES] for name in id_fields]
    if any(not values for values in params + bodies):
        return
    for combo in itertools.product(*params, *bodies):
        path_values = dict(zip(op["params"], combo[: len(params)], strict=True))
        ids = dict(zip(id_fields, combo[len(params) :], strict=True))
        yield _fill(op["path"], path_values), ids


def _find_context(world: _World, op: dict[str, Any]) -> tuple[str, str, dict[str, Any]] | None:
    """The first user, path and body ids that a harmless probe body is not refused for."""
    named = [name for name in op["properties"] if name in BODY_ID_RESOURCES]
    if "id" in op["params"]:
        named = []  # an object's own operation: the path names it, ids in its body are not needed
    for id_fields in (named, [*named, *(n for n in EXTRA_BODY_IDS if n not in named)]):
        for user in world.users:
            contexts = _contexts(world, op, user, id_fields)
            for path, ids in itertools.islice(contexts, MAX_PROBES_PER_USER):
                with undone():
                    response = world.send(user, op, path, _probe_body(op, ids))
                assert response.status_code < 500, (op["id"], "probe", user, path, response.content[:500])
                if response.status_code not in REFUSED:
                    return user, path, ids
    return None


def _malformed(kind: str, op: dict[str, Any], ids: dict[str, Any]) -> Any:
    names = [n for n in op["properties"] if n not in ids and n != "file"] or ["comment"]
    if kind == "deep":
        return json.dumps({names[0]: 0}).replace("0}", "[" * 100_000 + "]" * 100_000 + "}")
    if kind == "numbers":
        body: Any = {name: 5 for name in names}
    elif kind == "objects":
        body = {name: {"x": [1, {"y": "z"}]} for name in names}
    elif kind == "surrogate":
        body = {name: "\ud800" for name in names}
    elif kind in ("nul", "form_nul"):
        body = {name: "a\x00b" for name in names}
    else:  # pragma: no cover
        raise AssertionError(kind)
    body.update(ids)
    if kind == "surrogate":  # json.dumps escapes it as \ud800, as a client would send it
        return json.dumps(body)
    return body


def test_every_write_operation_answers_malformed_input_with_a_4xx(client):
    load_demo()  # seeded as the command seeds it, its notifications sent
    world = _World(client)
    operations = _operations()
    assert len(operations) > 40
    unreached: list[str] = []
    failures: list[str] = []
    for op in operations:
        context = _find_context(world, op)
        if context is None:
            unreached.append("{} {}".format(op["method"].upper(), op["path"]))
            continue
        user, path, ids = context
        for kind in KINDS:
            if op["multipart"] and kind in ("numbers", "objects", "surrogate", "deep"):
                continue  # a multipart body has text only: its kinds are form_nul (and the file's own checks)
            body = _malformed(kind, op, ids)
            if op["multipart"] or kind == "form_nul":
                body = {k: str(v) for k, v in body.items()}
            with undone():
                response = world.send(user, op, path, body, kind="form" if kind == "form_nul" else "json")
            cell = "{} {} as {} [{}] → {}".format(op["method"].upper(), path, user, kind, response.status_code)
            # a form body where JSON is expected is refused unread (415, issue 18): only the upload
            # parses it; an operation that declares no body may take none at all (a resumable
            # upload's creation reads headers only), so any body is a 415 there too
            expected = {415} if kind == "form_nul" and not op["multipart"] else {400}
            if not op["has_body"]:
                expected |= {415}
            if response.status_code >= 500 or (kind in PARSER_KINDS and response.status_code not in expected):
                failures.append("{}: {}".format(cell, response.content[:300]))
                continue
            if response.status_code < 400:
                continue  # a number taken as its text ("5" as a comment) is no error
            if not response["Content-Type"].startswith("application/json"):
                failures.append("{}: not JSON".format(cell))
                continue
            answer = response.json()
            if set(answer) != {"status", "code", "message", "errors"}:
                failures.append("{}: not the error shape: {}".format(cell, answer))
    assert failures == [], "\n".join(failures)
    # Every operation was reached with real objects, or the demo has nothing it could act on.
    assert unreached == [], "no context reaches: " + ", ".join(unreached)
