"""GB/T 51366-2019 carbon (A1–A5): golden cases computed by hand and bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from greenbuild.standards import carbon
from greenbuild.standards.rulesets import bundled_ruleset, ruleset_from_dict
from greenbuild.standards.tests.golden import cases, check_case
from greenbuild.standards.types import StandardsInputError

GOLDEN = cases("carbon")


def _run(data: dict[str, Any]) -> dict[str, Any]:
    return carbon.result_to_dict(carbon.evaluate(carbon.parse_inputs(data)))


@pytest.mark.parametrize("path", GOLDEN, ids=[path.stem for path in GOLDEN])
def test_golden_case_matches_the_hand_computation(path: Path):
    check_case(path, _run)


def test_findings_show_each_line_and_the_defaults_used():
    output = _run(json.loads(GOLDEN[0].read_text())["input"])
    json.dumps(output)
    reasons = [finding["reason"] for finding in output["findings"]]
    assert "100 m3 × 295 kgCO₂e/m3 = 29500 kgCO₂e (GB/T 51366-2019 表D.0.1)" in reasons
    assert any("240 t × 40 km × 0.078" in reason and "default distance" in reason for reason in reasons)
    assert output["electricity_grid"]["year"] == 2023


def test_render_table_lists_each_stage():
    table = carbon.render_table(carbon.evaluate(carbon.parse_inputs(json.loads(GOLDEN[0].read_text())["input"])))
    assert "A4 transport" in table and "54.04" in table


BAD_INPUTS = [
    (
        "negative quantity",
        {"gross_floor_area_m2": 1, "materials": [{"material": "pvc", "quantity": -1}]},
        "materials[0].quantity",
    ),
    (
        "unknown material",
        {"gross_floor_area_m2": 1, "materials": [{"material": "unobtainium", "quantity": 1}]},
        "materials[0].material",
    ),
    (
        "unit other than the table's",
        {"gross_floor_area_m2": 1, "materials": [{"material": "concrete_c30", "quantity": 1, "unit": "t"}]},
        "materials[0].unit",
    ),
    (
        "no mass for transport of m3",
        {"gross_floor_area_m2": 1, "materials": [{"material": "concrete_c30", "quantity": 1}]},
        "materials[0].mass_t",
    ),
    (
        "unknown transport mode",
        {"gross_floor_area_m2": 1, "materials": [{"material": "pvc", "quantity": 1, "transport_mode": "camel"}]},
        "materials[0].transport_mode",
    ),
    (
        "own factor without source",
        {
            "gross_floor_area_m2": 1,
            "materials": [{"name": "x", "unit": "t", "quantity": 1, "factor_kgco2e_per_unit": 5}],
        },
        "materials[0].factor_source",
    ),
    (
        "unknown grid",
        {"gross_floor_area_m2": 1, "grid": "mars", "construction_energy": [{"carrier": "electricity", "quantity": 1}]},
        "grid",
    ),
    (
        "unknown carrier",
        {"gross_floor_area_m2": 1, "construction_energy": [{"carrier": "coal", "quantity": 1}]},
        "construction_energy[0].carrier",
    ),
    (
        "negative energy",
        {"gross_floor_area_m2": 1, "construction_energy": [{"carrier": "diesel", "quantity": -3}]},
        "construction_energy[0].quantity",
    ),
    ("zero area", {"gross_floor_area_m2": 0, "materials": [{"material": "pvc", "quantity": 1}]}, "gross_floor_area_m2"),
    ("nothing to compute", {"gross_floor_area_m2": 1}, "materials"),
]


@pytest.mark.parametrize(("label", "data", "field"), BAD_INPUTS, ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_is_refused_naming_the_field(label: str, data: dict[str, Any], field: str):
    with pytest.raises(StandardsInputError) as raised:
        carbon.evaluate(carbon.parse_inputs(data))
    assert raised.value.field == field


def test_output_names_the_engine_edition_and_rule_table_version():
    inputs = carbon.parse_inputs(json.loads(GOLDEN[0].read_text(encoding="utf-8"))["input"])
    bundled = bundled_ruleset(carbon.DEFAULT_EDITION)
    output = carbon.result_to_dict(carbon.evaluate(inputs))
    assert output["engine"] == "carbon"
    assert output["engine_version"] == carbon.ENGINE_VERSION
    assert output["edition"] == bundled.edition
    assert output["ruleset_version"] == bundled.version
    # A corrected table loaded as data: the result keeps the version it was computed with.
    corrected = ruleset_from_dict({**bundled.data, "version": "test.2"})
    assert carbon.result_to_dict(carbon.evaluate(inputs, corrected))["ruleset_version"] == "test.2"
