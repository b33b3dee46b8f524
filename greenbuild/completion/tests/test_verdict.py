"""Completion verdicts for hand-made cases (R6, R20): the pure module, no database."""

from __future__ import annotations

from decimal import Decimal as D

from greenbuild.completion.scheme_data import FIRST_VERSION
from greenbuild.completion.verdict import Achieved, Targets, evaluate, validate_criteria

SCHEME = {"criteria": FIRST_VERSION["criteria"], "pass_score": FIRST_VERSION["pass_score"]}
TARGETS = Targets(
    star_level="two_star",
    assembly_rates={"1#楼": D("60")},
    waste_intensity=D("180"),
    green_material_share=D("60"),
    carbon_intensity=None,
)
ALL_MET = Achieved(
    star_level="three_star",
    assembly_rates={"1#楼": D("65")},
    waste_intensity=D("160"),
    green_material_share=D("65"),
    carbon_intensity=D("420"),
    standardised_design=True,
    bim_stages=frozenset({"design", "production", "construction"}),
    smart_site=True,
    intelligent_equipment=True,
    epc=True,
    whole_process_consulting=False,
)


def _status(outcome, code):
    return next(row.status for row in outcome.rows if row.code == code)


def test_r6_all_met():
    outcome = evaluate(SCHEME, ALL_MET, TARGETS)
    assert outcome.verdict == "met"
    assert outcome.score == D("100.0")  # carbon has no target: not applicable, out of the weights
    assert _status(outcome, "C9") == "not_applicable"
    assert outcome.missed == [] and outcome.missing == []


def test_r6_one_mandatory_target_missed():
    achieved = Achieved(**{**ALL_MET.__dict__, "waste_intensity": D("180.01")})  # above the 180 target
    outcome = evaluate(SCHEME, achieved, TARGETS)
    assert outcome.verdict == "not_met"
    assert outcome.missed == ["C4"]
    assert outcome.score == D("84.2")  # 80 of 95


def test_r6_assembly_rate_of_one_building_below_its_baseline_target():
    achieved = Achieved(**{**ALL_MET.__dict__, "assembly_rates": {"1#楼": D("59.9")}})
    outcome = evaluate(SCHEME, achieved, TARGETS)
    assert outcome.verdict == "not_met" and outcome.missed == ["C3"]


def test_r6_an_optional_criterion_missed_passes_above_the_pass_score():
    achieved = Achieved(**{**ALL_MET.__dict__, "standardised_design": False})
    outcome = evaluate(SCHEME, achieved, TARGETS)
    assert outcome.verdict == "met" and outcome.missed == ["C2"]
    assert outcome.score == D("94.7")  # 90 of 95, half-up


def test_r6_two_optional_criteria_missed_fall_below_the_pass_score():
    achieved = Achieved(**{**ALL_MET.__dict__, "bim_stages": frozenset({"design"}), "smart_site": False})
    outcome = evaluate(SCHEME, achieved, TARGETS)
    assert outcome.verdict == "not_met" and outcome.missed == ["C6", "C7"]
    assert outcome.score == D("78.9")  # 75 of 95 < 80


def test_r6_data_missing_gives_no_verdict():
    achieved = Achieved(**{**ALL_MET.__dict__, "green_material_share": None})
    outcome = evaluate(SCHEME, achieved, TARGETS)
    assert outcome.verdict == "incomplete" and outcome.score is None
    assert outcome.missing == ["C5"]


def test_r6_a_building_not_assessed_is_missing_data():
    achieved = Achieved(**{**ALL_MET.__dict__, "assembly_rates": {"1#楼": D("65"), "2#楼": None}})
    assert evaluate(SCHEME, achieved, TARGETS).missing == ["C3"]


def test_r7_star_level_below_two_star_is_missed_even_without_a_baseline_target():
    achieved = Achieved(**{**ALL_MET.__dict__, "star_level": "one_star"})
    outcome = evaluate(SCHEME, achieved, Targets(**{**TARGETS.__dict__, "star_level": None}))
    assert outcome.verdict == "not_met" and outcome.missed == ["C1"]


def test_carbon_target_set_and_missed():
    outcome = evaluate(SCHEME, ALL_MET, Targets(**{**TARGETS.__dict__, "carbon_intensity": D("400")}))
    assert _status(outcome, "C9") == "missed"
    assert outcome.verdict == "met"  # optional, 95 of 100


def test_r20_criteria_are_checked():
    assert validate_criteria(FIRST_VERSION["criteria"]) == []
    assert validate_criteria([]) != []
    assert validate_criteria([{"code": "X", "indicator": "nope", "weight": "1"}])
    assert validate_criteria([{"code": "X", "indicator": "star_level", "weight": "-1"}])
    assert validate_criteria([{"code": "X", "indicator": "star_level", "weight": "NaN"}])


def test_the_verdict_module_imports_no_django():
    import ast
    from pathlib import Path

    import greenbuild.completion.verdict as module

    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [
        n
        for n in names
        if n.startswith("django") or (n.startswith("greenbuild.") and not n.startswith("greenbuild.standards"))
    ]
