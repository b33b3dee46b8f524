"""The plan's self-check before submission: its targets against R7–R14 (standards engines).

The pilot requirement check (``greenbuild.standards.pilot_checks``) reads the plan's targets as
the project's figures. Two readings are the plan's own, because a plan sets targets rather than
reporting results:

* R9: every single building's target assembly rate is at least the GB/T 51129 threshold (50 %);
* R10: the waste target is set and no higher than the national target for the project
  (200 t/10,000 m² for prefabricated buildings, 300 otherwise, weighted by floor area; standards.md
  D11); whether it is met is checked on site.

Every row must pass (or not apply) before the plan can be submitted; missing answers are listed
as gaps. R7 (green-building star level) and R9 (prefabricated buildings) apply to buildings only: on
a municipal project (no single buildings) they read "not applicable (municipal infrastructure)".

:func:`check_rows` is the same check on any targets and measures: the baseline and a proposed
change of it are checked with it (``lifecycle.selectors.change_effect``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext, gettext_lazy, pgettext

from greenbuild.plans.data import as_text, decimal_or_none, normalised
from greenbuild.scoring.messages import render, requirement_title
from greenbuild.standards.pilot_checks import CheckStatus, PilotFigures, check_pilot
from greenbuild.standards.types import StandardsInputError

PREFABRICATED_THRESHOLD_PCT = Decimal("50")  # GB/T 51129 §3.0.3: assembly rate ≥ 50 %
WASTE_TARGET_PREFABRICATED = Decimal("200")
WASTE_TARGET_OTHER = Decimal("300")

#: the plan's own reasons (rendered when shown, in the reader's language)
PLAN_MESSAGES = {
    "plan.r9.pass": gettext_lazy("every single building targets an assembly rate of at least %(threshold)s %%"),
    "plan.r9.fail": gettext_lazy("assembly rate target below %(threshold)s %%: %(buildings)s"),
    "plan.r9.missing": gettext_lazy("assembly rate target missing: %(buildings)s"),
    "plan.r9.no_buildings": gettext_lazy("the project has no single buildings yet"),
    "plan.r10.pass": gettext_lazy(
        "target %(target)s t/10,000 m², within the national target of %(cap)s t/10,000 m²; it is checked on site"
    ),
    "plan.r10.fail": gettext_lazy("target %(target)s t/10,000 m² is above the national target of %(cap)s t/10,000 m²"),
    "plan.not_applicable.municipal": gettext_lazy("not applicable (municipal infrastructure)"),
}

#: a requirement that does not apply to the project (e.g. R7 and R9 on a municipal project)
NOT_APPLICABLE = "not_applicable"
#: the requirements that apply to buildings only
BUILDING_ONLY = frozenset({"R7", "R9"})


@dataclass(frozen=True)
class CheckRow:
    requirement: str
    status: str  # pass / fail / unknown
    message: dict[str, Any]  # {"code", "params"}: an engine message or a plan message

    @property
    def title(self) -> str:
        return requirement_title(self.requirement, self.requirement)

    @property
    def reason(self) -> str:
        code, params = self.message.get("code", ""), self.message.get("params", {})
        if code in PLAN_MESSAGES:
            return str(str(PLAN_MESSAGES[code]) % params)
        return render(self.message, self.message.get("text", ""))

    @property
    def passed(self) -> bool:
        """Passes, or does not apply to the project."""
        return self.status in (CheckStatus.PASS, NOT_APPLICABLE)

    @property
    def failed(self) -> bool:
        return self.status == CheckStatus.FAIL

    def as_json(self) -> dict[str, Any]:
        return {"requirement": self.requirement, "status": self.status, "message": self.message}


@dataclass
class SelfCheck:
    gaps: list[str] = field(default_factory=list)
    rows: list[CheckRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.gaps and all(row.passed for row in self.rows)

    def blockers(self) -> list[str]:
        failing = [
            gettext("{requirement} {title}: {reason}").format(
                requirement=row.requirement, title=row.title, reason=row.reason
            )
            for row in self.rows
            if not row.passed
        ]
        return [*self.gaps, *failing]

    def as_json(self) -> list[dict[str, Any]]:
        return [row.as_json() for row in self.rows]


def rows_from_json(rows: list[dict[str, Any]]) -> list[CheckRow]:
    return [CheckRow(r["requirement"], r["status"], r.get("message") or {}) for r in rows or []]


def _msg(code: str, **params: Any) -> dict[str, Any]:
    return {"code": code, "params": params}


def _show(value: Decimal) -> str:
    return as_text(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)) or "0"


def plan_self_check(project: Any, data: dict[str, Any], guideline: Any) -> SelfCheck:
    """Gaps (what is not written yet) and R7–R14 for the plan ``data`` of ``project``."""
    from greenbuild.guidelines.selectors import measure_items

    data = normalised(data)
    targets = data["targets"]
    check = SelfCheck()
    if project.category.is_building and not targets["star_level"]:
        check.gaps.append(gettext("Choose the target star level."))
    if decimal_or_none(targets["waste_t_per_10k_m2"]) is None:
        check.gaps.append(gettext("Give the construction-waste intensity target."))
    if decimal_or_none(targets["green_material_pct"]) is None:
        check.gaps.append(gettext("Give the green-material share target."))
    for item in measure_items(guideline).filter(mandatory=True):
        if not str(data["measures"].get(item.code) or "").strip():
            check.gaps.append(gettext("Write the measure for {code} {text}.").format(code=item.code, text=item.text))
    if not data["organisation_mode"]:
        check.gaps.append(gettext("Choose the organisation mode."))

    try:
        check.rows = check_rows(project, data)
    except StandardsInputError as error:
        check.gaps.append(str(error))
    return check


def check_rows(project: Any, data: dict[str, Any]) -> list[CheckRow]:
    """R7–R14 for the plan-shaped ``data`` (targets, measures, BIM, smart site, organisation mode)
    of ``project``, computed by the pilot requirement engine; raises ``StandardsInputError``."""
    data = normalised(data)
    targets = data["targets"]
    is_building = bool(project.category.is_building)
    buildings = list(project.buildings.order_by("pk")) if is_building else []
    rates = {str(k): decimal_or_none(v) for k, v in (targets["assembly_rate_pct_by_building"] or {}).items()}
    mode = data["organisation_mode"] or None
    figures = PilotFigures(
        star_level=(targets["star_level"] or None) if is_building else None,
        standardised_design=bool(str(data["measures"].get("D-01") or "").strip()),
        waste_target_t_per_10k_m2=decimal_or_none(targets["waste_t_per_10k_m2"]),
        green_material_share_pct=decimal_or_none(targets["green_material_pct"]),
        bim_stages=frozenset(
            s for s in data["bim_plan"].get("stages") or [] if s in ("design", "production", "construction")
        ),
        smart_site=bool(str(data["smart_site_plan"].get("smart_site") or "").strip()),
        intelligent_equipment=bool(str(data["smart_site_plan"].get("equipment") or "").strip()),
        epc=(mode in ("epc", "epc-consulting")) if mode else None,
        whole_process_consulting=(mode in ("whole-process-consulting", "epc-consulting")) if mode else None,
    )
    rows: list[CheckRow] = []
    for engine_row in check_pilot(figures):
        requirement = engine_row.requirement
        if requirement in BUILDING_ONLY and not is_building:
            rows.append(CheckRow(requirement, NOT_APPLICABLE, _msg("plan.not_applicable.municipal")))
        elif requirement == "R9":
            rows.append(_r9(buildings, rates, project))
        elif requirement == "R10":
            rows.append(_r10(buildings, rates, figures.waste_target_t_per_10k_m2, engine_row))
        else:
            message = engine_row.message
            as_dict = (
                {"code": message.code, "params": dict(message.params), "text": engine_row.reason} if message else {}
            )
            rows.append(CheckRow(requirement, str(engine_row.status), as_dict))
    return rows


def _r9(buildings: list[Any], rates: dict[str, Decimal | None], project: Any) -> CheckRow:
    if not buildings:
        return CheckRow("R9", CheckStatus.UNKNOWN, _msg("plan.r9.no_buildings"))
    # a known failure is never hidden by a building whose rate is missing
    low = [
        b.name for b in buildings if (rate := rates.get(str(b.pk))) is not None and rate < PREFABRICATED_THRESHOLD_PCT
    ]
    if low:
        return CheckRow(
            "R9",
            CheckStatus.FAIL,
            _msg("plan.r9.fail", threshold="50", buildings=pgettext("list separator", ", ").join(low)),
        )
    missing = [b.name for b in buildings if rates.get(str(b.pk)) is None]
    if missing:
        return CheckRow(
            "R9", CheckStatus.UNKNOWN, _msg("plan.r9.missing", buildings=pgettext("list separator", ", ").join(missing))
        )
    return CheckRow("R9", CheckStatus.PASS, _msg("plan.r9.pass", threshold="50"))


def national_waste_target(buildings: list[Any], rates: dict[str, Decimal | None]) -> Decimal:
    """200 for prefabricated buildings and 300 otherwise, weighted by floor area (D11)."""
    total = sum((b.floor_area_m2 for b in buildings), Decimal(0))
    if not total:
        return WASTE_TARGET_OTHER
    weighted = sum(
        (
            b.floor_area_m2
            * (
                WASTE_TARGET_PREFABRICATED
                if (rates.get(str(b.pk)) or Decimal(0)) >= PREFABRICATED_THRESHOLD_PCT
                else WASTE_TARGET_OTHER
            )
            for b in buildings
        ),
        Decimal(0),
    )
    return weighted / total


def _r10(buildings: list[Any], rates: dict[str, Decimal | None], target: Decimal | None, engine_row: Any) -> CheckRow:
    if target is None:
        message = engine_row.message
        return CheckRow("R10", CheckStatus.UNKNOWN, {"code": message.code, "params": dict(message.params)})
    cap = national_waste_target(buildings, rates)
    params = {"target": _show(target), "cap": _show(cap)}
    if target > cap:
        return CheckRow("R10", CheckStatus.FAIL, _msg("plan.r10.fail", **params))
    return CheckRow("R10", CheckStatus.PASS, _msg("plan.r10.pass", **params))
