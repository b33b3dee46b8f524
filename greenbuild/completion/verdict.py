"""The completion verdict (绿色建造专项评估验收, R6, R20): achieved values against the baseline and R7–R14.

Pure Python: no Django, no other part of greenbuild except the standards engines. The scheme
(``scheme``) is the evaluation scheme's data as stored (``EvaluationScheme.criteria`` and
``pass_score``); :func:`evaluate` compares each criterion's achieved value with its baseline
target and with the pilot requirement it belongs to (``standards.pilot_checks.check_pilot``) and
returns one :class:`Outcome`.

A criterion is ``met``, ``missed``, ``missing`` (a value needed is not given) or
``not_applicable`` (an optional target the baseline does not set). The verdict:

* ``incomplete`` when any applicable criterion is missing (nothing can be concluded yet);
* ``not_met`` when a mandatory criterion is missed, or the weighted score is below the pass score;
* ``met`` otherwise. The score is the weight of the met criteria over the weight of the applicable
  ones, × 100, exact (Decimal), reported with one decimal rounded half-up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from greenbuild.standards.pilot_checks import CheckStatus, PilotFigures, check_pilot

MET = "met"
MISSED = "missed"
MISSING = "missing"
NOT_APPLICABLE = "not_applicable"

VERDICT_MET = "met"
VERDICT_NOT_MET = "not_met"
VERDICT_INCOMPLETE = "incomplete"

STAR_ORDER = ("none", "basic", "one_star", "two_star", "three_star")
NATIONAL_ASSEMBLY_MINIMUM_PCT = Decimal("50")  # GB/T 51129 §3.0.3
HUNDRED = Decimal(100)

#: the indicators a criterion may name (what :func:`evaluate` knows how to compare)
INDICATORS = (
    "star_level",
    "standardised_design",
    "assembly_rate",
    "waste_intensity",
    "green_material_share",
    "bim",
    "smart_site",
    "delivery_model",
    "carbon_intensity",
)


@dataclass(frozen=True)
class Achieved:
    """What the pilot achieved at completion; ``None``: not given."""

    star_level: str | None = None
    assembly_rates: dict[str, Decimal | None] = field(default_factory=dict)  # building name -> %
    waste_intensity: Decimal | None = None  # t/10,000 m²
    green_material_share: Decimal | None = None  # %
    carbon_intensity: Decimal | None = None  # kgCO₂e/m²
    standardised_design: bool | None = None
    bim_stages: frozenset[str] | None = None
    smart_site: bool | None = None
    intelligent_equipment: bool | None = None
    epc: bool | None = None
    whole_process_consulting: bool | None = None
    pipeline_separation: bool | None = None
    prefabricated_decoration: bool | None = None


@dataclass(frozen=True)
class Targets:
    """The baseline's targets (``lifecycle.Baseline.targets``); ``None``: not set."""

    star_level: str | None = None
    assembly_rates: dict[str, Decimal | None] = field(default_factory=dict)  # building name -> %
    waste_intensity: Decimal | None = None
    green_material_share: Decimal | None = None
    carbon_intensity: Decimal | None = None


@dataclass(frozen=True)
class Row:
    code: str
    requirement: str
    indicator: str
    weight: Decimal
    mandatory: bool
    status: str  # met / missed / missing / not_applicable
    achieved: str  # as shown ("—" when not given)
    target: str  # the baseline target as shown
    requirement_status: str  # the R-check: pass / fail / unknown / "" (none)
    note: str = ""  # English, short: what decided it

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "requirement": self.requirement,
            "indicator": self.indicator,
            "weight": str(self.weight),
            "mandatory": self.mandatory,
            "status": self.status,
            "achieved": self.achieved,
            "target": self.target,
            "requirement_status": self.requirement_status,
            "note": self.note,
        }


@dataclass(frozen=True)
class Outcome:
    verdict: str
    score: Decimal | None  # None when incomplete
    rows: tuple[Row, ...]

    @property
    def missed(self) -> list[str]:
        return [row.code for row in self.rows if row.status == MISSED]

    @property
    def missing(self) -> list[str]:
        return [row.code for row in self.rows if row.status == MISSING]

    def as_json(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "score": None if self.score is None else str(self.score),
            "rows": [row.as_json() for row in self.rows],
        }


def show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _star_at_least(level: str, minimum: str) -> bool:
    return STAR_ORDER.index(level) >= STAR_ORDER.index(minimum)


def _combine(requirement: str, baseline_ok: bool | None, checks: dict[str, str]) -> str:
    """A criterion is met when its baseline comparison holds (or none applies) and its R-check passes."""
    r = checks.get(requirement, "")
    if baseline_ok is False or r == CheckStatus.FAIL:
        return MISSED
    if baseline_ok is None and r in ("", CheckStatus.UNKNOWN):
        return MISSING
    if r == CheckStatus.UNKNOWN:
        return MISSING
    return MET


def _row(criterion: dict[str, Any], achieved: Achieved, targets: Targets, checks: dict[str, str]) -> Row:
    indicator = criterion["indicator"]
    requirement = criterion.get("requirement", "")
    weight = Decimal(str(criterion.get("weight", "0")))
    mandatory = bool(criterion.get("mandatory", False))
    r_status = str(checks.get(requirement, ""))

    def row(status: str, shown: str, target: str, note: str = "") -> Row:
        return Row(criterion["code"], requirement, indicator, weight, mandatory, status, shown, target, r_status, note)

    if indicator == "star_level":
        level, wanted_level = achieved.star_level, targets.star_level
        if level is None:
            return row(MISSING, "—", show(wanted_level), "no star level from the completion scorecard")
        ok = None if not wanted_level else _star_at_least(level, wanted_level)
        return row(_combine(requirement, ok, checks), level, show(wanted_level))
    if indicator == "assembly_rate":
        rates = achieved.assembly_rates
        if not rates:
            return row(MISSING, "—", "—", "no building assessed")
        shown = "; ".join("{} {}%".format(name, show(rate)) for name, rate in sorted(rates.items()))
        wanted = "; ".join(
            "{} {}%".format(name, show(rate))
            for name, rate in sorted(targets.assembly_rates.items())
            if rate is not None
        )
        if any(rate is None for rate in rates.values()):
            return row(MISSING, shown, wanted or "—", "a building is not assessed")
        below = []
        for name, rate in rates.items():
            floor = targets.assembly_rates.get(name)
            if rate is not None and (rate < NATIONAL_ASSEMBLY_MINIMUM_PCT or (floor is not None and rate < floor)):
                below.append(name)
        status = MISSED if below else _combine(requirement, True, checks)
        return row(status, shown, wanted or "—", "below: " + ", ".join(sorted(below)) if below else "")
    if indicator == "waste_intensity":
        value, target = achieved.waste_intensity, targets.waste_intensity
        if value is None:
            return row(MISSING, "—", show(target), "no waste intensity")
        ok = None if target is None else value <= target
        return row(_combine(requirement, ok, checks), show(value), show(target))
    if indicator == "green_material_share":
        value, target = achieved.green_material_share, targets.green_material_share
        if value is None:
            return row(MISSING, "—", show(target), "no green-material share")
        ok = None if target is None else value >= target
        return row(_combine(requirement, ok, checks), show(value), show(target))
    if indicator == "carbon_intensity":
        value, target = achieved.carbon_intensity, targets.carbon_intensity
        if target is None:
            return row(NOT_APPLICABLE, show(value), "—", "no carbon target in the baseline")
        if value is None:
            return row(MISSING, "—", show(target), "no carbon intensity")
        return row(MET if value <= target else MISSED, show(value), show(target))
    if indicator in ("standardised_design", "bim", "smart_site", "delivery_model"):
        shown = {
            "standardised_design": show(achieved.standardised_design),
            "bim": ", ".join(sorted(achieved.bim_stages)) if achieved.bim_stages else "—",
            "smart_site": "{} / {}".format(show(achieved.smart_site), show(achieved.intelligent_equipment)),
            "delivery_model": "EPC {} / consulting {}".format(
                show(achieved.epc), show(achieved.whole_process_consulting)
            ),
        }[indicator]
        return row(_combine(requirement, None, checks), shown, "—")
    raise ValueError("unknown indicator {!r}".format(indicator))


def requirement_statuses(achieved: Achieved) -> dict[str, str]:
    """R7–R14 of the achieved figures, by the pilot engine (``standards.pilot_checks``)."""
    figures = PilotFigures(
        star_level=achieved.star_level,
        standardised_design=achieved.standardised_design,
        is_prefabricated=(
            None
            if not achieved.assembly_rates or any(r is None for r in achieved.assembly_rates.values())
            else all(r >= NATIONAL_ASSEMBLY_MINIMUM_PCT for r in achieved.assembly_rates.values() if r is not None)
        ),
        pipeline_separation=achieved.pipeline_separation,
        prefabricated_decoration=achieved.prefabricated_decoration,
        waste_target_t_per_10k_m2=None,  # R10's target is the baseline's (compared in the row)
        waste_intensity_t_per_10k_m2=achieved.waste_intensity,
        green_material_share_pct=achieved.green_material_share,
        bim_stages=achieved.bim_stages,
        smart_site=achieved.smart_site,
        intelligent_equipment=achieved.intelligent_equipment,
        epc=achieved.epc,
        whole_process_consulting=achieved.whole_process_consulting,
    )
    statuses = {check.requirement: str(check.status) for check in check_pilot(figures)}
    # R10 reads the baseline target in the row; the engine's "no target" is not a verdict here
    statuses.pop("R10", None)
    return statuses


def evaluate(scheme: dict[str, Any], achieved: Achieved, targets: Targets) -> Outcome:
    """Each criterion of ``scheme`` (``{"criteria": [...], "pass_score": "80"}``) for the pilot."""
    checks = requirement_statuses(achieved)
    rows = tuple(_row(criterion, achieved, targets, checks) for criterion in scheme.get("criteria", []))
    applicable = [row for row in rows if row.status != NOT_APPLICABLE]
    if any(row.status == MISSING for row in applicable):
        return Outcome(VERDICT_INCOMPLETE, None, rows)
    total = sum((row.weight for row in applicable), Decimal(0))
    met = sum((row.weight for row in applicable if row.status == MET), Decimal(0))
    score = (met / total * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if total else Decimal("0.0")
    exact = met / total * HUNDRED if total else Decimal(0)
    pass_score = Decimal(str(scheme.get("pass_score", "100")))
    if any(row.mandatory and row.status == MISSED for row in applicable) or exact < pass_score:
        return Outcome(VERDICT_NOT_MET, score, rows)
    return Outcome(VERDICT_MET, score, rows)


#: the problems ``validate_criteria`` names (English; the caller passes ``translate`` for the UI,
#: and ``forms.CRITERIA_MESSAGES`` marks them for the catalogue)
CRITERIA_NOT_A_LIST = "The criteria must be a non-empty list."
CRITERION_NOT_AN_OBJECT = "Criterion {n} is not an object."
CRITERION_WITHOUT_CODE = "Criterion {n} has no code."
CRITERION_REPEATS_CODE = "Criterion {n} repeats the code {code}."
CRITERION_UNKNOWN_INDICATOR = "Criterion {n} names an unknown indicator."
CRITERION_BAD_WEIGHT = "Criterion {n} has no valid weight (0–1000)."


def validate_criteria(criteria: Any, translate: Callable[[str], str] = str) -> list[str]:
    """Why ``criteria`` is not a usable scheme (empty: it is); ``translate`` (e.g. ``gettext``)
    puts each message into the reader's language."""
    problems: list[str] = []
    if not isinstance(criteria, list) or not criteria:
        return [translate(CRITERIA_NOT_A_LIST)]
    codes = set()
    for index, item in enumerate(criteria):
        n = index + 1
        if not isinstance(item, dict):
            problems.append(translate(CRITERION_NOT_AN_OBJECT).format(n=n))
            continue
        code = item.get("code")
        if not code or not isinstance(code, str):
            problems.append(translate(CRITERION_WITHOUT_CODE).format(n=n))
        elif code in codes:
            problems.append(translate(CRITERION_REPEATS_CODE).format(n=n, code=code[:40]))
        else:
            codes.add(code)
        indicator = item.get("indicator")
        if not isinstance(indicator, str) or indicator not in INDICATORS:
            problems.append(translate(CRITERION_UNKNOWN_INDICATOR).format(n=n))
        try:
            weight = Decimal(str(item.get("weight")))
            if not weight.is_finite() or weight < 0 or weight > 1000:
                raise ValueError
        except (ArithmeticError, ValueError):
            problems.append(translate(CRITERION_BAD_WEIGHT).format(n=n))
    return problems
