"""Message codes: every finding, condition, explanation line and refusal of the engines has one."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

from greenbuild.standards import carbon, gbt50378, gbt51129, green_materials, waste
from greenbuild.standards.messages import REGISTRY, codes_in, msg
from greenbuild.standards.pilot_checks import PilotFigures, check_pilot
from greenbuild.standards.tests.golden import GOLDEN_DIR, golden_outputs
from greenbuild.standards.types import StandardsInputError

ENGINES_DIR = Path(__file__).resolve().parents[1]
RUNS = {
    "gbt50378": lambda data: gbt50378.result_to_dict(gbt50378.evaluate(gbt50378.parse_inputs(data))),
    "gbt51129": lambda data: gbt51129.result_to_dict(gbt51129.evaluate(gbt51129.parse_inputs(data))),
    "waste": lambda data: waste.result_to_dict(waste.evaluate(waste.parse_inputs(data))),
    "green_materials": lambda data: green_materials.result_to_dict(
        green_materials.evaluate(green_materials.parse_inputs(data))
    ),
    "carbon": lambda data: carbon.result_to_dict(carbon.evaluate(carbon.parse_inputs(data))),
}


def _refusal_calls() -> list[tuple[str, int, ast.Call]]:
    calls = []
    for path in sorted(ENGINES_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "StandardsInputError":
                calls.append((path.name, node.lineno, node))
    return calls


def test_every_refusal_in_the_engines_is_a_message_code():
    """No refusal is written as bare English: each passes msg(...) (or a variable holding one)."""
    offenders = []
    for name, line, call in _refusal_calls():
        message = call.args[1] if len(call.args) > 1 else None
        if (
            message is None
            or isinstance(message, ast.Constant | ast.JoinedStr)
            or (isinstance(message, ast.Call) and getattr(message.func, "attr", None) == "format")
        ):
            offenders.append("{}:{}".format(name, line))
    assert not offenders and len(_refusal_calls()) > 50


def _walk_findings(output: dict[str, Any]) -> list[dict[str, Any]]:
    rows = list(output.get("findings", []))
    rows += list(output.get("conditions", []))
    rows += list(output.get("blockers", []))
    for check in output.get("star_checks", []):
        rows += check["conditions"]
    return rows


@pytest.mark.parametrize("engine", sorted(RUNS))
def test_every_finding_of_every_golden_case_has_a_defined_code(engine):
    outputs = golden_outputs(engine, RUNS[engine])
    assert outputs
    for output in outputs:
        if isinstance(output, StandardsInputError):
            assert output.code in REGISTRY
            continue
        json.dumps(output)
        for row in _walk_findings(output):
            assert row["code"] in REGISTRY, row
            assert set(row["params"]) == set(REGISTRY[row["code"]].params)
        for line in output.get("explanation_messages", []):
            assert line["code"] in REGISTRY


def test_explanation_text_is_unchanged_for_the_cli():
    case = json.loads((GOLDEN_DIR / "gbt50378" / "03_one_star_at_69_95_not_rounded.json").read_text(encoding="utf-8"))
    result = gbt50378.evaluate(gbt50378.parse_inputs(case["input"]))
    assert result.explanation.splitlines()[:3] == [
        "一星级 (one_star), Q = 69.95.",
        "二星级 (two_star) is blocked by:",
        "- Q 69.95, needs ≥ 70 [3.2.8]: 0.5 more points",
    ]
    assert [line.code for line in result.explanation_messages][:2] == [
        "gbt50378.explain.head",
        "gbt50378.explain.blocked_by",
    ]
    blocker = result.explanation_messages[2]
    assert blocker.params["condition"].code == "gbt50378.condition.total"


def test_a_missing_star_requirement_is_a_code_with_the_requirement_as_a_parameter():
    case = json.loads((GOLDEN_DIR / "gbt50378" / "05_basic_at_59_9.json").read_text(encoding="utf-8"))
    data = dict(case["input"], star_requirements={})
    output = gbt50378.result_to_dict(gbt50378.evaluate(gbt50378.parse_inputs(data)))
    water = next(c for c in output["blockers"] if c["key"] == "table_3_2_8:water_fixture_grade")
    assert water["code"] == "gbt50378.condition.row"
    assert water["params"]["row"] == "water_fixture_grade"
    assert water["params"]["tests"] == [
        {
            "code": "gbt50378.row.at_most",
            "params": {"requirement": "water_fixture_grade", "value": None, "threshold": "3"},
        }
    ]
    assert "water_fixture_grade not given (needs ≤ 3)" in water["description"]  # the CLI text stays


def test_pilot_checks_carry_codes():
    codes = {check.requirement: check.message.code for check in check_pilot(PilotFigures(star_level="basic"))}
    assert codes["R7"] == "pilot.r7.below"
    assert all(code in REGISTRY for code in codes.values())


def test_refusals_keep_english_text_and_add_the_code():
    with pytest.raises(StandardsInputError) as refused:
        gbt51129.parse_inputs({"structure": "concrete", "vertical_members_pct": 120, "full_decoration": True})
    assert str(refused.value) == "vertical_members_pct: must be at most 100, got 120"
    assert refused.value.code == "input.above_maximum"
    assert refused.value.params == {"maximum": "100", "value": "120"}
    assert refused.value.message.message.code == "input.above_maximum"  # CodedText remembers it
    assert refused.value.to_dict()["code"] == "input.above_maximum"


def test_msg_refuses_undefined_codes_and_wrong_parameters():
    with pytest.raises(KeyError):
        msg("no.such.code")
    with pytest.raises(TypeError):
        msg("gbt50378.condition.total", total="1")


def test_codes_in_finds_nested_codes():
    output = RUNS["gbt50378"](
        json.loads((GOLDEN_DIR / "gbt50378" / "02_one_star_at_69_9.json").read_text(encoding="utf-8"))["input"]
    )
    found = codes_in(output)
    assert {"gbt50378.explain.blocker_points", "gbt50378.condition.total", "gbt50378.points.claimed"} <= found
