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
from .messages import Message, msg
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
                field + ".part", msg("gbt51129.input.part_above_total", part=str(part), total=str(total))
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
            "structure",
            msg("input.one_of", allowed=", ".join(item.value for item in Structure), value=str(structure_text)),
        ) from None

    ratios = _parse_quantities(data["quantities"]) if data.get("quantities") is not None else {}
    for item in RATIO_ITEMS:
        key = item + "_pct"
        if data.get(key) is None:
            continue
        if item in ratios:
            raise StandardsInputError(key, msg("gbt51129.input.pct_and_quantities", key=key, item=item))
        pct = s.require_number(data, key, key, minimum=ZERO, maximum=HUNDRED)
        ratios[item] = ItemRatio(item, s.exact(pct), RatioSource.PERCENTAGE)

    absent_raw = s.require_sequence(data.get("absent_items", []), "absent_items")
    absent: set[str] = set()
    for name in absent_raw:
        if not isinstance(name, str):
            raise StandardsInputError("absent_items", msg("gbt51129.input.absent_not_strings"))
        if name not in RATIO_ITEMS and name != FULL_DECORATION:
            raise StandardsInputError("absent_items", msg("gbt51129.input.absent_unknown", value=name))
        if name in absent:
            raise StandardsInputError("absent_items", msg("gbt51129.input.absent_twice", item=name))
        if name in ratios:
            field = (name + "_pct") if ratios[name].source is RatioSource.PERCENTAGE else "quantities." + name
            raise StandardsInputError(field, msg("gbt51129.input.ratio_for_absent", item=name))
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
            "edition",
            msg(
                "ruletable.invalid",
                path="items",
                detail="rule table {!r} must define exactly the items {}".format(ruleset.edition, sorted(expected)),
            ),
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
        message = msg("gbt51129.input.main_ratio_required", structure=inputs.structure.value)
    else:
        message = msg("gbt51129.input.ratio_required", item=item.key)
    raise StandardsInputError(item.key + "_pct", message)


def _describe_ratio(ratio: ItemRatio, item: _Item) -> Message:
    if ratio.source is RatioSource.QUANTITIES:
        unit = item.row.get("ratio", {}).get("unit", "")
        return msg(
            "gbt51129.ratio.quantities",
            part=s.show(ratio.part or ZERO),
            total=s.show(ratio.total or ZERO),
            unit=str(unit),
            ratio=s.show(ratio.ratio_pct),
        )
    if ratio.source is RatioSource.STRUCTURE_DEFAULT:
        return msg("gbt51129.ratio.structure_default", ratio=s.show(ratio.ratio_pct))
    return msg("gbt51129.ratio.percentage", ratio=s.show(ratio.ratio_pct))


def _score_item(item: _Item, ratio: ItemRatio, places: int) -> tuple[Decimal, Message]:
    """Points of one ratio item (rounded, D7) and the reason, showing the arithmetic."""
    where = "items." + item.key
    q = ratio.ratio_pct
    described = _describe_ratio(ratio, item)
    if item.kind == "threshold":
        threshold = s.rule_number(item.row, "threshold_pct", where)
        if q >= s.exact(threshold):
            return item.maximum, msg(
                "gbt51129.item.at_least", ratio=described, threshold=s.show(threshold), points=s.show(item.maximum)
            )
        return ZERO, msg("gbt51129.item.below", ratio=described, threshold=s.show(threshold))
    if item.kind != "interpolated":
        raise StandardsInputError(
            "edition",
            msg(
                "ruletable.invalid",
                path=where,
                detail="rule table row {} has unknown kind {!r}".format(where, item.kind),
            ),
        )
    lower = s.rule_number(item.row, "lower_pct", where)
    upper = s.rule_number(item.row, "upper_pct", where)
    low_points = s.rule_number(item.row, "minimum_points", where)
    if q < s.exact(lower):
        return ZERO, msg("gbt51129.item.below", ratio=described, threshold=s.show(lower))
    if q >= s.exact(upper):
        return item.maximum, msg(
            "gbt51129.item.at_least", ratio=described, threshold=s.show(upper), points=s.show(item.maximum)
        )
    exact_points = s.exact(low_points) + (q - s.exact(lower)) * s.exact(item.maximum - low_points) / s.exact(
        upper - lower
    )
    points = s.round_fraction(exact_points, places)
    params: dict[str, Any] = {
        "ratio": described,
        "lower": s.show(lower),
        "upper": s.show(upper),
        "low": s.show(low_points),
        "q": s.show(q),
        "maximum": s.show(item.maximum),
        "points": s.show(points),
    }
    if exact_points == s.exact(points):
        return points, msg("gbt51129.item.interpolated", **params)
    return points, msg("gbt51129.item.interpolated_rounded", exact=s.show(exact_points), **params)


def _check_absences(inputs: Gbt51129Inputs, items: Sequence[_Item]) -> None:
    by_key = {item.key: item for item in items}
    for name in sorted(inputs.absent_items):
        if not by_key[name].may_be_absent:
            raise StandardsInputError(
                "absent_items", msg("gbt51129.input.cannot_be_absent", item=name, title=by_key[name].title)
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
                    msg("gbt51129.item.absent", maximum=s.show(item.maximum)),
                    ZERO,
                    item.maximum,
                    confidence=item.confidence,
                    title_message=msg("gbt51129.title.item", title=item.title, item=item.key),
                )
            )
            continue
        if item.kind == "boolean":
            points = item.maximum if inputs.full_decoration else ZERO
            code = "gbt51129.item.full_decoration" if inputs.full_decoration else "gbt51129.item.no_full_decoration"
            reason = msg(code, points=s.show(points))
            scores.append(ItemScore(item.key, item.group, points, item.maximum, False, None))
            findings.append(
                Finding(
                    item.clause,
                    item.title,
                    reason,
                    points,
                    item.maximum,
                    confidence=item.confidence,
                    title_message=msg("gbt51129.title.item", title=item.title, item=item.key),
                )
            )
            continue
        ratio = _ratio_for(item, inputs, ruleset)
        points, reason = _score_item(item, ratio, item_places)
        scores.append(ItemScore(item.key, item.group, points, item.maximum, False, ratio))
        findings.append(
            Finding(
                item.clause,
                item.title,
                reason,
                points,
                item.maximum,
                confidence=item.confidence,
                title_message=msg("gbt51129.title.item", title=item.title, item=item.key),
            )
        )

    q: dict[str, Decimal] = {}
    for group in ("q1", "q2", "q3"):
        q[group] = sum((score.points for score in scores if score.group == group and not score.absent), ZERO)
        maximum = s.rule_number(groups[group], "maximum", "groups." + group)
        findings.append(
            Finding(
                "4.0.1 " + group.upper(),
                groups[group]["title"],
                msg("gbt51129.group.sum"),
                q[group],
                maximum,
                confidence=s.confidence_of(groups[group]),
                title_message=msg("gbt51129.title.group", title=groups[group]["title"], group=group),
            )
        )
    q4 = sum((score.maximum for score in scores if score.absent), ZERO)
    findings.append(
        Finding(
            "4.0.1 Q4",
            groups["q4"]["title"],
            msg("gbt51129.group.absent", items=[score.item for score in scores if score.absent]),
            q4,
            confidence=s.confidence_of(groups["q4"]),
            title_message=msg("gbt51129.title.group", title=groups["q4"]["title"], group="q4"),
        )
    )

    formula = s.rule_entry(ruleset, "formula")
    total_points = s.rule_number(formula, "total_points", "formula")
    denominator = s.exact(total_points - q4)
    if denominator <= 0:
        raise StandardsInputError("absent_items", msg("gbt51129.input.too_many_absent"))
    rate_exact = s.exact(q["q1"] + q["q2"] + q["q3"]) / denominator * 100
    rate = s.round_fraction(rate_exact, rate_places)
    basis = rounding.get("banding_basis", "reported")
    banded = s.round_fraction(s.exact(rate) if basis == "reported" else rate_exact, band_places)
    findings.append(
        Finding(
            formula["clause"] + " P",
            formula["title"],
            msg(
                "gbt51129.rate",
                q1=s.show(q["q1"]),
                q2=s.show(q["q2"]),
                q3=s.show(q["q3"]),
                total=s.show(total_points),
                q4=s.show(q4),
                exact=s.show(rate_exact),
                rate=s.show(rate),
                banded=s.show(banded),
            ),
            rate,
            confidence=s.confidence_of(formula),
            title_message=msg("gbt51129.title.rate", title=formula["title"]),
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
            msg(
                "gbt51129.precondition",
                item=pre_item,
                ratio=s.show(pre_ratio.ratio_pct),
                op="≥" if precondition_met else "<",
                minimum=s.show(pre_minimum),
            )
            if pre_ratio
            else msg("gbt51129.precondition.absent", item=pre_item, minimum=s.show(pre_minimum)),
            passed=precondition_met,
            confidence=s.confidence_of(precondition),
            title_message=msg("gbt51129.title.precondition", title=precondition["title"]),
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
        reason = msg(
            "gbt51129.condition.group_minimum",
            label=row["group"].upper(),
            group=row["group"],
            value=s.show(value),
            op="≥" if passed else "<",
            minimum=s.show(minimum),
        )
    elif kind == "item_awarded" and row.get("item") == FULL_DECORATION:
        passed = inputs.full_decoration
        reason = msg("gbt51129.condition.full_decoration" if passed else "gbt51129.condition.no_full_decoration")
    elif kind == "assembly_rate_minimum":
        minimum = s.rule_number(row, "minimum_pct", where)
        passed = banded >= minimum
        reason = msg(
            "gbt51129.condition.rate", banded=s.show(banded), op="≥" if passed else "<", minimum=s.show(minimum)
        )
    else:
        raise StandardsInputError(
            "edition",
            msg("ruletable.invalid", path=where, detail="rule table row {} has unknown kind {!r}".format(where, kind)),
        )
    finding = Finding(
        row["clause"],
        row["title"],
        reason,
        passed=passed,
        confidence=s.confidence_of(row),
        title_message=msg("gbt51129.title.condition", title=row["title"], condition=str(row.get("key"))),
    )
    return Condition(row["key"], finding)


def _grade(ruleset: RuleSet, is_prefabricated: bool, precondition_met: bool, banded: Decimal) -> tuple[Grade, Finding]:
    grades = s.rule_entry(ruleset, "grades")
    confidence = s.confidence_of(grades["bands"][0]) if grades["bands"] else Confidence.UNCONFIRMED
    title = msg("gbt51129.title.grade", title=grades["title"])

    def finding(reason: Message, passed: bool, tag: Confidence) -> Finding:
        return Finding(grades["clause"], grades["title"], reason, passed=passed, confidence=tag, title_message=title)

    if not is_prefabricated:
        return Grade.NONE, finding(msg("gbt51129.grade.not_prefabricated"), False, confidence)
    if not precondition_met:
        return Grade.NONE, finding(msg("gbt51129.grade.precondition"), False, confidence)
    for band in reversed(grades["bands"]):
        where = "grades." + band["grade"]
        minimum = s.rule_number(band, "minimum_pct", where)
        maximum = to_decimal(band["maximum_pct"], where) if band.get("maximum_pct") is not None else None
        if banded >= minimum and (maximum is None or banded <= maximum):
            common: dict[str, Any] = {
                "banded": s.show(banded),
                "minimum": s.show(minimum),
                "title": band["title"],
                "grade": band["grade"],
            }
            reason = (
                msg("gbt51129.grade.band", maximum=s.show(maximum), **common)
                if maximum is not None
                else msg("gbt51129.grade.band_open", **common)
            )
            return Grade(band["grade"]), finding(reason, True, s.confidence_of(band))
    lowest = min(s.rule_number(band, "minimum_pct", "grades") for band in grades["bands"])
    reason = msg("gbt51129.grade.below", banded=s.show(banded), lowest=s.show(lowest))
    return Grade.NONE, finding(reason, False, confidence)


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
