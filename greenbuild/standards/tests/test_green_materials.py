"""Green-material share (R11): golden cases computed by hand and bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from greenbuild.standards import green_materials
from greenbuild.standards.rulesets import bundled_ruleset, ruleset_from_dict
from greenbuild.standards.tests.golden import cases, check_case
from greenbuild.standards.types import StandardsInputError

GOLDEN = cases("green_materials")


def _run(data: dict[str, Any]) -> dict[str, Any]:
    return green_materials.result_to_dict(green_materials.evaluate(green_materials.parse_inputs(data)))


@pytest.mark.parametrize("path", GOLDEN, ids=[path.stem for path in GOLDEN])
def test_golden_case_matches_the_hand_computation(path: Path):
    check_case(path, _run)


def test_group_findings_explain_each_score():
    output = _run(json.loads(GOLDEN[0].read_text())["input"])
    json.dumps(output)
    main = next(f for f in output["findings"] if f["title"] == "主体及围护结构工程用材")
    assert main["reason"] == "2 of 4 item types green × 45 = 22.5"
    concrete = next(f for f in output["findings"] if f["title"] == "预拌混凝土")
    assert concrete["passed"] is True and "9000 of 10000 m3" in concrete["reason"]
    assert {f["clause"] for f in output["findings"]} >= {"7.2.18", "3.2.8 二星级"}


def test_render_table_shows_ratio_and_points():
    table = green_materials.render_table(
        green_materials.evaluate(green_materials.parse_inputs(json.loads(GOLDEN[0].read_text())["input"]))
    )
    assert "58.3 %" in table and "4 / 12 points" in table


def _line(**changes: Any) -> dict[str, Any]:
    line: dict[str, Any] = {"name": "涂料", "category": "decoration", "quantity": 10, "unit": "m2", "certified": True}
    line.update(changes)
    return line


BAD_INPUTS = [
    ("no items", {"items": []}, "items"),
    ("negative quantity", {"items": [_line(quantity=-1)]}, "items[0].quantity"),
    ("zero quantity", {"items": [_line(quantity=0)]}, "items[0].quantity"),
    ("unknown category", {"items": [_line(category="landscape")]}, "items[0].category"),
    ("certified not a boolean", {"items": [_line(certified="yes")]}, "items[0].certified"),
    ("mixed units in one item type", {"items": [_line(), _line(unit="kg")]}, "items[1].unit"),
    ("misspelt field", {"items": [_line(certifed=True)]}, "items[0].certifed"),
]


@pytest.mark.parametrize(("label", "data", "field"), BAD_INPUTS, ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_is_refused_naming_the_field(label: str, data: dict[str, Any], field: str):
    with pytest.raises(StandardsInputError) as raised:
        green_materials.evaluate(green_materials.parse_inputs(data))
    assert raised.value.field == field


def test_output_names_the_engine_edition_and_rule_table_version():
    inputs = green_materials.parse_inputs(json.loads(GOLDEN[0].read_text(encoding="utf-8"))["input"])
    bundled = bundled_ruleset(green_materials.DEFAULT_EDITION)
    output = green_materials.result_to_dict(green_materials.evaluate(inputs))
    assert output["engine"] == "green-materials"
    assert output["engine_version"] == green_materials.ENGINE_VERSION
    assert output["edition"] == bundled.edition
    assert output["ruleset_version"] == bundled.version
    # A corrected table loaded as data: the result keeps the version it was computed with.
    corrected = ruleset_from_dict({**bundled.data, "version": "test.2"})
    assert green_materials.result_to_dict(green_materials.evaluate(inputs, corrected))["ruleset_version"] == "test.2"
