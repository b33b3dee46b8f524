"""GB/T 51129-2017 assembly rate: golden cases computed by hand, bad input, properties."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greenbuild.standards import gbt51129
from greenbuild.standards.rulesets import bundled_ruleset, ruleset_from_dict
from greenbuild.standards.types import StandardsInputError

GOLDEN = sorted((Path(__file__).parent / "golden" / "gbt51129").glob("*.json"))


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        return actual == expected
    return Decimal(str(actual)) == Decimal(str(expected))


def _run(data: dict[str, Any]) -> dict[str, Any]:
    return gbt51129.result_to_dict(gbt51129.evaluate(gbt51129.parse_inputs(data)))


def test_there_are_at_least_ten_golden_cases():
    assert len(GOLDEN) >= 10


@pytest.mark.parametrize("path", GOLDEN, ids=[path.stem for path in GOLDEN])
def test_golden_case_matches_the_hand_computation(path: Path):
    case = json.loads(path.read_text(encoding="utf-8"))
    assert case["comment"], "every golden case shows its hand computation"
    output = _run(case["input"])
    for key, expected in case["expected"].items():
        assert _same(output[key], expected), "{}: {} != {}".format(key, output[key], expected)
    points = {item["item"]: item["points"] for item in output["items"]}
    for item, expected in case.get("expected_items", {}).items():
        assert _same(points[item], expected), "{}: {} != {}".format(item, points[item], expected)
    checks = {finding["clause"]: finding["passed"] for finding in output["findings"]}
    for clause, expected in case.get("expected_findings", {}).items():
        assert checks[clause] is expected, clause


def test_result_carries_edition_version_and_a_finding_per_item():
    result = gbt51129.evaluate(gbt51129.parse_inputs(json.loads(GOLDEN[0].read_text())["input"]))
    assert result.edition == "GB/T 51129-2017"
    assert result.engine_version == gbt51129.ENGINE_VERSION
    output = gbt51129.result_to_dict(result)
    for key in ("assembly_rate_pct", "q1", "q2", "q3", "q4", "is_prefabricated", "grade", "findings", "conditions"):
        assert key in output
    assert len(output["conditions"]) == 4
    assert {finding["clause"] for finding in output["findings"]} >= {"4.0.2", "4.0.12", "3.0.3(4)", "5.0.1"}
    json.dumps(output)  # JSON-safe


def test_interpolation_reason_shows_the_arithmetic():
    output = _run(json.loads((GOLDEN[0].parent / "19_quantities_and_half_up_rounding.json").read_text())["input"])
    kitchen = next(f for f in output["findings"] if f["clause"] == "4.0.10")
    assert "3.15 → 3.2" in kitchen["reason"]
    vertical = next(f for f in output["findings"] if f["clause"] == "4.0.2")
    assert "120 / 300 m3" in vertical["reason"]


def test_render_table_lists_the_summary_and_every_clause():
    result = gbt51129.evaluate(gbt51129.parse_inputs(json.loads(GOLDEN[0].read_text())["input"]))
    table = gbt51129.render_table(result)
    assert "assembly rate P" in table and "AAA" in table and "集成厨房" in table


def _valid() -> dict[str, Any]:
    return {
        "structure": "concrete",
        "vertical_members_pct": 50,
        "horizontal_members_pct": 75,
        "exterior_walls_nonmasonry_pct": 85,
        "exterior_walls_integrated_pct": 60,
        "partitions_nonmasonry_pct": 60,
        "partitions_integrated_pct": 40,
        "full_decoration": True,
        "dry_floors_pct": 75,
        "integrated_kitchen_pct": 80,
        "integrated_bathroom_pct": 70,
        "pipeline_separation_pct": 55,
    }


def _with(**changes: Any) -> dict[str, Any]:
    data = _valid()
    for key, value in changes.items():
        if value is ...:
            data.pop(key, None)
        else:
            data[key] = value
    return data


BAD_INPUTS = [
    ("ratio below 0", _with(vertical_members_pct=-1), "vertical_members_pct"),
    ("ratio above 100", _with(dry_floors_pct=100.1), "dry_floors_pct"),
    ("ratio not a number", _with(integrated_bathroom_pct="lots"), "integrated_bathroom_pct"),
    (
        "precast volume larger than the total",
        _with(vertical_members_pct=..., quantities={"vertical_members": {"part": 301, "total": 300}}),
        "quantities.vertical_members.part",
    ),
    (
        "zero total quantity",
        _with(vertical_members_pct=..., quantities={"vertical_members": {"part": 0, "total": 0}}),
        "quantities.vertical_members.total",
    ),
    (
        "both a percentage and quantities",
        _with(quantities={"vertical_members": {"part": 1, "total": 2}}),
        "vertical_members_pct",
    ),
    ("absent main-structure item", _with(vertical_members_pct=..., absent_items=["vertical_members"]), "absent_items"),
    ("absent full decoration", _with(absent_items=["full_decoration"]), "absent_items"),
    ("unknown absent item", _with(absent_items=["swimming_pool"]), "absent_items"),
    ("ratio given for an absent item", _with(absent_items=["integrated_kitchen"]), "integrated_kitchen_pct"),
    ("missing main-structure ratio", _with(horizontal_members_pct=...), "horizontal_members_pct"),
    ("concrete without vertical ratio", _with(vertical_members_pct=...), "vertical_members_pct"),
    ("present item without a ratio", _with(pipeline_separation_pct=...), "pipeline_separation_pct"),
    ("unknown structure", _with(structure="bamboo"), "structure"),
    ("full decoration not a boolean", _with(full_decoration="yes"), "full_decoration"),
    ("misspelt field", _with(dry_floor_pct=70), "dry_floor_pct"),
    ("unknown edition", _with(edition="GB/T 51129-2099"), "edition"),
]


@pytest.mark.parametrize(("label", "data", "field"), BAD_INPUTS, ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_is_refused_naming_the_field(label: str, data: dict[str, Any], field: str):
    with pytest.raises(StandardsInputError) as raised:
        gbt51129.evaluate(gbt51129.parse_inputs(data))
    assert raised.value.field == field
    assert field in str(raised.value)


PCT = st.decimals(min_value=0, max_value=100, places=1)


@settings(max_examples=300, deadline=None)
@given(
    structure=st.sampled_from(["concrete", "steel", "timber"]),
    ratios=st.fixed_dictionaries({item: PCT for item in gbt51129.RATIO_ITEMS}),
    absent=st.sets(st.sampled_from(gbt51129.RATIO_ITEMS[2:])),
    full_decoration=st.booleans(),
)
def test_assembly_rate_stays_within_0_and_100(structure, ratios, absent, full_decoration):
    data: dict[str, Any] = {"structure": structure, "full_decoration": full_decoration, "absent_items": sorted(absent)}
    for item, value in ratios.items():
        if item not in absent:
            data[item + "_pct"] = str(value)
    result = gbt51129.evaluate(gbt51129.parse_inputs(data))
    assert 0 <= result.assembly_rate_exact <= 100
    assert 0 <= result.assembly_rate_pct <= 100
    if result.grade is not gbt51129.Grade.NONE:
        assert result.is_prefabricated and result.grade_precondition_met


def test_output_names_the_engine_edition_and_rule_table_version():
    inputs = gbt51129.parse_inputs(json.loads(GOLDEN[0].read_text(encoding="utf-8"))["input"])
    bundled = bundled_ruleset(gbt51129.DEFAULT_EDITION)
    output = gbt51129.result_to_dict(gbt51129.evaluate(inputs))
    assert output["engine"] == "gbt51129"
    assert output["engine_version"] == gbt51129.ENGINE_VERSION
    assert output["edition"] == bundled.edition
    assert output["ruleset_version"] == bundled.version
    # A corrected table loaded as data: the result keeps the version it was computed with.
    corrected = ruleset_from_dict({**bundled.data, "version": "test.2"})
    assert gbt51129.result_to_dict(gbt51129.evaluate(inputs, corrected))["ruleset_version"] == "test.2"
