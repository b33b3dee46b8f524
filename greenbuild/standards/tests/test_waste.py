"""Construction waste intensity (R10): golden cases computed by hand, bad input, linearity."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greenbuild.standards import waste
from greenbuild.standards.rulesets import bundled_ruleset, ruleset_from_dict
from greenbuild.standards.tests.golden import cases, check_case
from greenbuild.standards.types import StandardsInputError

GOLDEN = cases("waste")


def _run(data: dict[str, Any]) -> dict[str, Any]:
    return waste.result_to_dict(waste.evaluate(waste.parse_inputs(data)))


@pytest.mark.parametrize("path", GOLDEN, ids=[path.stem for path in GOLDEN])
def test_golden_case_matches_the_hand_computation(path: Path):
    check_case(path, _run)


def test_output_has_the_contract_keys_and_is_json_safe():
    output = _run(json.loads(GOLDEN[0].read_text())["input"])
    for key in (
        "intensity_t_per_10k_m2",
        "national_target_t_per_10k_m2",
        "meets_national_target",
        "meets_project_target",
        "hazardous_tonnes",
        "findings",
        "edition",
        "engine_version",
    ):
        assert key in output
    json.dumps(output)


def test_render_table_names_the_target_and_the_excluded_spoil():
    result = waste.evaluate(waste.parse_inputs(json.loads(GOLDEN[0].read_text())["input"]))
    table = waste.render_table(result)
    assert "134.62 t/万㎡" in table and "工程渣土" in table


def _valid(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "gross_floor_area_m2": 52000,
        "prefabricated": False,
        "target_t_per_10k_m2": 250,
        "records": [{"category": "construction_waste", "tonnes": 700}],
    }
    data.update(changes)
    return data


BAD_INPUTS = [
    ("negative tonnage", _valid(records=[{"category": "construction_waste", "tonnes": -1}]), "records[0].tonnes"),
    (
        "recycled more than produced",
        _valid(records=[{"category": "construction_waste", "tonnes": 10, "recycled_tonnes": 11}]),
        "records[0].recycled_tonnes",
    ),
    ("unknown category", _valid(records=[{"category": "asbestos", "tonnes": 1}]), "records[0].category"),
    ("zero floor area", _valid(gross_floor_area_m2=0), "gross_floor_area_m2"),
    ("negative target", _valid(target_t_per_10k_m2=-5), "target_t_per_10k_m2"),
    ("prefabricated missing", {"gross_floor_area_m2": 1000, "records": []}, "prefabricated"),
    (
        "prefabricated area above the GFA",
        _valid(prefabricated=None, prefabricated_floor_area_m2=60000),
        "prefabricated_floor_area_m2",
    ),
    ("both prefabricated keys", _valid(prefabricated_floor_area_m2=1000), "prefabricated"),
    ("records not a list", _valid(records={"category": "other"}), "records"),
    ("misspelt field", _valid(target=250), "target"),
]


@pytest.mark.parametrize(("label", "data", "field"), BAD_INPUTS, ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_is_refused_naming_the_field(label: str, data: dict[str, Any], field: str):
    with pytest.raises(StandardsInputError) as raised:
        waste.evaluate(waste.parse_inputs(data))
    assert raised.value.field == field


TONNES = st.decimals(min_value=0, max_value=100000, places=3)


@settings(max_examples=200, deadline=None)
@given(
    tonnes=st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "construction_waste",
                    "demolition_waste",
                    "decoration_waste",
                    "other",
                    "engineering_spoil",
                    "hazardous",
                ]
            ),
            TONNES,
        ),
        max_size=8,
    ),
    area=st.decimals(min_value=1, max_value=10**6, places=2),
    factor=st.integers(min_value=0, max_value=1000),
)
def test_intensity_scales_linearly_with_tonnage(tonnes, area, factor):
    def intensity(scale: int):
        records = [{"category": c, "tonnes": str(t * scale)} for c, t in tonnes]
        data = {"gross_floor_area_m2": str(area), "prefabricated": False, "records": records}
        return waste.evaluate(waste.parse_inputs(data)).intensity_exact

    assert intensity(factor) == factor * intensity(1)


def test_output_names_the_engine_edition_and_rule_table_version():
    inputs = waste.parse_inputs(json.loads(GOLDEN[0].read_text(encoding="utf-8"))["input"])
    bundled = bundled_ruleset(waste.DEFAULT_EDITION)
    output = waste.result_to_dict(waste.evaluate(inputs))
    assert output["engine"] == "waste"
    assert output["engine_version"] == waste.ENGINE_VERSION
    assert output["edition"] == bundled.edition
    assert output["ruleset_version"] == bundled.version
    # A corrected table loaded as data: the result keeps the version it was computed with.
    corrected = ruleset_from_dict({**bundled.data, "version": "test.2"})
    assert waste.result_to_dict(waste.evaluate(inputs, corrected))["ruleset_version"] == "test.2"
