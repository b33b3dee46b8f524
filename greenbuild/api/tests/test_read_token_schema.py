"""Issue 17 item 2: every write operation of the schema — as drf-spectacular generates it from the
code now, not the committed file — sent with a read token is a 403 in the API's error shape, and
writes nothing. Path parameters name real objects of a small world (a project in each of its main
states, a review panel, a meeting, lifecycle steps), which the tokens' users could otherwise
write; each enumerated move or action is sent."""

from __future__ import annotations

import json
import re

import pytest
from django.apps import apps
from django.urls import resolve

from greenbuild.api import services as api_services

# the fixtures of other apps' tests: a drawn, scoring review panel and the meetings of the conference
from greenbuild.conference.tests.conftest import world as conference  # noqa: F401
from greenbuild.reviews.tests.conftest import drawn, pool, scheme, scoring, submitted_plan  # noqa: F401

pytestmark = pytest.mark.django_db

WRITE_METHODS = ("post", "put", "patch", "delete")
#: rows the request itself adds, whatever it is answered: the token's last use and its audit entry
NOT_COUNTED = {"api.apitoken", "audit.auditevent", "sessions.session"}
#: models of an ``{id}`` for which the small world holds no row: the request is sent with id 1 all
#: the same (the refusal comes before any lookup). Records and documents need long valid inputs;
#: their write operations are still sent, and their writers' tokens are refused like the others.
NO_ROW_EXPECTED = {
    "documents.issueddocument",
    "lifecycle.baselinechangerequest",
    "scoring.energyrecord",
    "scoring.materialline",
    "scoring.wasterecord",
    # supervision and evaluation (issue 20): the scope check refuses before the object is looked
    # up, so a row is not needed to show the refusal; their own API tests use real rows
    "bulletins.bulletin",
    "completion.completionevaluation",
    "completion.incrementalcost",
    "incentives.bonusrecord",
    "incentives.escroweligibility",
    "incentives.trainingsession",
    "inspections.inspection",
    "inspections.rectificationorder",
    "publicity.objection",
    "publicity.publicmessage",
    "publicity.publicnotice",
    "supervision.draw",
    "supervision.evaluation",
    "supervision.inspectionplan",
    "summaries.programmesummary",
}


def write_operations() -> list[tuple[str, str, dict]]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method, path, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in WRITE_METHODS
    ]


def _model_of(path: str) -> type | None:
    """The model whose id ``{id}`` names: the resolved view's queryset or serializer model, or for a
    plain view below a router prefix (``/projects/{id}/score-runs/``) the prefix's viewset's."""
    from greenbuild.api.urls import router

    view = getattr(resolve(path).func, "cls", None)
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(view, "serializer_class", None)
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is None:
        prefix = re.match(r"^/api/v1/([^/]+)/", path)
        for registered, _viewset, _basename in router.registry:
            if prefix and registered == prefix.group(1):
                return _model_of("/api/v1/{}/1/".format(registered))
    return model


def fallback_values(name: str, path: str) -> list[str]:
    """Values of a path parameter the schema does not enumerate."""
    if name == "move" and path.startswith("/api/v1/plans/"):
        from greenbuild.plans.workflow import MOVES

        return sorted(MOVES)
    if name == "stage":
        from greenbuild.scoring.choices import Stage

        return list(Stage.values)
    if name == "condition":
        from greenbuild.lifecycle.models import StepCondition

        row = StepCondition.objects.order_by("pk").first()
        return [str(row.pk if row is not None else 1)]
    return ["1"]


def concrete_paths(path: str, operation: dict) -> list[tuple[str, str | None]]:
    """Every concrete path of a templated one: each enumerated value, and a real id for ``{id}``.
    Returns (path, the model of ``{id}`` when no row of it was found, else None)."""
    enums: dict[str, list[str]] = {}
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path" and parameter["name"] != "id":
            enums[parameter["name"]] = parameter["schema"].get("enum") or fallback_values(parameter["name"], path)
    paths = [path]
    for name, values in enums.items():
        paths = [p.replace("{" + name + "}", str(v)) for p in paths for v in values]
    if "{id}" not in path:
        return [(p, None) for p in paths]
    out: list[tuple[str, str | None]] = []
    for templated in paths:
        model = _model_of(templated.replace("{id}", "1"))
        row = model.objects.order_by("pk").first() if model is not None else None
        missing = None if row is not None else (model._meta.label_lower if model is not None else templated)
        out.append((templated.replace("{id}", str(row.pk if row is not None else 1)), missing))
    return out


def row_counts() -> dict[str, int]:
    return {
        m._meta.label_lower: m.objects.count()
        for m in apps.get_models()
        if m._meta.label_lower not in NOT_COUNTED and not m._meta.proxy
    }


def test_every_write_operation_of_the_schema_is_refused_to_a_read_token(
    client,
    personas,
    orgs,
    filed_project,
    scoring,  # noqa: F811
    conference,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from greenbuild.projects import services as project_services
    from greenbuild.webhooks.tests.factories import make_subscription

    with django_capture_on_commit_callbacks(execute=True):
        filed_project("confirmed", name="只读令牌试点")  # baseline and lifecycle steps
        draft = filed_project("draft", name="只读令牌草稿")
        project_services.add_participant(
            actor=personas["alice_owner"], project_id=draft.pk, organisation=orgs["contractor"], role="contractor"
        )
        make_subscription(personas["alice_owner"], orgs["owner"])  # the webhooks' writes
    review_round, seats = scoring
    readers = {
        "bureau": personas["bureau"],
        "owner": personas["alice_owner"],
        "leader": next(s.expert for s in seats if s.is_leader),
    }
    tokens = {}
    for who, user in readers.items():
        _t, raw = api_services.create_token(actor=user, user=user, name="只读", scope="read")
        tokens[who] = "Bearer " + raw
    operations = write_operations()
    assert len(operations) >= 40  # the schema was read, not an empty document

    before = row_counts()
    sent, unfilled, failures = 0, set(), []
    for method, path, operation in operations:
        for concrete, missing in concrete_paths(path, operation):
            if missing is not None:
                unfilled.add(missing)
            for who, token in tokens.items():
                response = getattr(client, method)(
                    concrete, data=json.dumps({}), content_type="application/json", HTTP_AUTHORIZATION=token
                )
                sent += 1
                body = response.json() if response["Content-Type"].startswith("application/json") else {}
                if response.status_code != 403 or body.get("code") != "read_only_token":
                    failures.append(
                        "{} {} ({}): {} {}".format(method.upper(), concrete, who, response.status_code, body)
                    )
    assert failures == [], "\n".join(failures)
    assert sent >= 3 * len(operations)
    assert unfilled == NO_ROW_EXPECTED, "no real object for: {}".format(sorted(unfilled))
    assert row_counts() == before
