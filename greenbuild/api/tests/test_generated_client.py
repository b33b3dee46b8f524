"""Issue 18 item 1: the schema is what the API answers, proven with an independent client generator.

openapi-python-client generates a client from the committed schema (``docs/api/openapi.yaml``) once
per test session; every generated module must import, and against a live server (the real
database, the real services) the application flow, the plan and expert-review flow and a read
sweep of every list and detail as several roles run through that client. Every 2xx answer is
parsed by the generated models (``from_dict``); a status the schema does not document raises
(``raise_on_unexpected_status``); a field the answer carries but the schema does not declare is a
failure too. So the test fails as soon as the schema and an answer part.

``GREENBUILD_CLIENT_SCHEMA=/tmp/x.yaml`` points it at another schema file (while changing the
API: ``greenbuild spectacular --file /tmp/x.yaml``); CI reads the committed one.
"""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import subprocess
import sys
import types
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml

from greenbuild.accounts.models import User
from greenbuild.api.tests.factories import make_token

# the reviews app's fixtures: a pool of experts with profiles
from greenbuild.reviews.tests.conftest import plan_data, pool  # noqa: F401
from greenbuild.testing.demo import load_demo
from greenbuild.testing.live_server import request_gate

SCHEMA_FILE = Path(
    os.environ.get("GREENBUILD_CLIENT_SCHEMA") or Path(__file__).resolve().parents[3] / "docs" / "api" / "openapi.yaml"
)
PACKAGE = "gb_generated_client"
# Post-generation hooks (ruff over the output) cost seconds and change nothing that imports. The
# generator knows binary bodies as application/octet-stream only: PDF and CSV downloads and the
# chunks of a resumable upload (tus: application/offset+octet-stream) are files to it.
GENERATOR_CONFIG = """post_hooks: []
project_name_override: {0}
package_name_override: {0}
content_type_overrides:
  application/pdf: application/octet-stream
  text/csv: application/octet-stream
  application/offset+octet-stream: application/octet-stream
""".format(PACKAGE)
METHODS = ("get", "put", "post", "patch", "delete")


class Generated(typing.NamedTuple):
    package: types.ModuleType
    modules: dict[str, types.ModuleType]  # every module of the package by dotted name
    failures: dict[str, str]  # module name -> the import error
    operations: dict[str, types.ModuleType]  # operationId -> its endpoint module
    schema: dict[str, Any]
    warnings: str  # what the generator said it left out


def _generate(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    out = tmp_path_factory.mktemp("generated-client")
    config = out / "config.yaml"
    config.write_text(GENERATOR_CONFIG, encoding="utf-8")
    generator = Path(sys.executable).with_name("openapi-python-client")
    done = subprocess.run(  # noqa: S603 - the generator of this virtualenv on the committed schema
        [str(generator), "generate", "--path", str(SCHEMA_FILE), "--config", str(config), "--meta", "none"]
        + ["--output-path", str(out / PACKAGE)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(out))
    package = importlib.import_module(PACKAGE)
    modules: dict[str, types.ModuleType] = {PACKAGE: package}
    failures: dict[str, str] = {}
    for info in pkgutil.walk_packages(package.__path__, PACKAGE + "."):
        try:
            modules[info.name] = importlib.import_module(info.name)
        except Exception as error:  # every kind of import failure is what this test reports
            failures[info.name] = "{}: {}".format(type(error).__name__, error)
    schema = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))
    return Generated(package, modules, failures, _operations(modules, schema), schema, done.stdout + done.stderr)


def _operations(modules: dict[str, types.ModuleType], schema: dict[str, Any]) -> dict[str, types.ModuleType]:
    """operationId -> the generated endpoint module, matched by method and path (the generator's
    own naming of modules is not relied on)."""
    by_route: dict[tuple[str, str], types.ModuleType] = {}
    for name, module in modules.items():
        if ".api." not in name or not hasattr(module, "_get_kwargs"):
            continue
        signature = inspect.signature(module._get_kwargs)
        placeholders = {
            p.name: "{" + p.name + "}"
            for p in signature.parameters.values()
            if p.default is inspect.Parameter.empty and p.name != "body"
        }
        arguments = dict(placeholders)
        if "body" in signature.parameters and signature.parameters["body"].default is inspect.Parameter.empty:
            arguments["body"] = _AnyBody()
        try:
            kwargs = module._get_kwargs(**arguments)
        except Exception:  # noqa: S112 - a module whose request cannot be built is matched by no route
            continue
        url = kwargs["url"].replace("%7B", "{").replace("%7D", "}")
        by_route[(kwargs["method"].lower(), url)] = module
    operations = {}
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                module = by_route.get((method, _python_path(path)))
                if module is not None:
                    operations[item[method]["operationId"]] = module
    return operations


class _AnyBody:
    """Stands for a request body while only the method and the path of an operation are read."""

    def to_dict(self) -> dict[str, Any]:
        return {}

    def to_multipart(self) -> list[Any]:
        return []


def _python_path(path: str) -> str:
    """The path as the generator writes its parameters (snake_case identifiers)."""
    import re

    return re.sub(r"\{([^}]+)\}", lambda m: "{" + re.sub(r"\W", "_", m.group(1)).lower() + "}", path)


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    return _generate(tmp_path_factory)


# --- calling the generated client ------------------------------------------------------------------


def _model_of(annotation: Any) -> Any:
    """The generated model class a ``body`` parameter takes (a union of one class per media type
    when the schema offers several)."""
    for candidate in typing.get_args(annotation) or (annotation,):
        if hasattr(candidate, "from_dict"):
            return candidate
    raise AssertionError("no model class in {!r}".format(annotation))


def _undeclared(value: Any, where: str = "") -> list[str]:
    """Fields of the answer the schema does not declare: a generated model with declared
    properties keeps unknown keys in ``additional_properties``."""
    import attrs

    found: list[str] = []
    if isinstance(value, list):
        for index, item in enumerate(value[:5]):
            found += _undeclared(item, "{}[{}]".format(where, index))
    elif attrs.has(type(value)):
        declared = [f.name for f in attrs.fields(type(value)) if f.name != "additional_properties"]
        extra = getattr(value, "additional_properties", None)
        if declared and extra:
            found.append("{} {}: {}".format(type(value).__name__, where or "(top)", sorted(extra)))
        for name in declared:
            found += _undeclared(getattr(value, name), "{}.{}".format(where, name) if where else name)
    return found


class Api:
    """Calls through the generated client as one user (or anonymously)."""

    def __init__(self, generated: Generated, base_url: str, token: str | None, who: str) -> None:
        client_module = importlib.import_module(PACKAGE + ".client")
        self.generated = generated
        self.who = who
        if token is None:
            self.client = client_module.Client(base_url=base_url, raise_on_unexpected_status=True)
        else:
            self.client = client_module.AuthenticatedClient(
                base_url=base_url, token=token, raise_on_unexpected_status=True
            )

    def response(self, operation_id: str, body: dict[str, Any] | None = None, **params: Any) -> Any:
        assert operation_id in self.generated.operations, "the client has no operation " + operation_id
        module = self.generated.operations[operation_id]
        if body is not None:
            model = _model_of(inspect.signature(module.sync_detailed).parameters["body"].annotation)
            params["body"] = model.from_dict(body)
        errors = importlib.import_module(PACKAGE + ".errors")
        try:
            return module.sync_detailed(client=self.client, **params)
        except errors.UnexpectedStatus as error:
            raise AssertionError(
                "{} as {}: status {} is not in the schema: {!r}".format(
                    operation_id, self.who, error.status_code, error.content[:500]
                )
            ) from None
        except Exception as error:
            raise AssertionError(
                "{} {} as {}: the client cannot parse the answer: {}: {}".format(
                    operation_id, params, self.who, type(error).__name__, error
                )
            ) from error

    def __call__(self, operation_id: str, body: dict[str, Any] | None = None, **params: Any) -> Any:
        """The parsed 2xx answer; anything else fails, naming the operation and the user."""
        response = self.response(operation_id, body, **params)
        assert 200 <= response.status_code < 300, "{} {} as {}: {} {!r}".format(
            operation_id, params, self.who, response.status_code, response.content[:500]
        )
        undeclared = _undeclared(response.parsed)
        assert not undeclared, "{} as {}: fields the schema does not declare: {}".format(
            operation_id, self.who, undeclared
        )
        return response.parsed


def _api(generated: Generated, live_server: Any, user: User | None) -> Api:
    # a browser test that ran before on this worker closed the live server's gate behind it
    request_gate(live_server).reopen()
    if user is None:
        return Api(generated, live_server.url, None, "the public")
    _token, raw = make_token(user, scope="write", name="generated client")
    return Api(generated, live_server.url, raw, user.username)


def _results(page: Any) -> list[Any]:
    """The rows of a parsed answer: a page's ``results``, or a bare list."""
    if isinstance(page, list):
        return page
    results = getattr(page, "results", None)
    return list(results) if isinstance(results, list) else []


# --- the tests -------------------------------------------------------------------------------------


def test_every_generated_module_imports(generated: Generated) -> None:
    assert len(generated.modules) > 100
    assert generated.failures == {}, "\n".join("{}: {}".format(*item) for item in sorted(generated.failures.items()))


def test_every_operation_of_the_schema_has_its_client_function(generated: Generated) -> None:
    wanted = {
        op["operationId"] for item in generated.schema["paths"].values() for m, op in item.items() if m in METHODS
    }
    assert sorted(wanted - set(generated.operations)) == []


def test_the_application_and_the_plan_review_flows_through_the_generated_client(
    generated: Generated,
    live_server: Any,
    personas: dict[str, User],
    pool: list[User],  # noqa: F811
) -> None:
    from greenbuild.reference.models import District, ProjectCategory, StructureMaterial, StructureSystem
    from greenbuild.reviews.models import CriteriaScheme

    owner = _api(generated, live_server, personas["alice_owner"])
    district = _api(generated, live_server, personas["dan_district"])
    bureau = _api(generated, live_server, personas["bureau"])
    public = _api(generated, live_server, None)

    # the reference lists the application form needs, read as the public would
    ids = {}
    for operation, code, model in [
        ("districts_list", "tianning", District),
        ("project_categories_list", "real-estate", ProjectCategory),
        ("structure_materials_list", "concrete", StructureMaterial),
        ("structure_systems_list", "shear-wall", StructureSystem),
    ]:
        rows = _results(public(operation, limit=100) if _takes(generated, operation, "limit") else public(operation))
        ids[operation] = model.objects.get(code=code).pk
        assert ids[operation] in [row.id for row in rows], operation

    # the owner files an application with a building and submits it
    project = owner(
        "projects_create",
        {
            "name": "生成客户端项目",
            "district": ids["districts_list"],
            "category": ids["project_categories_list"],
            "address": "常州市天宁区测试路1号",
            "structure_material": ids["structure_materials_list"],
            "structure_system": ids["structure_systems_list"],
            "gfa_above_m2": "50000",
            "gfa_below_m2": "10000",
            "investment_wan_yuan": "60000",
            "planned_start": "2021-06-01",
            "planned_completion": "2023-12-31",
            "approval_code": "2105-320402-47-01-000001",
            "target_star_level": "two_star",
            "waste_target_t_per_10k_m2": "250",
            "green_material_target_pct": "40",
        },
    )
    from greenbuild.reference.models import BuildingUse, InvestmentNature, OrganisationMode

    owner(
        "projects_partial_update",
        {
            "investment_nature": InvestmentNature.objects.get(code="private").pk,
            "use": BuildingUse.objects.get(code="residential").pk,
            "organisation_mode": OrganisationMode.objects.get(code="epc").pk,
        },
        id=project.id,
    )
    building = owner(
        "buildings_create",
        {
            "project": project.id,
            "name": "1#楼",
            "floor_area_m2": "20000",
            "storeys": 18,
            "height_m": "54",
            "structure_material": ids["structure_materials_list"],
            "structure_system": ids["structure_systems_list"],
        },
    )
    assert building.project == project.id
    # a move answers with the transition it made
    assert (
        owner("projects_actions_create", {"comment": "请审核"}, id=project.id, move="submit").to_status == "submitted"
    )
    # the district recommends, the bureau accepts
    move = district("projects_actions_create", {"comment": "同意推荐"}, id=project.id, move="recommend")
    assert move.to_status == "recommended"
    assert bureau("projects_actions_create", {"comment": "同意"}, id=project.id, move="accept").to_status == "candidate"
    assert owner("projects_retrieve", id=project.id).status == "candidate"
    moves = _results(owner("projects_transitions_list", id=project.id))
    assert [move.to_status for move in moves][-3:] == ["submitted", "recommended", "candidate"]

    # the owner writes the green construction plan and submits it
    from greenbuild.projects.models import Project

    plan = owner("plans_create", {"project": project.id})
    owner("plans_draft_update", {"data": plan_data(Project.objects.get(pk=project.id))}, id=plan.id)
    assert owner("plans_actions_create", {"comment": "请评审"}, id=plan.id, move="submit").to_status == "submitted"

    # the bureau draws a panel of three; each expert accepts; the bureau appoints the leader
    review_round = bureau("review_rounds_create", {"plan": plan.id, "panel_size": 3})
    experts = {user.pk: _api(generated, live_server, user) for user in pool}
    seats = _results(bureau("panel_seats_list", limit=100))
    # the generator names ``round`` ``round_`` (a Python builtin)
    seats = [seat for seat in seats if getattr(seat, "round_", getattr(seat, "round", None)) == review_round.id]
    assert len(seats) == 3
    for seat in seats:
        experts[seat.expert]("panel_seats_actions_respond_create", {"decision": "accept"}, id=seat.id)
    bureau("review_rounds_actions_choose_leader_create", {"seat": seats[0].id}, id=review_round.id)

    # every expert scores every section and submits; the leader concludes
    sections = CriteriaScheme.objects.get(rounds__pk=review_round.id).sections.order_by("pk")
    for seat in seats:
        scored = experts[seat.expert](
            "panel_seats_actions_score_create",
            {
                "scores": [{"section": section.pk, "score": "8", "comment": "意见"} for section in sections],
                "opinion": "方案目标明确，措施基本可行。",
                "recommendation": "passed",
                "revision_requirements": "无",
                "declaration": True,
                "submit": True,
            },
            id=seat.id,
        )
        assert len(_results(scored)) == sections.count()
    concluded = experts[seats[0].expert](
        "review_rounds_actions_conclude_create",
        {"conclusion": "passed", "comment": "专家组同意通过"},
        id=review_round.id,
    )
    assert concluded.id == review_round.id
    assert owner("plans_retrieve", id=plan.id).status == "passed"
    assert [move.to_status for move in _results(owner("plans_transitions_list", id=plan.id))][-1] == "passed"

    # what each of them reads of it now
    for who in (owner, district, bureau):
        who("projects_retrieve", id=project.id)
        who("plans_retrieve", id=plan.id)
    for who in [bureau, *experts.values()]:
        for row in _results(who("expert_scores_list", limit=100)):
            who("expert_scores_retrieve", id=row.id)


# The read sweep: every GET operation as several roles on the demo. A detail operation is called
# with the ids its own collection lists to the same user; an operation that no role could reach
# with an id must be named here with the reason.
SWEEP_USERS = ["bureau", "district_tianning", "owner", "expert", "nrp", "contractor", None]
# Details of collections the demo leaves empty for every role (no background job, rule table,
# webhook subscription or delivery is seeded): their lists are still read and parsed.
EMPTY_IN_THE_DEMO = {"jobs_retrieve", "rule_tables_retrieve", "webhooks_retrieve", "webhook_deliveries_retrieve"}


def _collection_of(path: str) -> str | None:
    """``/api/v1/projects/{id}/transitions/`` -> ``/api/v1/projects/``; None without an ``{id}``."""
    head, marker, _tail = path.partition("{id}")
    return head if marker else None


def test_every_list_and_detail_answers_what_the_schema_says_to_every_role(
    generated: Generated, live_server: Any
) -> None:
    load_demo()  # seeded as the command seeds it, its notifications sent
    reads = [
        (path, item["get"]["operationId"])
        for path, item in generated.schema["paths"].items()
        if "get" in item and not {p["name"] for p in item["get"].get("parameters", []) if p["in"] == "path"} - {"id"}
    ]
    lists = [(path, op) for path, op in reads if "{" not in path]
    details = [(path, op) for path, op in reads if "{" in path]
    reached: set[str] = set()
    failures: list[str] = []
    for username in SWEEP_USERS:
        user = User.objects.get(username=username) if username else None
        api = _api(generated, live_server, user)
        seen: dict[str, list[int]] = {}
        for path, operation in lists:
            params = {"limit": 3} if _takes(generated, operation, "limit") else {}
            answer = _read(api, operation, params, failures, reached)
            seen[path] = [row.id for row in _results(answer) if isinstance(getattr(row, "id", None), int)]
        for path, operation in details:
            for pk in seen.get(_collection_of(path) or "", [])[:2]:
                _read(api, operation, {"id": pk}, failures, reached)
    unreached = sorted({op for _path, op in reads} - reached - EMPTY_IN_THE_DEMO)
    if unreached:
        failures.append("no role could read these with a real id: {}".format(unreached))
    assert failures == [], "\n".join(failures)


def _takes(generated: Generated, operation_id: str, name: str) -> bool:
    return name in inspect.signature(generated.operations[operation_id].sync_detailed).parameters


def _read(api: Api, operation: str, params: dict[str, Any], failures: list[str], reached: set[str]) -> Any:
    """One read: any answer the schema documents is parsed by the client (a documented refusal
    too); only a 2xx counts as reaching the operation. Failures are collected, not raised, so one
    run names every mismatch."""
    try:
        response = api.response(operation, **params)
    except AssertionError as error:
        failures.append(str(error).splitlines()[0])
        return None
    undeclared = _undeclared(response.parsed)
    if undeclared:
        failures.append("{} as {}: fields the schema does not declare: {}".format(operation, api.who, undeclared))
    if 200 <= response.status_code < 300:
        reached.add(operation)
        return response.parsed
    return None
