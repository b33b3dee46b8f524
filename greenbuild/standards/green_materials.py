"""Green building material share (绿色建材应用比例, R11, R23) from a bill of materials.

Input contract (JSON object)::

    {"edition": "GB/T 50378-2019（2024年版）绿色建材应用比例",   # optional, this is the default
     "items": [
       {"name": "C30 预拌混凝土 (供应商甲)", "item_type": "预拌混凝土",
        "category": "main_structure_envelope", "quantity": 9000, "unit": "m3", "certified": true},
       {"name": "C30 预拌混凝土 (供应商乙)", "item_type": "预拌混凝土",
        "category": "main_structure_envelope", "quantity": 1000, "unit": "m3", "certified": false},
       {"name": "内墙涂料", "category": "decoration", "quantity": 5200, "unit": "m2", "certified": true}]}

``category`` is one of the rule table's four groups: ``main_structure_envelope`` (主体及围护结构),
``decoration`` (装饰装修), ``mep`` (机电安装), ``exterior`` (室外工程). ``item_type`` names the
kind of material (defaults to ``name``); the lines of one item type are summed, so they must share
one ``unit``. ``quantity`` > 0; ``certified`` is true when the line's product holds a green
building material certificate valid on the supply date (the platform checks validity).

Rule (reference/standards.md §1.10, tag [P], all numbers in the rule table): an item type counts
as green when ≥ 80 % of its quantity is certified; a group scores (green item types ÷ item types)
× its weight (45 / 35 / 15 / 5); the ratio in % is the sum of the group scores. The ratio is
mapped to the 2024 row of table 3.2.8 (≥ 10 / 20 / 30 % for one / two / three stars) and to the
points of clause 7.2.18 (≥ 40 % → 4, ≥ 60 % → 8, ≥ 70 % → 12).

Output (:func:`result_to_dict`): ``green_material_ratio_pct``, ``table_3_2_8`` (met per star),
``table_3_2_8_level``, ``clause_7_2_18_points``, ``groups``, ``item_types``, ``findings``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from . import _support as s
from .messages import msg
from .numbers import ZERO, to_decimal
from .rulesets import bundled_ruleset
from .types import Finding, RuleSet, StandardsInputError

__all__ = [
    "DEFAULT_EDITION",
    "ENGINE",
    "ENGINE_VERSION",
    "GreenMaterialsInputs",
    "GreenMaterialsResult",
    "GroupScore",
    "ItemTypeShare",
    "MaterialLine",
    "evaluate",
    "parse_inputs",
    "render_table",
    "result_to_dict",
]

ENGINE = "green-materials"
ENGINE_VERSION = "1.0.0"
DEFAULT_EDITION = "GB/T 50378-2019（2024年版）绿色建材应用比例"
STANDARD = "GB/T 50378 绿色建材应用比例"
NO_LEVEL = "none"

_TOP_LEVEL_KEYS = frozenset({"edition", "items"})
_ITEM_KEYS = frozenset({"name", "item_type", "category", "quantity", "unit", "certified"})


@dataclass(frozen=True)
class MaterialLine:
    name: str
    item_type: str
    category: str
    quantity: Decimal
    unit: str
    certified: bool


@dataclass(frozen=True)
class GreenMaterialsInputs:
    items: tuple[MaterialLine, ...]
    edition: str = DEFAULT_EDITION


@dataclass(frozen=True)
class ItemTypeShare:
    category: str
    item_type: str
    unit: str
    quantity: Decimal
    certified_quantity: Decimal
    certified_share_pct: Decimal  # rounded to one decimal for reporting
    is_green: bool  # decided on the unrounded share


@dataclass(frozen=True)
class GroupScore:
    category: str
    title: str
    weight: Decimal
    item_types: int
    green_item_types: int
    score_exact: Fraction


@dataclass(frozen=True)
class GreenMaterialsResult:
    edition: str
    engine_version: str
    ruleset_version: str  # version of the rule table it was computed with
    item_types: tuple[ItemTypeShare, ...]
    groups: tuple[GroupScore, ...]
    ratio_exact: Fraction
    green_material_ratio_pct: Decimal
    table_3_2_8: tuple[tuple[str, bool], ...]  # (star level, met) in table order
    table_3_2_8_level: str  # highest star level whose row is met, or "none"
    clause_7_2_18_points: Decimal
    clause_7_2_18_maximum: Decimal
    findings: tuple[Finding, ...]


def parse_inputs(data: Mapping[str, Any]) -> GreenMaterialsInputs:
    """Check the shape of the bill of materials; raise :class:`StandardsInputError` naming the field."""
    data = s.require_mapping(data, "input")
    s.reject_unknown_keys(data, _TOP_LEVEL_KEYS)
    edition = s.require_string(data, "edition", "edition") if "edition" in data else DEFAULT_EDITION
    raw_items = s.require_sequence(data.get("items"), "items")
    if not raw_items:
        raise StandardsInputError("items", msg("green.input.no_items"))
    lines = []
    units: dict[tuple[str, str], str] = {}
    for index, raw in enumerate(raw_items):
        field = "items[{}]".format(index)
        entry = s.require_mapping(raw, field)
        s.reject_unknown_keys(entry, _ITEM_KEYS, field + ".")
        name = s.require_string(entry, "name", field + ".name")
        item_type = s.require_string(entry, "item_type", field + ".item_type") if "item_type" in entry else name
        category = s.require_string(entry, "category", field + ".category")
        unit = s.require_string(entry, "unit", field + ".unit")
        previous = units.setdefault((category, item_type), unit)
        if previous != unit:
            raise StandardsInputError(
                field + ".unit", msg("green.input.unit_mismatch", item_type=item_type, unit=previous)
            )
        lines.append(
            MaterialLine(
                name=name,
                item_type=item_type,
                category=category,
                quantity=s.require_number(entry, "quantity", field + ".quantity", positive=True),
                unit=unit,
                certified=s.require_bool(entry, "certified", field + ".certified"),
            )
        )
    return GreenMaterialsInputs(tuple(lines), edition)


def evaluate(inputs: GreenMaterialsInputs, ruleset: RuleSet | None = None) -> GreenMaterialsResult:
    """Green share per item type and group, the ratio, the table 3.2.8 row and clause 7.2.18 points."""
    ruleset = s.require_ruleset(ruleset or bundled_ruleset(inputs.edition), STANDARD)
    group_rows = {row["key"]: row for row in s.rule_entry(ruleset, "groups")}
    for index, line in enumerate(inputs.items):
        if line.category not in group_rows:
            raise StandardsInputError(
                "items[{}].category".format(index),
                msg("green.input.unknown_category", value=line.category, allowed=", ".join(group_rows)),
            )
    type_rule = s.rule_entry(ruleset, "item_type_rule")
    minimum_share = s.rule_number(type_rule, "minimum_certified_share_pct", "item_type_rule")
    ratio_rule = s.rule_entry(ruleset, "ratio")
    empty_rule = s.rule_entry(ruleset, "empty_group")
    if empty_rule.get("rule") != "zero":
        raise StandardsInputError(
            "edition",
            msg(
                "ruletable.invalid",
                path="empty_group.rule",
                detail="rule table empty_group.rule {!r} is not supported".format(empty_rule.get("rule")),
            ),
        )

    findings: list[Finding] = []
    shares: list[ItemTypeShare] = []
    for category in group_rows:
        for item_type in dict.fromkeys(line.item_type for line in inputs.items if line.category == category):
            lines = [line for line in inputs.items if line.category == category and line.item_type == item_type]
            total = sum((line.quantity for line in lines), ZERO)
            certified = sum((line.quantity for line in lines if line.certified), ZERO)
            share_exact = s.exact(certified) / s.exact(total) * 100
            is_green = share_exact >= s.exact(minimum_share)
            share = ItemTypeShare(
                category, item_type, lines[0].unit, total, certified, s.round_fraction(share_exact, 1), is_green
            )
            shares.append(share)
            findings.append(
                Finding(
                    "附录A " + category,
                    item_type,
                    msg(
                        "green.item_type.green" if is_green else "green.item_type.not_green",
                        certified=s.show(certified),
                        total=s.show(total),
                        unit=share.unit,
                        share=s.show(share_exact),
                        minimum=s.show(minimum_share),
                    ),
                    passed=is_green,
                    confidence=s.confidence_of(type_rule),
                )
            )

    groups: list[GroupScore] = []
    for category, row in group_rows.items():
        weight = s.rule_number(row, "weight", "groups." + category)
        members = [share for share in shares if share.category == category]
        green = sum(1 for share in members if share.is_green)
        if members:
            score = Fraction(green, len(members)) * s.exact(weight)
            reason = msg(
                "green.group", green=str(green), count=str(len(members)), weight=s.show(weight), score=s.show(score)
            )
            confidence = s.confidence_of(row)
        else:
            score = Fraction(0)
            reason = msg("green.group.empty", note=str(empty_rule.get("note", "decision")))
            confidence = s.confidence_of(empty_rule)
        groups.append(GroupScore(category, row["title"], weight, len(members), green, score))
        findings.append(
            Finding(
                "附录A " + category,
                row["title"],
                reason,
                awarded=s.round_fraction(score, int(ratio_rule["reported_places"])),
                maximum=weight,
                confidence=confidence,
                title_message=msg("green.title.group", title=row["title"], group=category),
            )
        )

    ratio_exact = sum((group.score_exact for group in groups), Fraction(0))
    ratio = s.round_fraction(ratio_exact, int(ratio_rule["reported_places"]))
    findings.append(
        Finding(
            ratio_rule["clause"],
            ratio_rule["title"],
            title_message=msg("title.rule", title=ratio_rule["title"], rule="green.ratio"),
            reason=msg(
                "green.ratio",
                terms=" + ".join(s.show(g.score_exact) for g in groups),
                exact=s.show(ratio_exact),
                ratio=s.show(ratio),
            ),
            awarded=ratio,
            confidence=s.confidence_of(ratio_rule),
        )
    )

    table = s.rule_entry(ruleset, "table_3_2_8")
    rows: list[tuple[str, bool]] = []
    level = NO_LEVEL
    for row in table["levels"]:
        minimum = s.rule_number(row, "minimum_pct", "table_3_2_8." + row["level"])
        met = ratio_exact >= s.exact(minimum)
        rows.append((row["level"], met))
        if met:
            level = row["level"]
        findings.append(
            Finding(
                "{} {}".format(table["clause"], row["title"]),
                table["title"],
                title_message=msg("title.rule", title=table["title"], rule="green.table_3_2_8"),
                reason=msg(
                    "green.table_row",
                    ratio=s.show(ratio),
                    op="≥" if met else "<",
                    minimum=s.show(minimum),
                    level=row["level"],
                ),
                passed=met,
                confidence=s.confidence_of(row),
            )
        )

    clause = s.rule_entry(ruleset, "clause_7_2_18")
    maximum = s.rule_number(clause, "maximum_points", "clause_7_2_18")
    points = ZERO
    reached: Decimal | None = None
    for step in clause["steps"]:
        minimum = s.rule_number(step, "minimum_pct", "clause_7_2_18.steps")
        if ratio_exact >= s.exact(minimum):
            points = to_decimal(step["points"], "clause_7_2_18.steps.points")
            reached = minimum
    findings.append(
        Finding(
            clause["clause"],
            clause["title"],
            title_message=msg("title.rule", title=clause["title"], rule="green.clause_7_2_18"),
            reason=msg("green.clause_7_2_18.below", ratio=s.show(ratio), points=s.show(points))
            if reached is None
            else msg("green.clause_7_2_18", ratio=s.show(ratio), minimum=s.show(reached), points=s.show(points)),
            awarded=points,
            maximum=maximum,
            confidence=s.confidence_of(clause),
        )
    )

    return GreenMaterialsResult(
        edition=ruleset.edition,
        engine_version=ENGINE_VERSION,
        ruleset_version=ruleset.version,
        item_types=tuple(shares),
        groups=tuple(groups),
        ratio_exact=ratio_exact,
        green_material_ratio_pct=ratio,
        table_3_2_8=tuple(rows),
        table_3_2_8_level=level,
        clause_7_2_18_points=points,
        clause_7_2_18_maximum=maximum,
        findings=tuple(findings),
    )


def result_to_dict(result: GreenMaterialsResult) -> dict[str, Any]:
    return {
        **s.result_header(ENGINE, result),
        "green_material_ratio_pct": s.json_number(result.green_material_ratio_pct),
        "table_3_2_8": dict(result.table_3_2_8),
        "table_3_2_8_level": result.table_3_2_8_level,
        "clause_7_2_18_points": s.json_number(result.clause_7_2_18_points),
        "clause_7_2_18_maximum": s.json_number(result.clause_7_2_18_maximum),
        "groups": [
            {
                "category": group.category,
                "title": group.title,
                "weight": s.json_number(group.weight),
                "item_types": group.item_types,
                "green_item_types": group.green_item_types,
                "score": s.json_number(s.round_fraction(group.score_exact, 2)),
            }
            for group in result.groups
        ],
        "item_types": [
            {
                "category": share.category,
                "item_type": share.item_type,
                "unit": share.unit,
                "quantity": s.json_number(share.quantity),
                "certified_quantity": s.json_number(share.certified_quantity),
                "certified_share_pct": s.json_number(share.certified_share_pct),
                "is_green": share.is_green,
            }
            for share in result.item_types
        ],
        "findings": [s.finding_to_dict(finding) for finding in result.findings],
    }


def render_table(result: GreenMaterialsResult) -> str:
    summary = s.format_table(
        ["figure", "value"],
        [
            ["green material ratio", "{} %".format(s.show(result.green_material_ratio_pct))],
            ["table 3.2.8 row met up to", result.table_3_2_8_level],
            [
                "clause 7.2.18",
                "{} / {} points".format(s.show(result.clause_7_2_18_points), s.show(result.clause_7_2_18_maximum)),
            ],
        ],
    )
    groups = s.format_table(
        ["group", "weight", "green / types", "score"],
        [
            [g.title, s.show(g.weight), "{} / {}".format(g.green_item_types, g.item_types), s.show(g.score_exact)]
            for g in result.groups
        ],
    )
    title = "{}".format(result.edition)
    return "\n\n".join([title, summary, groups, s.findings_table(result.findings)]) + "\n"
