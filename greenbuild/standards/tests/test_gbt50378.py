"""GB/T 50378-2019 star rating: golden cases computed by hand, bad input, rule tables, properties.

Golden cases live in ``golden/gbt50378/*.json``; each holds the input, the expected level, total,
category scores, the failing conditions of every star, what blocks the next level, key per-clause
findings and a comment with the hand computation.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greenbuild.standards import gbt50378
from greenbuild.standards.gbt50378 import Level, evaluate, parse_inputs, render_table, result_to_dict
from greenbuild.standards.rulesets import bundled_ruleset, ruleset_from_dict
from greenbuild.standards.types import StandardsInputError

GOLDEN_DIR = Path(__file__).parent / "golden" / "gbt50378"
GOLDEN_CASES = sorted(GOLDEN_DIR.glob("*.json"))
EDITION_2019 = "GB/T 50378-2019"
EDITION_2024 = "GB/T 50378-2019（2024年版）"
CATEGORY_KEYS = ["safety_durability", "health_comfort", "convenience", "resource_saving", "environment", "bonus"]


def _decimal_or_none(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def _table(edition: str = EDITION_2019) -> dict[str, Any]:
    return copy.deepcopy(dict(bundled_ruleset(edition).data))


def _scorecard(**overrides: Any) -> dict[str, Any]:
    """A valid evaluation-stage scorecard: all control items pass, nothing claimed."""
    data: dict[str, Any] = {
        "edition": EDITION_2019,
        "stage": "evaluation",
        "building_type": "residential",
        "control_items": {item["clause"]: True for item in _table()["control_items"]},
        "scored_items": {},
        "bonus_items": {},
        "full_decoration": True,
        "star_requirements": {
            "envelope_improvement_pct": 20,
            "load_reduction_pct": None,
            "water_fixture_grade": 1,
            "sound_insulation": "high",
            "pollutant_reduction_pct": 20,
            "window_airtightness": True,
            "green_material_ratio_pct": None,
        },
    }
    data.update(overrides)
    return data


def _rate(data: dict[str, Any]) -> gbt50378.Gbt50378Result:
    return evaluate(parse_inputs(data))


# --------------------------------------------------------------------------------------------
# Golden cases
# --------------------------------------------------------------------------------------------


def test_there_are_at_least_twelve_golden_cases():
    assert len(GOLDEN_CASES) >= 12


@pytest.mark.parametrize("path", GOLDEN_CASES, ids=[path.stem for path in GOLDEN_CASES])
def test_golden_case(path: Path):
    case = json.loads(path.read_text(encoding="utf-8"))
    expected = case["expected"]
    assert case["comment"]

    result = _rate(case["input"])

    assert result.edition == expected["edition"]
    assert result.level == Level(expected["level"])
    assert result.total_score == _decimal_or_none(expected["total_score"])
    assert {key: str(value) for key, value in result.category_scores.items()} == {
        key: str(Decimal(value)) for key, value in expected["category_scores"].items()
    }
    failing = {check.level.value: [c.key for c in check.failing] for check in result.star_checks}
    assert failing == expected["failing"]
    assert (result.next_level.value if result.next_level else None) == expected["next_level"]
    assert result.extra_points_needed == _decimal_or_none(expected["extra_points_needed"])
    findings = {finding.clause: finding for finding in result.findings}
    for clause, wanted in expected["findings"].items():
        finding = findings[clause]
        for attribute, value in wanted.items():
            actual = getattr(finding, attribute)
            if attribute in ("awarded", "maximum"):
                assert actual == _decimal_or_none(value), (clause, attribute)
            else:
                assert actual == value, (clause, attribute)


# --------------------------------------------------------------------------------------------
# Bad input: a clear error naming the field or clause (issue 3, "Bad input"; D1, D6)
# --------------------------------------------------------------------------------------------


def _refused(data: dict[str, Any]) -> StandardsInputError:
    with pytest.raises(StandardsInputError) as caught:
        _rate(data)
    return caught.value


def test_claim_above_the_clause_maximum_is_refused_naming_the_clause():
    error = _refused(_scorecard(scored_items={"4.2.1": 11}))
    assert error.field == "scored_items[4.2.1]"
    assert "4.2.1" in str(error) and "maximum 10" in str(error)


def test_bonus_claim_above_its_maximum_is_refused():
    error = _refused(_scorecard(bonus_items={"9.2.6": 16}))
    assert error.field == "bonus_items[9.2.6]"


def test_unknown_scored_clause_is_refused():
    error = _refused(_scorecard(scored_items={"4.2.99": 1}))
    assert error.field == "scored_items[4.2.99]"
    assert "unknown clause" in str(error)


def test_unknown_bonus_clause_is_refused():
    assert _refused(_scorecard(bonus_items={"9.2.11": 1})).field == "bonus_items[9.2.11]"


def test_scored_clause_given_as_a_bonus_clause_is_refused():
    assert _refused(_scorecard(bonus_items={"4.2.1": 1})).field == "bonus_items[4.2.1]"


def test_unknown_control_item_is_refused():
    data = _scorecard()
    data["control_items"]["4.1.9"] = True
    assert _refused(data).field == "control_items[4.1.9]"


def test_missing_control_item_is_refused_naming_it():
    data = _scorecard()
    del data["control_items"]["5.1.9"]
    error = _refused(data)
    assert error.field == "control_items[5.1.9]"
    assert "missing" in str(error)


def test_control_item_must_be_a_boolean():
    data = _scorecard()
    data["control_items"]["4.1.1"] = 1
    assert _refused(data).field == "control_items[4.1.1]"


def test_negative_claim_is_refused_naming_the_clause():
    error = _refused(_scorecard(scored_items={"5.2.1": -1}))
    assert error.field == "scored_items[5.2.1]"
    assert "negative" in str(error)


def test_negative_bonus_claim_is_refused():
    assert _refused(_scorecard(bonus_items={"9.2.1": "-0.5"})).field == "bonus_items[9.2.1]"


def test_non_numeric_claim_is_refused():
    assert _refused(_scorecard(scored_items={"5.2.1": "six"})).field == "scored_items[5.2.1]"
    assert _refused(_scorecard(scored_items={"5.2.1": True})).field == "scored_items[5.2.1]"


@pytest.mark.parametrize("clause", ["6.2.10", "6.2.11", "6.2.12", "6.2.13"])
def test_operation_only_item_at_pre_evaluation_is_refused(clause: str):
    error = _refused(_scorecard(stage="pre_evaluation", scored_items={clause: 1}))
    assert error.field == "scored_items[{}]".format(clause)
    assert "pre-evaluation" in str(error)


def test_operation_only_item_at_evaluation_is_accepted():
    result = _rate(_scorecard(scored_items={"6.2.12": 12}))
    assert result.category_scores["convenience"] == Decimal(12)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("envelope_improvement_pct", -1),
        ("load_reduction_pct", 100.5),
        ("pollutant_reduction_pct", "abc"),
        ("green_material_ratio_pct", 101),
        ("water_fixture_grade", 4),
        ("water_fixture_grade", 1.5),
        ("sound_insulation", "excellent"),
        ("window_airtightness", "yes"),
        ("climate_zone", "tropical"),
        ("envelope_improvment_pct", 10),
    ],
)
def test_bad_star_requirement_is_refused_naming_the_field(field: str, value: Any):
    data = _scorecard()
    data["star_requirements"][field] = value
    assert _refused(data).field == "star_requirements." + field


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"stage": "design"}, "stage"),
        ({"building_type": "industrial"}, "building_type"),
        ({"full_decoration": "yes"}, "full_decoration"),
        ({"edition": "GB/T 50378-2014"}, "edition"),
        ({"edition": ""}, "edition"),
        ({"scored_items": [1, 2]}, "scored_items"),
        ({"star_ratings": {}}, "star_ratings"),
    ],
)
def test_bad_top_level_field_is_refused_naming_it(overrides: dict[str, Any], field: str):
    assert _refused(_scorecard(**overrides)).field == field


@pytest.mark.parametrize("field", ["stage", "building_type", "control_items", "full_decoration"])
def test_required_field_missing_is_refused(field: str):
    data = _scorecard()
    del data[field]
    assert _refused(data).field == field


def test_input_must_be_an_object():
    with pytest.raises(StandardsInputError):
        parse_inputs([])  # type: ignore[arg-type]


def test_evaluate_checks_inputs_built_without_parse_inputs():
    inputs = parse_inputs(_scorecard())
    tampered = gbt50378.Gbt50378Inputs(
        **{**inputs.__dict__, "scored_items": {"4.2.1": Decimal(50)}}  # bypasses parse_inputs
    )
    with pytest.raises(StandardsInputError, match=r"scored_items\[4\.2\.1\]"):
        evaluate(tampered)


def test_evaluate_refuses_a_rule_table_of_another_edition():
    inputs = parse_inputs(_scorecard())
    with pytest.raises(StandardsInputError) as caught:
        evaluate(inputs, bundled_ruleset(EDITION_2024))
    assert caught.value.field == "edition"


# --------------------------------------------------------------------------------------------
# Behaviour beyond the golden cases
# --------------------------------------------------------------------------------------------


def test_edition_defaults_to_2019():
    data = _scorecard()
    del data["edition"]
    assert _rate(data).edition == gbt50378.DEFAULT_EDITION == EDITION_2019


def test_absent_star_requirements_meet_no_star():
    result = _rate(_scorecard(star_requirements={}))
    assert result.level is Level.BASIC


def test_category_sum_is_capped_at_the_stage_maximum_of_a_corrected_table():
    """A corrected table whose item maxima exceed the category maximum still caps the sum (D1)."""
    data = _table()
    for category in data["categories"]:
        if category["key"] == "safety_durability":
            category["maximum"] = {"pre_evaluation": 50, "evaluation": 50}
    data["edition"] = "GB/T 50378-2019 (test correction)"
    ruleset = ruleset_from_dict(data)
    inputs = parse_inputs(
        _scorecard(edition=data["edition"], scored_items={"4.2.1": 10, "4.2.2": 15, "4.2.6": 18, "4.2.3": 10}),
        ruleset=ruleset,
    )
    result = evaluate(inputs, ruleset)
    assert result.category_scores["safety_durability"] == Decimal(50)
    assert result.edition == "GB/T 50378-2019 (test correction)"
    assert "capped" in next(f.reason for f in result.findings if f.clause == "4.2")


def test_corrected_threshold_in_the_rule_table_changes_the_level_without_code_change():
    data = _table()
    for level in data["levels"]:
        if level["level"] == "one_star":
            level["min_total"] = 45
    data["edition"] = "GB/T 50378-2019 (test thresholds)"
    data["version"] = "test.1"
    ruleset = ruleset_from_dict(data)
    claims = {"4.2.1": 10, "4.2.2": 15, "4.2.3": 5, "5.2.1": 12, "5.2.2": 8, "5.2.3": 8, "5.2.4": 2}
    claims.update({"6.2.1": 8, "6.2.2": 8, "6.2.3": 10, "6.2.4": 4, "7.2.1": 20, "7.2.4": 15})
    claims.update({"7.2.10": 15, "7.2.13": 10, "8.2.1": 10, "8.2.2": 10, "8.2.6": 10})
    inputs = parse_inputs(_scorecard(edition=data["edition"], scored_items=claims), ruleset=ruleset)
    result = evaluate(inputs, ruleset)
    # 30 + 30 + 30 + 60 + 30 = 180 points: Q = 58; 58 >= 45 under the corrected table.
    assert result.total_score == Decimal(58)
    assert result.level is Level.ONE_STAR
    assert result.ruleset_version == "test.1"


def test_next_level_out_of_reach_within_the_clause_maxima_gives_no_point_count():
    """At pre-evaluation the most Q can be is (400 + 100+100+70+200+100 + 100)/10 = 107."""
    data = _table()
    for level in data["levels"]:
        if level["level"] == "one_star":
            level["min_total"] = 108
    data["edition"] = "GB/T 50378-2019 (test unreachable)"
    ruleset = ruleset_from_dict(data)
    inputs = parse_inputs(_scorecard(edition=data["edition"], stage="pre_evaluation"), ruleset=ruleset)
    result = evaluate(inputs, ruleset)
    assert result.level is Level.BASIC
    assert result.extra_points_needed is None
    assert "too little room" in result.explanation


def test_explanation_names_what_blocks_the_next_level():
    data = _scorecard(scored_items={"4.2.1": 10}, star_requirements={"window_airtightness": False})
    result = _rate(data)
    assert result.level is Level.BASIC
    assert result.next_level is Level.ONE_STAR
    keys = {blocker.key for blocker in result.blockers}
    assert {"total", "floor:safety_durability", "table_3_2_8:window_airtightness"} <= keys
    assert "cannot be met by claiming points" in result.explanation
    # floors short: 20 + 30 + 30 + 60 + 30 = 170; total short: 200 - 10 = 190 -> 190.
    assert result.extra_points_needed == Decimal(190)


def test_three_stars_is_the_highest_level():
    path = GOLDEN_DIR / "06_three_star_at_85_0.json"
    result = _rate(json.loads(path.read_text(encoding="utf-8"))["input"])
    assert result.next_level is None
    assert result.blockers == ()
    assert "highest level" in result.explanation


def test_result_to_dict_follows_the_output_contract_and_is_json_safe():
    path = GOLDEN_DIR / "03_one_star_at_69_95_not_rounded.json"
    result = _rate(json.loads(path.read_text(encoding="utf-8"))["input"])
    output = json.loads(json.dumps(result_to_dict(result)))
    assert output["level"] == "one_star"
    assert output["total_score"] == 69.95
    assert list(output["category_scores"]) == CATEGORY_KEYS
    assert output["category_scores"]["resource_saving"] == 89.5
    assert output["edition"] == EDITION_2019
    assert output["engine"] == "gbt50378"
    assert output["engine_version"] == gbt50378.ENGINE_VERSION
    assert output["ruleset_version"] == bundled_ruleset(EDITION_2019).version
    assert output["next_level"] == "two_star"
    assert output["extra_points_needed"] == 0.5
    assert output["explanation"]
    clauses = [finding["clause"] for finding in output["findings"]]
    assert clauses.count("4.1.1") == 1 and "9.2.10" in clauses


def test_result_to_dict_gives_null_total_when_a_control_item_fails():
    data = _scorecard()
    data["control_items"]["4.1.1"] = False
    output = result_to_dict(_rate(data))
    assert output["level"] == "none"
    assert output["total_score"] is None
    assert output["star_checks"] == []


def test_render_table_shows_scores_level_failing_rows_and_explanation():
    path = GOLDEN_DIR / "14_row_water_fixture_grade_3.json"
    text = render_table(_rate(json.loads(path.read_text(encoding="utf-8"))["input"]))
    for expected in ["resource_saving", "资源节约", "total Q", "70", "one_star", "节水器具用水效率等级", "二星级"]:
        assert expected in text


def test_render_table_lists_failing_control_items():
    data = _scorecard()
    data["control_items"]["8.1.7"] = False
    text = render_table(_rate(data))
    assert "8.1.7" in text and "none" in text


# --------------------------------------------------------------------------------------------
# The rule tables themselves
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("edition", [EDITION_2019, EDITION_2024])
def test_rule_table_is_consistent_with_the_standard(edition: str):
    data = bundled_ruleset(edition).data
    assert data["standard"] == "GB/T 50378"
    assert data["engine"] == gbt50378.ENGINE
    assert len(data["control_items"]) == 40
    per_category = {category["key"]: Decimal(0) for category in data["categories"]}
    operation_only = Decimal(0)
    for item in data["scored_items"]:
        per_category[item["category"]] += Decimal(item["maximum"])
        if item["operation_only"]:
            operation_only += Decimal(item["maximum"])
    for category in data["categories"]:
        maxima = category["maximum"]
        assert per_category[category["key"]] == maxima["evaluation"], category["key"]
        if category["key"] == "convenience":
            assert maxima["evaluation"] - operation_only == maxima["pre_evaluation"]
    confidences = {row["confidence"] for row in [*data["control_items"], *data["scored_items"]]}
    assert confidences <= {"C", "P", "M", "X", "D"}


def test_only_the_2024_edition_has_the_green_material_row():
    rows_2019 = {row["key"] for row in bundled_ruleset(EDITION_2019).data["table_3_2_8"]}
    rows_2024 = {row["key"] for row in bundled_ruleset(EDITION_2024).data["table_3_2_8"]}
    assert rows_2024 - rows_2019 == {"green_material_ratio"}
    assert bundled_ruleset("GB/T 50378-2019 (2024)").edition == EDITION_2024


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d.update(engine="gbt51129"), "engine"),
        (lambda d: d["scored_items"][0].update(category="nowhere"), "4.2.1"),
        (lambda d: d["scored_items"].append(dict(d["scored_items"][0])), "scored_items"),
        (lambda d: d["levels"].pop(), "levels"),
        (lambda d: d["table_3_2_8"][0]["any_of"][0].update(input="height_m"), "table_3_2_8[0].any_of[0].input"),
        (lambda d: d["table_3_2_8"][2]["any_of"][0].update(test="is_true"), "table_3_2_8[2].any_of[0].test"),
        (lambda d: d["control_items"][0].update(confidence="maybe"), "control_items[0].confidence"),
        (lambda d: d["scored_items"][0].update(maximum=-1), "scored_items[0].maximum"),
    ],
)
def test_a_broken_rule_table_is_refused_naming_the_place(mutate: Any, path: str):
    data = _table()
    mutate(data)
    data["edition"] = "GB/T 50378-2019 (broken)"
    ruleset = ruleset_from_dict(data)
    with pytest.raises(StandardsInputError) as caught:
        parse_inputs(_scorecard(edition=data["edition"]), ruleset=ruleset)
    assert path in caught.value.field


# --------------------------------------------------------------------------------------------
# Property: adding points never lowers the level (issue 3, "What the tests must show")
# --------------------------------------------------------------------------------------------

_SCORED = [(item["clause"], item["maximum"], item["operation_only"]) for item in _table()["scored_items"]]
_BONUS = [(item["clause"], item["maximum"]) for item in _table()["bonus_items"]]


@st.composite
def _scorecard_and_more_points(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    stage = draw(st.sampled_from(["evaluation", "pre_evaluation"]))
    scored: dict[str, Decimal] = {}
    more_scored: dict[str, Decimal] = {}
    for clause, maximum, operation_only in _SCORED:
        if operation_only and stage == "pre_evaluation":
            continue
        base = draw(st.integers(0, maximum * 2)) / Decimal(2)
        scored[clause] = base
        more_scored[clause] = base + draw(st.integers(0, int((maximum - base) * 2))) / Decimal(2)
    bonus: dict[str, Decimal] = {}
    more_bonus: dict[str, Decimal] = {}
    for clause, maximum in _BONUS:
        base = Decimal(draw(st.integers(0, maximum)))
        bonus[clause] = base
        more_bonus[clause] = base + draw(st.integers(0, int(maximum - base)))
    star_requirements = {
        "envelope_improvement_pct": draw(st.sampled_from([None, 4, 5, 10, 20])),
        "load_reduction_pct": draw(st.sampled_from([None, 5, 15])),
        "water_fixture_grade": draw(st.sampled_from([None, 1, 2, 3])),
        "sound_insulation": draw(st.sampled_from([None, "none", "average", "high"])),
        "pollutant_reduction_pct": draw(st.sampled_from([None, 10, 20])),
        "window_airtightness": draw(st.sampled_from([None, True, False])),
        "green_material_ratio_pct": draw(st.sampled_from([None, 10, 30])),
    }
    control_items = {item["clause"]: True for item in _table()["control_items"]}
    if draw(st.integers(0, 9)) == 0:
        control_items[draw(st.sampled_from(sorted(control_items)))] = False
    base_card = _scorecard(
        edition=draw(st.sampled_from([EDITION_2019, EDITION_2024])),
        stage=stage,
        building_type=draw(st.sampled_from(["residential", "public"])),
        control_items=control_items,
        scored_items=scored,
        bonus_items=bonus,
        full_decoration=draw(st.booleans()),
        star_requirements=star_requirements,
    )
    return base_card, dict(base_card, scored_items=more_scored, bonus_items=more_bonus)


@settings(max_examples=200, deadline=None)
@given(_scorecard_and_more_points())
def test_adding_points_never_lowers_the_level(cards: tuple[dict[str, Any], dict[str, Any]]):
    before, after = (_rate(card) for card in cards)
    assert after.level.rank >= before.level.rank
    if before.total_score is not None:
        assert after.total_score is not None and after.total_score >= before.total_score
    if before.extra_points_needed is not None and after.next_level == before.next_level:
        assert after.extra_points_needed is not None
        assert after.extra_points_needed <= before.extra_points_needed
