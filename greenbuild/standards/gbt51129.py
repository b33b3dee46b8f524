"""GB/T 51129-2017 装配式建筑评价标准: assembly rate (装配率) of one single building.

Input contract (JSON object; the ``*_pct`` keys are fixed by issue 3)::

    {"edition": "GB/T 51129-2017",            # optional, this is the default
     "building": "1#楼",                       # optional label
     "structure": "concrete",                  # concrete | steel | timber
     "vertical_members_pct": 50, "horizontal_members_pct": 75,
     "exterior_walls_nonmasonry_pct": 85, "exterior_walls_integrated_pct": 60,
     "partitions_nonmasonry_pct": 60, "partitions_integrated_pct": 40,
     "full_decoration": true,
     "dry_floors_pct": 75, "integrated_kitchen_pct": 80, "integrated_bathroom_pct": 70,
     "pipeline_separation_pct": 55,
     "quantities": {"vertical_members": {"part": 120, "total": 300}},
     "absent_items": ["integrated_kitchen"]}

Each ratio item is given either as ``<item>_pct`` (0–100) or as ``quantities.<item>`` with the
prefabricated ``part`` and the ``total`` in the unit the rule table names for the item (m³ of
concrete for vertical members, m² for areas, m for pipe lengths); ``part`` larger than ``total`` is
refused. Every item the building has must be given (a ratio of 0 is a valid answer); items it does
not have are named in ``absent_items`` (decision D10 says which may be). For a steel or timber
structure an omitted ``vertical_members_pct`` means all vertical members are steel or timber (D9).

Output (:func:`result_to_dict`): ``assembly_rate_pct``, ``q1``–``q4``, ``is_prefabricated``,
``grade`` (``none``/``A``/``AA``/``AAA``), ``conditions``, ``findings`` and more.

Every number of the standard (ranges, points, minimums, grade bands, rounding) comes from the rule
table ``data/gbt51129_2017.json``; this module holds the procedure only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from . import _support as s
from .numbers import HUNDRED, ZERO, to_decimal
from .rulesets import bundled_ruleset
from .types import Confidence, Finding, RuleSet, StandardsInputError

__all__ = [
    "DEFAULT_EDITION",
    "ENGINE",
    "ENGINE_VERSION",
    "Condition",
    "Gbt51129Inputs",
    "Gbt51129Result",
    "Grade",
    "ItemRatio",
    "ItemScore",
    "Structure",
    "evaluate",
    "parse_inputs",
    "render_table",
    "result_to_dict",
]

ENGINE = "gbt51129"
ENGINE_VERSION = "1.0.0"
DEFAULT_EDITION = "GB/T 51129-2017"
STANDARD = "GB/T 51129"

#: The ratio items of the input contract (issue 3), in table order. Their rules live in the data.
RATIO_ITEMS: tuple[str, ...] = (
    "vertical_members",
    "horizontal_members",
    "exterior_walls_nonmasonry",
    "exterior_walls_integrated",
    "partitions_nonmasonry",
    "partitions_integrated",
    "dry_floors",
    "integrated_kitchen",
    "integrated_bathroom",
    "pipeline_separation",
)
FULL_DECORATION = "full_decoration"
_TOP_LEVEL_KEYS = frozenset(
    {"edition", "building", "structure", FULL_DECORATION, "quantities", "absent_items"}
    | {item + "_pct" for item in RATIO_ITEMS}
)


class Structure(StrEnum):
    CONCRETE = "concrete"
    STEEL = "steel"
    TIMBER = "timber"


class Grade(StrEnum):
    NONE = "none"
    A = "A"
    AA = "AA"
    AAA = "AAA"


class RatioSource(StrEnum):
    PERCENTAGE = "percentage"
    QUANTITIES = "quantities"
    STRUCTURE_DEFAULT = "structure_default"


@dataclass(frozen=True)
class ItemRatio:
    """The ratio of one item in %, exact, and where it came from."""

    item: str
    ratio_pct: Fraction
    source: RatioSource
    part: Decimal | None = None
    total: Decimal | None = None


@dataclass(frozen=True)
class Gbt51129Inputs:
    structure: Structure
    ratios: tuple[ItemRatio, ...]
    full_decoration: bool
    absent_items: frozenset[str]
    edition: str = DEFAULT_EDITION
    building: str | None = None

    def ratio(self, item: str) -> ItemRatio | None:
        for ratio in self.ratios:
            if ratio.item == item:
                return ratio
        return None


@dataclass(frozen=True)
class ItemScore:
    item: str
    group: str
    points: Decimal
    maximum: Decimal
    absent: bool
    ratio: ItemRatio | None


@dataclass(frozen=True)
class Condition:
    """One of the four conditions for counting as a prefabricated building (clause 3.0.3)."""

    key: str
    finding: Finding


@dataclass(frozen=True)
class Gbt51129Result:
    edition: str
    engine_version: str
    ruleset_version: str  # version of the rule table it was computed with
    structure: Structure
    building: str | None
    items: tuple[ItemScore, ...]
    q1: Decimal
    q2: Decimal
    q3: Decimal
    q4: Decimal
    assembly_rate_exact: Fraction  # unrounded P in %
    assembly_rate_pct: Decimal  # P rounded half-up to the reported places (D8)
    assembly_rate_banded_pct: Decimal  # P rounded to whole % for the 50 % condition and grades (D8)
    conditions: tuple[Condition, ...]
    is_prefabricated: bool
    grade_precondition_met: bool
    grade: Grade
    findings: tuple[Finding, ...]


# --- parsing ------------------------------------------------------------------------------------


def _parse_quantities(value: object) -> dict[str, ItemRatio]:
    quantities = s.require_mapping(value, "quantities")
    s.reject_unknown_keys(quantities, RATIO_ITEMS, "quantities.")
    ratios: dict[str, ItemRatio] = {}
    for item, entry in quantities.items():
        field = "quantities." + item
        entry = s.require_mapping(entry, field)
        s.reject_unknown_keys(entry, ("part", "total"), field + ".")
        part = s.require_number(entry, "part", field + ".part", minimum=ZERO)
        total = s.require_number(entry, "total", field + ".total", positive=True)
        if part > total:
            raise StandardsInputError(
                field + ".part",
                "prefabricated quantity {} is larger than the total {}".format(part, total),
            )
        ratio = s.exact(part) / s.exact(total) * 100
        ratios[item] = ItemRatio(item, ratio, RatioSource.QUANTITIES, part, total)
    return ratios


def parse_inputs(data: Mapping[str, Any]) -> Gbt51129Inputs:
    """Check the shape of one building's input; raise :class:`StandardsInputError` naming the field."""
    data = s.require_mapping(data, "input")
    s.reject_unknown_keys(data, _TOP_LEVEL_KEYS)
    edition = s.require_string(data, "edition", "edition") if "edition" in data else DEFAULT_EDITION
    building = s.require_string(data, "building", "building") if data.get("building") else None
    structure_text = data.get("structure")
    try:
        structure = Structure(str(structure_text))
    except ValueError:
        raise StandardsInputError(
            "structure", "must be one of {}".format(", ".join(item.value for item in Structure))
        ) from None

    ratios = _parse_quantities(data["quantities"]) if data.get("quantities") is not None else {}
    for item in RATIO_ITEMS:
        key = item + "_pct"
        if data.get(key) is None:
            continue
        if item in ratios:
            raise StandardsInputError(key, "give either {} or quantities.{}, not both".format(key, item))
        pct = s.require_number(data, key, key, minimum=ZERO, maximum=HUNDRED)
        ratios[item] = ItemRatio(item, s.exact(pct), RatioSource.PERCENTAGE)

    absent_raw = s.require_sequence(data.get("absent_items", []), "absent_items")
    absent: set[str] = set()
    for name in absent_raw:
        if not isinstance(name, str):
            raise StandardsInputError("absent_items", "must list item names as strings")
        if name in absent:
            raise StandardsInputError("absent_items", "{} is named twice".format(name))
        if name not in RATIO_ITEMS and name != FULL_DECORATION:
            raise StandardsInputError("absent_items", "unknown item {!r}".format(name))
        if name in ratios:
            field = (name + "_pct") if ratios[name].source is RatioSource.PERCENTAGE else "quantities." + name
            raise StandardsInputError(field, "a ratio is given for {}, which is named absent".format(name))
        absent.add(name)

    return Gbt51129Inputs(
        structure=structure,
        ratios=tuple(ratios[item] for item in RATIO_ITEMS if item in ratios),
        full_decoration=s.require_bool(data, FULL_DECORATION, FULL_DECORATION),
        absent_items=frozenset(absent),
        edition=edition,
        building=building,
    )


# --- evaluation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    """One row of table 4.0.1 as read from the rule table."""

    key: str
    group: str
    clause: str
    title: str
    kind: str
    maximum: Decimal
    may_be_absent: bool
    confidence: Confidence
    row: Mapping[str, Any]


def _items(ruleset: RuleSet) -> list[_Item]:
    rows = s.rule_entry(ruleset, "items")
    items = []
    for row in rows:
        where = "items." + str(row.get("key"))
        items.append(
            _Item(
                key=row["key"],
                group=row["group"],
                clause=row["clause"],
                title=row["title"],
                kind=row["kind"],
                maximum=s.rule_number(row, "maximum_points", where),
                may_be_absent=bool(row.get("may_be_absent", False)),
                confidence=s.confidence_of(row),
                row=row,
            )
        )
    keys = {item.key for item in items}
    expected = set(RATIO_ITEMS) | {FULL_DECORATION}
    if keys != expected:
        raise StandardsInputError(
            "edition", "rule table {!r} must define exactly the items {}".format(ruleset.edition, sorted(expected))
        )
    return items


def _ratio_for(item: _Item, inputs: Gbt51129Inputs, ruleset: RuleSet) -> ItemRatio:
    ratio = inputs.ratio(item.key)
    if ratio is not None:
        return ratio
    structure_row = s.rule_entry(ruleset, "structures." + inputs.structure.value)
    default = structure_row.get(item.key + "_default_pct")
    if default is not None:
        return ItemRatio(item.key, s.exact(to_decimal(default, item.key)), RatioSource.STRUCTURE_DEFAULT)
    if not item.may_be_absent:
        message = "is required: a {} structure must give this main-structure ratio".format(inputs.structure.value)
    else:
        message = "is required: give the ratio (0 is allowed) or name {} in absent_items".format(item.key)
    raise StandardsInputError(item.key + "_pct", message)


def _describe_ratio(ratio: ItemRatio, item: _Item) -> str:
    if ratio.source is RatioSource.QUANTITIES:
        unit = item.row.get("ratio", {}).get("unit", "")
        return "ratio {} / {} {} = {} %".format(
            s.show(ratio.part or ZERO), s.show(ratio.total or ZERO), unit, s.show(ratio.ratio_pct)
        )
    if ratio.source is RatioSource.STRUCTURE_DEFAULT:
        return "ratio {} % (all vertical members steel or timber, D9)".format(s.show(ratio.ratio_pct))
    return "ratio {} %".format(s.show(ratio.ratio_pct))


def _score_item(item: _Item, ratio: ItemRatio, places: int) -> tuple[Decimal, str]:
    """Points of one ratio item (rounded, D7) and the reason, showing the arithmetic."""
    where = "items." + item.key
    q = ratio.ratio_pct
    described = _describe_ratio(ratio, item)
    if item.kind == "threshold":
        threshold = s.rule_number(item.row, "threshold_pct", where)
        if q >= s.exact(threshold):
            return item.maximum, "{} ≥ {} %: {} points".format(described, s.show(threshold), s.show(item.maximum))
        return ZERO, "{} < {} %: 0 points".format(described, s.show(threshold))
    if item.kind != "interpolated":
        raise StandardsInputError("edition", "rule table row {} has unknown kind {!r}".format(where, item.kind))
    lower = s.rule_number(item.row, "lower_pct", where)
    upper = s.rule_number(item.row, "upper_pct", where)
    low_points = s.rule_number(item.row, "minimum_points", where)
    if q < s.exact(lower):
        return ZERO, "{} < {} %: 0 points".format(described, s.show(lower))
    if q >= s.exact(upper):
        return item.maximum, "{} ≥ {} %: {} points".format(described, s.show(upper), s.show(item.maximum))
    exact_points = s.exact(low_points) + (q - s.exact(lower)) * s.exact(item.maximum - low_points) / s.exact(
        upper - lower
    )
    points = s.round_fraction(exact_points, places)
    result = (
        "= {}".format(s.show(points))
        if exact_points == s.exact(points)
        else "= {} → {} (half-up, D7)".format(s.show(exact_points), s.show(points))
    )
    reason = "{} in {}–{} %: {} + ({} − {}) / ({} − {}) × ({} − {}) {}".format(
        described,
        s.show(lower),
        s.show(upper),
        s.show(low_points),
        s.show(q),
        s.show(lower),
        s.show(upper),
        s.show(lower),
        s.show(item.maximum),
        s.show(low_points),
        result,
    )
    return points, reason


def _check_absences(inputs: Gbt51129Inputs, items: Sequence[_Item]) -> None:
    by_key = {item.key: item for item in items}
    for name in sorted(inputs.absent_items):
        if not by_key[name].may_be_absent:
            raise StandardsInputError(
                "absent_items",
                "{} ({}) cannot be absent: only envelope, partition, fit-out and services items may be (D10)".format(
                    name, by_key[name].title
                ),
            )


def evaluate(inputs: Gbt51129Inputs, ruleset: RuleSet | None = None) -> Gbt51129Result:
    """Score one building: item points, Q1–Q4, P, the four conditions and the grade."""
    ruleset = s.require_ruleset(ruleset or bundled_ruleset(inputs.edition), STANDARD)
    items = _items(ruleset)
    _check_absences(inputs, items)
    rounding = s.rule_entry(ruleset, "rounding")
    item_places = int(rounding["item_points_places"])
    rate_places = int(rounding["assembly_rate_places"])
    band_places = int(rounding["banding_places"])
    groups = s.rule_entry(ruleset, "groups")

    findings: list[Finding] = []
    scores: list[ItemScore] = []
    for item in items:
        if item.key in inputs.absent_items:
            scores.append(ItemScore(item.key, item.group, ZERO, item.maximum, True, None))
            findings.append(
                Finding(
                    item.clause,
                    item.title,
                    "absent from this building: its {} points count in Q4 (D10)".format(s.show(item.maximum)),
                    ZERO,
                    item.maximum,
                    confidence=item.confidence,
                )
            )
            continue
        if item.kind == "boolean":
            points = item.maximum if inputs.full_decoration else ZERO
            reason = "full decoration {}: {} points".format(
                "provided" if inputs.full_decoration else "not provided", s.show(points)
            )
            scores.append(ItemScore(item.key, item.group, points, item.maximum, False, None))
            findings.append(Finding(item.clause, item.title, reason, points, item.maximum, confidence=item.confidence))
            continue
        ratio = _ratio_for(item, inputs, ruleset)
        points, reason = _score_item(item, ratio, item_places)
        scores.append(ItemScore(item.key, item.group, points, item.maximum, False, ratio))
        findings.append(Finding(item.clause, item.title, reason, points, item.maximum, confidence=item.confidence))

    q: dict[str, Decimal] = {}
    for group in ("q1", "q2", "q3"):
        q[group] = sum((score.points for score in scores if score.group == group and not score.absent), ZERO)
        maximum = s.rule_number(groups[group], "maximum", "groups." + group)
        findings.append(
            Finding(
                "4.0.1 " + group.upper(),
                groups[group]["title"],
                "sum of the rounded item points (D7)",
                q[group],
                maximum,
                confidence=s.confidence_of(groups[group]),
            )
        )
    q4 = sum((score.maximum for score in scores if score.absent), ZERO)
    absent_names = ", ".join(score.item for score in scores if score.absent) or "none"
    findings.append(
        Finding(
            "4.0.1 Q4",
            groups["q4"]["title"],
            "points of the absent items: {}".format(absent_names),
            q4,
            confidence=s.confidence_of(groups["q4"]),
        )
    )

    formula = s.rule_entry(ruleset, "formula")
    total_points = s.rule_number(formula, "total_points", "formula")
    denominator = s.exact(total_points - q4)
    if denominator <= 0:
        raise StandardsInputError("absent_items", "too many items named absent: 100 − Q4 must stay above 0")
    rate_exact = s.exact(q["q1"] + q["q2"] + q["q3"]) / denominator * 100
    rate = s.round_fraction(rate_exact, rate_places)
    basis = rounding.get("banding_basis", "reported")
    banded = s.round_fraction(s.exact(rate) if basis == "reported" else rate_exact, band_places)
    findings.append(
        Finding(
            formula["clause"] + " P",
            formula["title"],
            "P = ({} + {} + {}) / ({} − {}) × 100 = {} → {} % (half-up); {} % for the 50 % condition and "
            "the grade bands (D8)".format(
                s.show(q["q1"]),
                s.show(q["q2"]),
                s.show(q["q3"]),
                s.show(total_points),
                s.show(q4),
                s.show(rate_exact),
                s.show(rate),
                s.show(banded),
            ),
            rate,
            confidence=s.confidence_of(formula),
        )
    )

    conditions = tuple(_condition(row, q, inputs, banded) for row in s.rule_entry(ruleset, "prefabricated_conditions"))
    findings.extend(condition.finding for condition in conditions)
    is_prefabricated = all(condition.finding.passed for condition in conditions)

    precondition = s.rule_entry(ruleset, "grade_precondition")
    pre_item = precondition["item"]
    pre_minimum = s.rule_number(precondition, "minimum_pct", "grade_precondition")
    pre_ratio = next(score.ratio for score in scores if score.item == pre_item)
    precondition_met = pre_ratio is not None and pre_ratio.ratio_pct >= s.exact(pre_minimum)
    findings.append(
        Finding(
            precondition["clause"],
            precondition["title"],
            "{} ratio {} % {} {} %".format(
                pre_item,
                s.show(pre_ratio.ratio_pct) if pre_ratio else "absent",
                "≥" if precondition_met else "<",
                s.show(pre_minimum),
            ),
            passed=precondition_met,
            confidence=s.confidence_of(precondition),
        )
    )

    grade, grade_finding = _grade(ruleset, is_prefabricated, precondition_met, banded)
    findings.append(grade_finding)

    return Gbt51129Result(
        edition=ruleset.edition,
        engine_version=ENGINE_VERSION,
        ruleset_version=ruleset.version,
        structure=inputs.structure,
        building=inputs.building,
        items=tuple(scores),
        q1=q["q1"],
        q2=q["q2"],
        q3=q["q3"],
        q4=q4,
        assembly_rate_exact=rate_exact,
        assembly_rate_pct=rate,
        assembly_rate_banded_pct=banded,
        conditions=conditions,
        is_prefabricated=is_prefabricated,
        grade_precondition_met=precondition_met,
        grade=grade,
        findings=tuple(findings),
    )


def _condition(row: Mapping[str, Any], q: Mapping[str, Decimal], inputs: Gbt51129Inputs, banded: Decimal) -> Condition:
    where = "prefabricated_conditions." + str(row.get("key"))
    kind = row.get("kind")
    if kind == "group_minimum":
        minimum = s.rule_number(row, "minimum", where)
        value = q[row["group"]]
        passed = value >= minimum
        reason = "{} = {} {} {}".format(row["group"].upper(), s.show(value), "≥" if passed else "<", s.show(minimum))
    elif kind == "item_awarded" and row.get("item") == FULL_DECORATION:
        passed = inputs.full_decoration
        reason = "full decoration {}".format("provided" if passed else "not provided")
    elif kind == "assembly_rate_minimum":
        minimum = s.rule_number(row, "minimum_pct", where)
        passed = banded >= minimum
        reason = "P = {} % (whole %, D8) {} {} %".format(s.show(banded), "≥" if passed else "<", s.show(minimum))
    else:
        raise StandardsInputError("edition", "rule table row {} has unknown kind {!r}".format(where, kind))
    finding = Finding(row["clause"], row["title"], reason, passed=passed, confidence=s.confidence_of(row))
    return Condition(row["key"], finding)


def _grade(ruleset: RuleSet, is_prefabricated: bool, precondition_met: bool, banded: Decimal) -> tuple[Grade, Finding]:
    grades = s.rule_entry(ruleset, "grades")
    confidence = s.confidence_of(grades["bands"][0]) if grades["bands"] else Confidence.UNCONFIRMED
    if not is_prefabricated:
        reason = "no grade: the building does not count as prefabricated (clause 3.0.3)"
        return Grade.NONE, Finding(grades["clause"], grades["title"], reason, passed=False, confidence=confidence)
    if not precondition_met:
        reason = "no grade: the vertical-member precondition (clause 5.0.1) is not met"
        return Grade.NONE, Finding(grades["clause"], grades["title"], reason, passed=False, confidence=confidence)
    for band in reversed(grades["bands"]):
        where = "grades." + band["grade"]
        minimum = s.rule_number(band, "minimum_pct", where)
        maximum = to_decimal(band["maximum_pct"], where) if band.get("maximum_pct") is not None else None
        if banded >= minimum and (maximum is None or banded <= maximum):
            span = (
                "{}–{} %".format(s.show(minimum), s.show(maximum))
                if maximum is not None
                else "≥ {} %".format(s.show(minimum))
            )
            reason = "P = {} % (whole %, D8) in {}: {}".format(s.show(banded), span, band["title"])
            return Grade(band["grade"]), Finding(
                grades["clause"], grades["title"], reason, passed=True, confidence=s.confidence_of(band)
            )
    lowest = min(s.rule_number(band, "minimum_pct", "grades") for band in grades["bands"])
    reason = "no grade: P = {} % (whole %, D8) is below {} %".format(s.show(banded), s.show(lowest))
    return Grade.NONE, Finding(grades["clause"], grades["title"], reason, passed=False, confidence=confidence)


# --- output -------------------------------------------------------------------------------------


def result_to_dict(result: Gbt51129Result) -> dict[str, Any]:
    return {
        **s.result_header(ENGINE, result),
        "building": result.building,
        "structure": result.structure.value,
        "assembly_rate_pct": s.json_number(result.assembly_rate_pct),
        "assembly_rate_banded_pct": s.json_number(result.assembly_rate_banded_pct),
        "q1": s.json_number(result.q1),
        "q2": s.json_number(result.q2),
        "q3": s.json_number(result.q3),
        "q4": s.json_number(result.q4),
        "is_prefabricated": result.is_prefabricated,
        "grade_precondition_met": result.grade_precondition_met,
        "grade": result.grade.value,
        "items": [
            {
                "item": score.item,
                "group": score.group,
                "absent": score.absent,
                "ratio_pct": s.json_number(s.round_fraction(score.ratio.ratio_pct, 2)) if score.ratio else None,
                "ratio_source": score.ratio.source.value if score.ratio else None,
                "points": s.json_number(score.points),
                "maximum": s.json_number(score.maximum),
            }
            for score in result.items
        ],
        "conditions": [{"key": c.key, **s.finding_to_dict(c.finding)} for c in result.conditions],
        "findings": [s.finding_to_dict(finding) for finding in result.findings],
    }


def render_table(result: Gbt51129Result) -> str:
    title = "{} 装配率{}".format(result.edition, " — " + result.building if result.building else "")
    summary = s.format_table(
        ["figure", "value"],
        [
            ["structure", result.structure.value],
            ["Q1 / Q2 / Q3", "{} / {} / {}".format(s.show(result.q1), s.show(result.q2), s.show(result.q3))],
            ["Q4 (absent items)", s.show(result.q4)],
            [
                "assembly rate P",
                "{} % (banded {} %)".format(s.show(result.assembly_rate_pct), s.show(result.assembly_rate_banded_pct)),
            ],
            ["prefabricated building", "yes" if result.is_prefabricated else "no"],
            ["grade", result.grade.value],
        ],
    )
    return "\n\n".join([title, summary, s.findings_table(result.findings)]) + "\n"
