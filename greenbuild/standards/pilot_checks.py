"""The pilot requirement check (R7–R14): what every Changzhou pilot project must achieve.

:func:`check_pilot` takes a project's figures and returns, for each requirement R7–R14, ``pass``,
``fail`` or ``unknown`` (a figure not yet given) with the reason. The figures come from the other
engines (star level from GB/T 50378, prefabrication from GB/T 51129, waste intensity, green-material
share) and from facts the owner records (standardised design, BIM stages, smart site, delivery
model). The requirement list, the minimum star level and the BIM stages are rule data
(``data/pilot_changzhou_2021.json``), so a programme with other requirements is a new rule set.

Readings where the notice is silent (recorded in the rule file):

* R10 "target set and met": passes when the project's own target is set and the site waste
  intensity is at or under it; unknown while either figure is missing. Pass the unrounded
  intensity where there is one (the waste engine's ``intensity_exact``).
* R11 "rising share": passes when the share is above 0 and above the previous figure (or already
  100 %); with no previous figure a positive share passes.
* R9 passes on the prefabricated-building test alone; pipeline separation and prefabricated
  decoration are "preferably" (宜) in the notice and are only noted in the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from . import _support as s
from .numbers import HUNDRED, ZERO
from .rulesets import bundled_ruleset
from .types import RuleSet, StandardsInputError

__all__ = ["DEFAULT_EDITION", "CheckStatus", "PilotFigures", "RequirementCheck", "check_pilot"]

DEFAULT_EDITION = "Changzhou-green-construction-pilot-2021"
STANDARD = "常州市绿色建造试点工作实施方案"


class CheckStatus(StrEnum):
    PASS = "pass"  # noqa: S105 (a check outcome, not a password)
    FAIL = "fail"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class RequirementCheck:
    requirement: str  # "R7" … "R14"
    title: str
    status: CheckStatus
    reason: str


@dataclass(frozen=True)
class PilotFigures:
    """A project's figures; ``None`` means not yet given."""

    star_level: str | None = None  # GB/T 50378 level: none, basic, one_star, two_star, three_star
    standardised_design: bool | None = None
    is_prefabricated: bool | None = None  # GB/T 51129 test for the project's buildings
    pipeline_separation: bool | None = None
    prefabricated_decoration: bool | None = None
    waste_target_t_per_10k_m2: Decimal | None = None
    waste_intensity_t_per_10k_m2: Decimal | None = None
    green_material_share_pct: Decimal | None = None
    previous_green_material_share_pct: Decimal | None = None
    bim_stages: frozenset[str] | None = None  # of design, production, construction
    smart_site: bool | None = None
    intelligent_equipment: bool | None = None  # construction robots or intelligent equipment
    epc: bool | None = None
    whole_process_consulting: bool | None = None


def _yes_no(value: bool | None) -> str:
    return "not given" if value is None else ("yes" if value else "no")


def _r7(figures: PilotFigures, row: Any, levels: list[str]) -> tuple[CheckStatus, str]:
    if figures.star_level is None:
        return (CheckStatus.UNKNOWN, "no GB/T 50378 star level yet")
    if figures.star_level not in levels:
        raise StandardsInputError("star_level", "must be one of {}".format(", ".join(levels)))
    minimum = row["minimum_star_level"]
    met = levels.index(figures.star_level) >= levels.index(minimum)
    return (
        CheckStatus.PASS if met else CheckStatus.FAIL,
        "star level {} {} {}".format(figures.star_level, "meets" if met else "is below", minimum),
    )


def _bool_check(value: bool | None, what: str) -> tuple[CheckStatus, str]:
    if value is None:
        return (CheckStatus.UNKNOWN, "{}: not yet given".format(what))
    return (CheckStatus.PASS if value else CheckStatus.FAIL, "{}: {}".format(what, _yes_no(value)))


def _r9(figures: PilotFigures) -> tuple[CheckStatus, str]:
    notes = "pipeline separation {}, prefabricated decoration {} (recommended)".format(
        _yes_no(figures.pipeline_separation), _yes_no(figures.prefabricated_decoration)
    )
    if figures.is_prefabricated is None:
        return (CheckStatus.UNKNOWN, "no GB/T 51129 assessment yet; " + notes)
    if figures.is_prefabricated:
        return (CheckStatus.PASS, "counts as prefabricated under GB/T 51129; " + notes)
    return (CheckStatus.FAIL, "does not count as prefabricated under GB/T 51129; " + notes)


def _r10(figures: PilotFigures) -> tuple[CheckStatus, str]:
    target, intensity = figures.waste_target_t_per_10k_m2, figures.waste_intensity_t_per_10k_m2
    if target is None:
        return (CheckStatus.UNKNOWN, "no project waste-reduction target recorded yet")
    if target < ZERO:
        raise StandardsInputError("waste_target_t_per_10k_m2", "must be at least 0")
    if intensity is None:
        return (CheckStatus.UNKNOWN, "target {} t/万㎡ set; site waste intensity not yet known".format(s.show(target)))
    if intensity < ZERO:
        raise StandardsInputError("waste_intensity_t_per_10k_m2", "must be at least 0")
    met = intensity <= target
    return (
        CheckStatus.PASS if met else CheckStatus.FAIL,
        "intensity {} t/万㎡ {} target {} t/万㎡".format(s.show(intensity), "≤" if met else ">", s.show(target)),
    )


def _r11(figures: PilotFigures) -> tuple[CheckStatus, str]:
    share, previous = figures.green_material_share_pct, figures.previous_green_material_share_pct
    for field, value in (("green_material_share_pct", share), ("previous_green_material_share_pct", previous)):
        if value is not None and not ZERO <= value <= HUNDRED:
            raise StandardsInputError(field, "must lie between 0 and 100")
    if share is None:
        return (CheckStatus.UNKNOWN, "no green-material share yet")
    if share == ZERO:
        return (CheckStatus.FAIL, "no certified green materials used (share 0 %)")
    if previous is None:
        return (CheckStatus.PASS, "share {} % > 0; no earlier figure to compare".format(s.show(share)))
    if share > previous or share == HUNDRED:
        return (CheckStatus.PASS, "share {} % (previously {} %)".format(s.show(share), s.show(previous)))
    return (CheckStatus.FAIL, "share {} % is not above the previous {} %".format(s.show(share), s.show(previous)))


def _r12(figures: PilotFigures, row: Any) -> tuple[CheckStatus, str]:
    required = list(row["required_bim_stages"])
    if figures.bim_stages is None:
        return (CheckStatus.UNKNOWN, "BIM stages not yet given")
    unknown = sorted(figures.bim_stages - set(required))
    if unknown:
        raise StandardsInputError("bim_stages", "unknown stage(s) {}; one of {}".format(unknown, ", ".join(required)))
    missing = [stage for stage in required if stage not in figures.bim_stages]
    if missing:
        return (CheckStatus.FAIL, "BIM not applied in: {}".format(", ".join(missing)))
    return (CheckStatus.PASS, "BIM applied in {}".format(", ".join(required)))


def _r13(figures: PilotFigures) -> tuple[CheckStatus, str]:
    reason = "smart site {}, robots or intelligent equipment {}".format(
        _yes_no(figures.smart_site), _yes_no(figures.intelligent_equipment)
    )
    values = (figures.smart_site, figures.intelligent_equipment)
    if False in values:
        return (CheckStatus.FAIL, reason)
    if None in values:
        return (CheckStatus.UNKNOWN, reason)
    return (CheckStatus.PASS, reason)


def _r14(figures: PilotFigures) -> tuple[CheckStatus, str]:
    reason = "EPC {}, whole-process consulting {}".format(
        _yes_no(figures.epc), _yes_no(figures.whole_process_consulting)
    )
    values = (figures.epc, figures.whole_process_consulting)
    if True in values:
        return (CheckStatus.PASS, reason)
    if None in values:
        return (CheckStatus.UNKNOWN, reason)
    return (CheckStatus.FAIL, reason)


def check_pilot(figures: PilotFigures, ruleset: RuleSet | None = None) -> tuple[RequirementCheck, ...]:
    """Pass / fail / unknown with a reason for each requirement R7–R14, in the rule table's order."""
    ruleset = s.require_ruleset(ruleset or bundled_ruleset(DEFAULT_EDITION), STANDARD)
    levels = list(s.rule_entry(ruleset, "star_levels"))
    checks = []
    for row in s.rule_entry(ruleset, "requirements"):
        requirement = row["id"]
        if requirement == "R7":
            status, reason = _r7(figures, row, levels)
        elif requirement == "R8":
            status, reason = _bool_check(figures.standardised_design, "standardised design")
        elif requirement == "R9":
            status, reason = _r9(figures)
        elif requirement == "R10":
            status, reason = _r10(figures)
        elif requirement == "R11":
            status, reason = _r11(figures)
        elif requirement == "R12":
            status, reason = _r12(figures, row)
        elif requirement == "R13":
            status, reason = _r13(figures)
        elif requirement == "R14":
            status, reason = _r14(figures)
        else:
            raise StandardsInputError("edition", "rule table requirement {!r} has no check".format(requirement))
        checks.append(RequirementCheck(requirement, row["title"], status, reason))
    return tuple(checks)
