"""Pilot requirement check R7–R14: pass, fail and unknown, each with its reason."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from greenbuild.standards.pilot_checks import CheckStatus, PilotFigures, check_pilot
from greenbuild.standards.types import StandardsInputError

PASSING = PilotFigures(
    star_level="two_star",
    standardised_design=True,
    is_prefabricated=True,
    pipeline_separation=True,
    prefabricated_decoration=False,
    waste_target_t_per_10k_m2=Decimal(250),
    waste_intensity_t_per_10k_m2=Decimal("134.615"),
    green_material_share_pct=Decimal("58.3"),
    previous_green_material_share_pct=Decimal("45"),
    bim_stages=frozenset({"design", "production", "construction"}),
    smart_site=True,
    intelligent_equipment=True,
    epc=False,
    whole_process_consulting=True,
)


def _status(figures: PilotFigures) -> dict[str, CheckStatus]:
    return {check.requirement: check.status for check in check_pilot(figures)}


def test_every_requirement_r7_to_r14_is_checked_in_order():
    checks = check_pilot(PASSING)
    assert [check.requirement for check in checks] == ["R7", "R8", "R9", "R10", "R11", "R12", "R13", "R14"]
    assert all(check.status is CheckStatus.PASS for check in checks), checks
    assert all(check.reason and check.title for check in checks)


def test_nothing_given_means_every_requirement_is_unknown():
    checks = check_pilot(PilotFigures())
    assert {check.status for check in checks} == {CheckStatus.UNKNOWN}


@pytest.mark.parametrize(
    ("change", "requirement", "status", "reason_part"),
    [
        ({"star_level": "one_star"}, "R7", CheckStatus.FAIL, "one_star is below two_star"),
        ({"star_level": "three_star"}, "R7", CheckStatus.PASS, "three_star meets two_star"),
        ({"standardised_design": False}, "R8", CheckStatus.FAIL, "standardised design: no"),
        ({"is_prefabricated": False}, "R9", CheckStatus.FAIL, "does not count as prefabricated"),
        ({"is_prefabricated": None}, "R9", CheckStatus.UNKNOWN, "no GB/T 51129 assessment"),
        ({"waste_intensity_t_per_10k_m2": Decimal("250.01")}, "R10", CheckStatus.FAIL, "250.01 t/万㎡ > target 250"),
        ({"waste_intensity_t_per_10k_m2": Decimal(250)}, "R10", CheckStatus.PASS, "≤ target 250"),
        ({"waste_target_t_per_10k_m2": None}, "R10", CheckStatus.UNKNOWN, "no project waste-reduction target"),
        ({"waste_intensity_t_per_10k_m2": None}, "R10", CheckStatus.UNKNOWN, "not yet known"),
        ({"green_material_share_pct": Decimal(45)}, "R11", CheckStatus.FAIL, "not above the previous 45"),
        ({"green_material_share_pct": Decimal(0)}, "R11", CheckStatus.FAIL, "share 0 %"),
        ({"previous_green_material_share_pct": None}, "R11", CheckStatus.PASS, "no earlier figure"),
        (
            {"green_material_share_pct": Decimal(100), "previous_green_material_share_pct": Decimal(100)},
            "R11",
            CheckStatus.PASS,
            "share 100 %",
        ),
        ({"bim_stages": frozenset({"design", "construction"})}, "R12", CheckStatus.FAIL, "not applied in: production"),
        ({"intelligent_equipment": False}, "R13", CheckStatus.FAIL, "robots or intelligent equipment no"),
        ({"smart_site": None}, "R13", CheckStatus.UNKNOWN, "smart site not given"),
        ({"whole_process_consulting": False}, "R14", CheckStatus.FAIL, "EPC no, whole-process consulting no"),
        ({"epc": None, "whole_process_consulting": None}, "R14", CheckStatus.UNKNOWN, "EPC not given"),
    ],
)
def test_one_changed_figure_changes_one_requirement(change, requirement, status, reason_part):
    checks = {check.requirement: check for check in check_pilot(replace(PASSING, **change))}
    assert checks[requirement].status is status
    assert reason_part in checks[requirement].reason
    others = [check.status for key, check in checks.items() if key != requirement]
    assert set(others) == {CheckStatus.PASS}


def test_r9_notes_the_recommended_pipeline_separation_and_decoration():
    r9 = check_pilot(PASSING)[2]
    assert "pipeline separation yes" in r9.reason and "prefabricated decoration no" in r9.reason


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"star_level": "five_star"}, "star_level"),
        ({"bim_stages": frozenset({"design", "operation"})}, "bim_stages"),
        ({"green_material_share_pct": Decimal(101)}, "green_material_share_pct"),
        ({"waste_intensity_t_per_10k_m2": Decimal(-1)}, "waste_intensity_t_per_10k_m2"),
    ],
)
def test_bad_figures_are_refused_naming_the_field(change, field):
    with pytest.raises(StandardsInputError) as raised:
        check_pilot(replace(PASSING, **change))
    assert raised.value.field == field
