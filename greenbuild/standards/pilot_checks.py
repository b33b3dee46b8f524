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
from .messages import Message, msg
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
    reason: str  # English, from ``message``
    message: Message | None = None  # the reason as a message code (scoring/messages.py renders it)


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


def _r7(figures: PilotFigures, row: Any, levels: list[str]) -> tuple[CheckStatus, Message]:
    if figures.star_level is None:
        return (CheckStatus.UNKNOWN, msg("pilot.r7.unknown"))
    if figures.star_level not in levels:
        raise StandardsInputError("star_level", msg("pilot.input.star_level", allowed=", ".join(levels)))
    minimum = row["minimum_star_level"]
    met = levels.index(figures.star_level) >= levels.index(minimum)
    return (
        CheckStatus.PASS if met else CheckStatus.FAIL,
        msg("pilot.r7.meets" if met else "pilot.r7.below", level=figures.star_level, minimum=minimum),
    )


def _r8(value: bool | None) -> tuple[CheckStatus, Message]:
    if value is None:
        return (CheckStatus.UNKNOWN, msg("pilot.r8.unknown"))
    return (CheckStatus.PASS if value else CheckStatus.FAIL, msg("pilot.r8", value=value))


def _r9(figures: PilotFigures) -> tuple[CheckStatus, Message]:
    notes = {"pipeline": figures.pipeline_separation, "decoration": figures.prefabricated_decoration}
    if figures.is_prefabricated is None:
        return (CheckStatus.UNKNOWN, msg("pilot.r9.unknown", **notes))
    if figures.is_prefabricated:
        return (CheckStatus.PASS, msg("pilot.r9.pass", **notes))
    return (CheckStatus.FAIL, msg("pilot.r9.fail", **notes))


def _r10(figures: PilotFigures) -> tuple[CheckStatus, Message]:
    target, intensity = figures.waste_target_t_per_10k_m2, figures.waste_intensity_t_per_10k_m2
    if target is None:
        return (CheckStatus.UNKNOWN, msg("pilot.r10.no_target"))
    if target < ZERO:
        raise StandardsInputError("waste_target_t_per_10k_m2", msg("pilot.input.at_least_zero"))
    if intensity is None:
        return (CheckStatus.UNKNOWN, msg("pilot.r10.no_intensity", target=s.show(target)))
    if intensity < ZERO:
        raise StandardsInputError("waste_intensity_t_per_10k_m2", msg("pilot.input.at_least_zero"))
    met = intensity <= target
    return (
        CheckStatus.PASS if met else CheckStatus.FAIL,
        msg("pilot.r10", intensity=s.show(intensity), op="≤" if met else ">", target=s.show(target)),
    )


def _r11(figures: PilotFigures) -> tuple[CheckStatus, Message]:
    share, previous = figures.green_material_share_pct, figures.previous_green_material_share_pct
    for field, value in (("green_material_share_pct", share), ("previous_green_material_share_pct", previous)):
        if value is not None and not ZERO <= value <= HUNDRED:
            raise StandardsInputError(field, msg("pilot.input.percentage"))
    if share is None:
        return (CheckStatus.UNKNOWN, msg("pilot.r11.unknown"))
    if share == ZERO:
        return (CheckStatus.FAIL, msg("pilot.r11.zero"))
    if previous is None:
        return (CheckStatus.PASS, msg("pilot.r11.first", share=s.show(share)))
    if share > previous or share == HUNDRED:
        return (CheckStatus.PASS, msg("pilot.r11.rising", share=s.show(share), previous=s.show(previous)))
    return (CheckStatus.FAIL, msg("pilot.r11.not_rising", share=s.show(share), previous=s.show(previous)))


def _r12(figures: PilotFigures, row: Any) -> tuple[CheckStatus, Message]:
    required = list(row["required_bim_stages"])
    if figures.bim_stages is None:
        return (CheckStatus.UNKNOWN, msg("pilot.r12.unknown"))
    unknown = sorted(figures.bim_stages - set(required))
    if unknown:
        raise StandardsInputError(
            "bim_stages", msg("pilot.input.bim_stages", unknown=str(unknown), allowed=", ".join(required))
        )
    missing = [stage for stage in required if stage not in figures.bim_stages]
    if missing:
        return (CheckStatus.FAIL, msg("pilot.r12.missing", stages=missing))
    return (CheckStatus.PASS, msg("pilot.r12.pass", stages=required))


def _r13(figures: PilotFigures) -> tuple[CheckStatus, Message]:
    reason = msg("pilot.r13", smart_site=figures.smart_site, equipment=figures.intelligent_equipment)
    values = (figures.smart_site, figures.intelligent_equipment)
    if False in values:
        return (CheckStatus.FAIL, reason)
    if None in values:
        return (CheckStatus.UNKNOWN, reason)
    return (CheckStatus.PASS, reason)


def _r14(figures: PilotFigures) -> tuple[CheckStatus, Message]:
    reason = msg("pilot.r14", epc=figures.epc, consulting=figures.whole_process_consulting)
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
            status, reason = _r8(figures.standardised_design)
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
            raise StandardsInputError("edition", msg("pilot.input.no_check", requirement=requirement))
        checks.append(RequirementCheck(requirement, row["title"], status, reason.text, reason))
    return tuple(checks)
