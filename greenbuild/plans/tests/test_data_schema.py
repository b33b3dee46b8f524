"""The plan data's JSON Schema (issue 18 item 5, DOC-02): the ``PlanData`` component of the
OpenAPI document is derived from the definitions the server's check reads, every demo plan's
data validates against it, and what the check refuses the schema refuses too."""

from __future__ import annotations

import copy

import jsonschema
import pytest

from greenbuild.core.errors import DomainError
from greenbuild.plans import data as plan_data
from greenbuild.plans.models import GreenPlan, PlanVersion
from greenbuild.plans.services import clean_plan_data
from greenbuild.testing.demo import load_demo

pytestmark = pytest.mark.django_db


def schema_errors(value):
    validator = jsonschema.Draft202012Validator(plan_data.json_schema())
    return [error.message for error in validator.iter_errors(value)]


def test_the_schema_is_valid_and_names_every_key_of_the_shape():
    jsonschema.Draft202012Validator.check_schema(plan_data.json_schema())
    schema = plan_data.openapi_schema()
    assert list(schema["properties"]) == list(plan_data.EMPTY)
    assert tuple(schema["properties"]["targets"]["properties"]) == plan_data.TARGET_KEYS
    assert schema_errors(plan_data.empty()) == []
    assert schema_errors({}) == []  # keys left out take their empty value


def test_every_demo_plans_data_validates_against_the_schema():
    load_demo()
    drafts = [plan.draft for plan in GreenPlan.objects.all()]
    versions = [version.data for version in PlanVersion.objects.all()]
    assert drafts and versions
    for value in [*drafts, *versions]:
        assert schema_errors(value) == [], value


def _variants(good):
    """(what is wrong, data): each refused by the server's check."""

    def changed(path, value):
        data = copy.deepcopy(good)
        node = data
        *parents, last = path
        for key in parents:
            node = node[key]
        node[last] = value
        return data

    building = next(iter(good["targets"]["assembly_rate_pct_by_building"]))
    return [
        ("not an object", ["targets"]),
        ("unknown key", {**good, "colour": "green"}),
        ("unknown target", changed(["targets", "floors"], "3")),
        ("star level off the list", changed(["targets", "star_level"], "four_star")),
        ("targets not an object", changed(["targets"], "two_star")),
        ("waste a word", changed(["targets", "waste_t_per_10k_m2"], "many")),
        ("waste a boolean", changed(["targets", "waste_t_per_10k_m2"], True)),
        ("share over 100", changed(["targets", "green_material_pct"], 120)),
        ("negative carbon", changed(["targets", "carbon_kgco2e_per_m2"], -1)),
        ("assembly rate over 100", changed(["targets", "assembly_rate_pct_by_building", building], 101)),
        ("assembly rates a list", changed(["targets", "assembly_rate_pct_by_building"], ["60"])),
        ("measure not text", changed(["measures"], {next(iter(good["measures"])): 5})),
        ("measures a list", changed(["measures"], ["P-01"])),
        ("technologies not a list", changed(["technologies"], "T-01")),
        ("technology not text", changed(["technologies"], [1])),
        ("BIM stage off the list", changed(["bim_plan", "stages"], ["operation"])),
        ("BIM text too long", changed(["bim_plan", "text"], "字" * 5001)),
        ("smart site not text", changed(["smart_site_plan", "smart_site"], ["x"])),
    ]


def test_what_the_check_refuses_the_schema_refuses(plan_in, good_data):
    plan = plan_in("draft")
    good = good_data(plan.project, plan.guideline)
    assert clean_plan_data(plan, good) and schema_errors(good) == []
    assert schema_errors(clean_plan_data(plan, good)) == []  # and what it stores
    for wrong, value in _variants(good):
        with pytest.raises(DomainError):
            clean_plan_data(plan, value)
        assert schema_errors(value), wrong


def test_what_the_check_takes_the_schema_takes(plan_in, good_data):
    plan = plan_in("draft")
    good = good_data(plan.project, plan.guideline)
    building = next(iter(good["targets"]["assembly_rate_pct_by_building"]))
    lenient = copy.deepcopy(good)
    lenient["targets"].update({"waste_t_per_10k_m2": 150, "green_material_pct": "", "carbon_kgco2e_per_m2": None})
    lenient["targets"]["assembly_rate_pct_by_building"][building] = 62.5
    lenient["bim_plan"] = {"stages": None, "text": None}
    lenient["organisation_mode"] = None
    lenient["measures"] = {next(iter(good["measures"])): None}
    for value in (lenient, {"targets": {"star_level": ""}}, {"technologies": []}):
        clean_plan_data(plan, value)
        assert schema_errors(value) == [], value


def test_the_openapi_document_references_plan_data_on_every_data_field():
    from drf_spectacular.generators import SchemaGenerator

    document = SchemaGenerator().get_schema(request=None, public=True)
    components = document["components"]["schemas"]
    assert components["PlanData"] == plan_data.openapi_schema()
    ref = {"$ref": "#/components/schemas/PlanData"}
    for name, field in (("Plan", "draft"), ("PlanVersion", "data"), ("PlanDraftRequest", "data")):
        prop = components[name]["properties"][field]
        # a nullable one is ``oneOf: [PlanData, NullEnum]`` (api/schema.py postprocess_typed_nullables)
        assert prop.get("allOf") == [ref] or prop.get("oneOf", [None])[0] == ref, (name, prop)


def _at(good, path, value):
    data = copy.deepcopy(good)
    node = data
    *parents, last = path
    for key in parents:
        node = node[key]
    node[last] = value
    return data


#: (what, path, value): edge values where the check and the schema must give the same answer
EDGES = [
    ("star level null", ["targets", "star_level"], None),
    ("star level zero", ["targets", "star_level"], 0),
    ("star level false", ["targets", "star_level"], False),
    ("star level empty list", ["targets", "star_level"], []),
    ("mode zero", ["organisation_mode"], 0),
    ("mode false", ["organisation_mode"], False),
    ("rates null", ["targets", "assembly_rate_pct_by_building"], None),
    ("rates false", ["targets", "assembly_rate_pct_by_building"], False),
    ("rates empty list", ["targets", "assembly_rate_pct_by_building"], []),
    ("rates empty text", ["targets", "assembly_rate_pct_by_building"], ""),
    ("stages false", ["bim_plan", "stages"], False),
    ("stages empty text", ["bim_plan", "stages"], ""),
    ("waste with spaces", ["targets", "waste_t_per_10k_m2"], " 150 "),
    ("waste with an exponent", ["targets", "waste_t_per_10k_m2"], "1.5e2"),
    ("waste with an underscore", ["targets", "waste_t_per_10k_m2"], "1_50"),
    ("waste in full-width digits", ["targets", "waste_t_per_10k_m2"], "１５０"),
    ("waste with a plus", ["targets", "waste_t_per_10k_m2"], "+150"),
    ("waste minus zero", ["targets", "waste_t_per_10k_m2"], "-0"),
    ("waste without a leading digit", ["targets", "waste_t_per_10k_m2"], ".5"),
    ("waste as text over the limit", ["targets", "waste_t_per_10k_m2"], "100000.01"),
    ("waste as text at the limit", ["targets", "waste_t_per_10k_m2"], "100000"),
    ("waste with leading zeros", ["targets", "waste_t_per_10k_m2"], "000150"),
    ("share as text over 100", ["targets", "green_material_pct"], "100.5"),
    ("share as text at 100", ["targets", "green_material_pct"], "100.00"),
    ("share as text 99.99", ["targets", "green_material_pct"], "99.99"),
    ("carbon as text over the limit", ["targets", "carbon_kgco2e_per_m2"], "200000"),
    ("BIM plan with an unknown key", ["bim_plan", "stage"], ["design"]),
    ("smart site with an unknown key", ["smart_site_plan", "robots"], "x"),
    ("BIM text 5001 with a trailing space", ["bim_plan", "text"], "字" * 5000 + " "),
]


@pytest.mark.parametrize("what, path, value", EDGES, ids=[edge[0] for edge in EDGES])
def test_the_check_and_the_schema_agree_on_edge_values(plan_in, good_data, what, path, value):
    plan = plan_in("draft")
    good = good_data(plan.project, plan.guideline)
    data = _at(good, path, value)
    try:
        clean_plan_data(plan, data)
        taken = True
    except DomainError:
        taken = False
    assert taken == (schema_errors(data) == []), (what, taken, schema_errors(data))


def test_a_rate_as_text_over_100_is_refused_by_both(plan_in, good_data):
    plan = plan_in("draft")
    good = good_data(plan.project, plan.guideline)
    building = next(iter(good["targets"]["assembly_rate_pct_by_building"]))
    data = _at(good, ["targets", "assembly_rate_pct_by_building", building], "100.1")
    with pytest.raises(DomainError):
        clean_plan_data(plan, data)
    assert schema_errors(data)
