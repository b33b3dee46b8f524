"""GB/T 50378-2019 绿色建筑评价标准: the green building star rating.

What this module computes, clause by clause (clause numbers of chapter 3 are [M] in
reference/standards.md §1):

* 3.2.4 / table 3.2.4: category maxima per stage (生活便利 is 70 at pre-evaluation, 100 at evaluation).
* Chapters 4-8: the 40 control items (控制项, pass/fail) and the scored items (评分项, points).
* Chapter 9: bonus items (加分项); QA is their sum, capped at 100 (9.1.2).
* 3.2.5: total score Q = (Q0 + Q1 + Q2 + Q3 + Q4 + Q5 + QA) / 10 with Q0 = 400.
* 3.2.7 / 3.2.8: the level (不达标 / 基本级 / 一星级 / 二星级 / 三星级): the 30 % category floors, full
  decoration (全装修), the total thresholds and every applicable row of table 3.2.8.

Every number the standard defines (maxima, thresholds, floors, caps, table 3.2.8) comes from the rule
table of the edition (``data/gbt50378_*.json``), never from constants here. The platform's readings
where the standard is silent are decisions D1-D6 of reference/standards.md §0; the findings name them.

Readings of this engine beyond D1-D6 (also in the issue note):

* Each star is judged on its own conditions and the level is the highest star that passes (D3).
* ``extra_points_needed`` counts claimed points (分), not Q: max(sum of floor shortfalls, total
  shortfall), within the room the clause maxima leave; conditions points cannot meet (full
  decoration, table 3.2.8 rows, control items) are listed as blockers beside it.
* Any presence of an operation-only clause at pre-evaluation is refused, even a claim of 0 (D6).
* Unknown top-level or ``star_requirements`` keys are refused (a misspelt key would otherwise read
  as "not given"); ``full_decoration`` is required; percentages must lie in 0-100.
* When a control item fails the category sums are still reported, but no total and no level.
* Findings use clause "4.2" .. "8.2" for the category sums Q1..Q5, "9.2" for QA and "3.2.5" for Q.

Units: claimed points are the standard's points (分) per clause; the total score Q is in the
standard's 0-110 scale (points / 10); percentages are in percent (0-100). Arithmetic is exact
``Decimal`` throughout and nothing is rounded (D2: 69.95 is not 70).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeVar

from ._support import message_fields
from .messages import Message, msg
from .numbers import HUNDRED, ZERO, to_decimal
from .rulesets import bundled_ruleset
from .types import Confidence, Finding, RuleSet, StandardsInputError

__all__ = [
    "DEFAULT_EDITION",
    "ENGINE",
    "ENGINE_VERSION",
    "BuildingType",
    "ClimateZone",
    "Condition",
    "Gbt50378Inputs",
    "Gbt50378Result",
    "Level",
    "SoundInsulation",
    "Stage",
    "StarCheck",
    "StarRequirements",
    "evaluate",
    "parse_inputs",
    "render_table",
    "result_to_dict",
]

ENGINE = "gbt50378"
ENGINE_VERSION = "1.0.0"
DEFAULT_EDITION = "GB/T 50378-2019"


# --------------------------------------------------------------------------------------------
# Vocabulary of the input contract (issue 3, "Contracts")
# --------------------------------------------------------------------------------------------


class Stage(StrEnum):
    """评价阶段: 预评价 after the construction drawings, 评价 after completion (竣工)."""

    PRE_EVALUATION = "pre_evaluation"
    EVALUATION = "evaluation"


class BuildingType(StrEnum):
    RESIDENTIAL = "residential"
    PUBLIC = "public"


class SoundInsulation(StrEnum):
    """Sound insulation of a residential building against GB 50118 (table 3.2.8).

    ``average``: the mean of the 低限 and 高要求 limits; ``high``: the 高要求 limit.
    """

    NONE = "none"
    AVERAGE = "average"
    HIGH = "high"


class ClimateZone(StrEnum):
    """Building climate zone; only decides whether the window U-value row applies (D4)."""

    SEVERE_COLD = "severe_cold"
    COLD = "cold"
    HOT_SUMMER_COLD_WINTER = "hot_summer_cold_winter"
    HOT_SUMMER_WARM_WINTER = "hot_summer_warm_winter"
    MILD = "mild"


class Level(StrEnum):
    """绿色建筑等级 (3.2.6), lowest first."""

    NONE = "none"  # 不达标: a control item fails
    BASIC = "basic"  # 基本级
    ONE_STAR = "one_star"  # 一星级
    TWO_STAR = "two_star"  # 二星级
    THREE_STAR = "three_star"  # 三星级

    @property
    def rank(self) -> int:
        """0 for none up to 4 for three stars, for comparing levels."""
        return list(Level).index(self)


STAR_LEVELS = (Level.ONE_STAR, Level.TWO_STAR, Level.THREE_STAR)


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StarRequirements:
    """The measured values table 3.2.8 checks; ``None`` means "not given", which never meets a row (D4).

    Percentages are improvements or reductions against the baseline the standard names (current
    national energy-saving design standard, GB/T 18883), in percent.
    """

    envelope_improvement_pct: Decimal | None = None
    load_reduction_pct: Decimal | None = None
    water_fixture_grade: int | None = None  # 用水效率等级: 1 (best) .. 3
    sound_insulation: SoundInsulation | None = None
    pollutant_reduction_pct: Decimal | None = None
    window_airtightness: bool | None = None
    green_material_ratio_pct: Decimal | None = None  # 2024 edition only (D5)
    climate_zone: ClimateZone | None = None  # None: the rule table's default (D4)
    window_u_reduction_pct: Decimal | None = None  # residential, severe-cold and cold zones only


@dataclass(frozen=True)
class Gbt50378Inputs:
    """One scorecard: pass/fail per control item and points claimed per scored and bonus clause.

    ``scored_items`` and ``bonus_items`` map clause numbers to claimed points (分); absent clauses
    score 0. ``control_items`` must state every control item of the edition (D1).
    """

    edition: str
    stage: Stage
    building_type: BuildingType
    control_items: Mapping[str, bool]
    scored_items: Mapping[str, Decimal]
    bonus_items: Mapping[str, Decimal]
    full_decoration: bool
    star_requirements: StarRequirements


# --------------------------------------------------------------------------------------------
# Result
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """One condition of a level (3.2.7 / 3.2.8) and whether it holds.

    ``key`` is stable for programs: ``control:<clause>``, ``floor:<category>``, ``full_decoration``,
    ``total`` or ``table_3_2_8:<row>``. ``points_short`` is the number of claimed points (分) still
    missing for a floor or the total; ``None`` for conditions that points cannot meet.
    """

    key: str
    clause: str
    description: str | Message
    passed: bool
    points_short: Decimal | None = None
    confidence: Confidence = Confidence.UNCONFIRMED
    message: Message = dataclasses.field(default=None, compare=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if isinstance(self.description, Message):
            object.__setattr__(self, "message", self.description)
            object.__setattr__(self, "description", self.description.text)
        elif self.message is None:
            raise TypeError("a Condition needs a Message description")


@dataclass(frozen=True)
class StarCheck:
    """Every condition of one star level, evaluated independently of the other levels (D3)."""

    level: Level
    title: str
    conditions: tuple[Condition, ...]

    @property
    def passed(self) -> bool:
        return all(condition.passed for condition in self.conditions)

    @property
    def failing(self) -> tuple[Condition, ...]:
        return tuple(condition for condition in self.conditions if not condition.passed)


@dataclass(frozen=True)
class Gbt50378Result:
    """The rating, with everything needed to audit and reproduce it.

    ``total_score`` is Q on the 0-110 scale, exact and unrounded, or ``None`` when a control item
    fails (D3). ``category_scores`` are points per category after the stage maximum (and, for
    ``bonus``, the 9.1.2 cap of QA). ``blockers`` are the failing conditions of ``next_level`` and
    ``extra_points_needed`` the fewest extra claimed points (分) that meet its floors and total
    (``None`` when there is no next level or the clause maxima leave too little room); blockers
    with ``points_short is None`` need more than points.
    """

    standard: str
    edition: str
    ruleset_version: str
    engine: str
    engine_version: str
    stage: Stage
    building_type: BuildingType
    level: Level
    level_title: str
    total_score: Decimal | None
    category_scores: Mapping[str, Decimal]
    category_maxima: Mapping[str, Decimal]
    category_titles: Mapping[str, str]
    control_items_passed: bool
    star_checks: tuple[StarCheck, ...]
    next_level: Level | None
    next_level_title: str | None
    blockers: tuple[Condition, ...]
    extra_points_needed: Decimal | None
    explanation: str
    findings: tuple[Finding, ...]
    explanation_messages: tuple[Message, ...] = ()


# --------------------------------------------------------------------------------------------
# Rule tables (read from the edition's JSON rule file)
# --------------------------------------------------------------------------------------------

# Which star_requirements inputs a table 3.2.8 row may read, and the tests that fit each kind.
_ROW_INPUT_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "envelope_improvement_pct": "number",
        "load_reduction_pct": "number",
        "water_fixture_grade": "number",
        "pollutant_reduction_pct": "number",
        "green_material_ratio_pct": "number",
        "window_u_reduction_pct": "number",
        "window_airtightness": "flag",
        "sound_insulation": "choice",
    }
)
_TESTS_BY_KIND: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "number": frozenset({"at_least", "at_most"}),
        "flag": frozenset({"is_true"}),
        "choice": frozenset({"rank_at_least"}),
    }
)


@dataclass(frozen=True)
class _Category:
    key: str
    chapter: str
    title: str
    maxima: Mapping[Stage, Decimal]
    clause: str
    confidence: Confidence


@dataclass(frozen=True)
class _ControlItem:
    clause: str
    title: str
    category: str
    confidence: Confidence


@dataclass(frozen=True)
class _ScoredItem:
    clause: str
    title: str
    category: str
    sub_section: str
    maximum: Decimal
    operation_only: bool
    confidence: Confidence


@dataclass(frozen=True)
class _BonusItem:
    clause: str
    title: str
    maximum: Decimal
    confidence: Confidence


@dataclass(frozen=True)
class _LevelRule:
    level: Level
    title: str
    clause: str
    confidence: Confidence


@dataclass(frozen=True)
class _RowTest:
    input: str
    test: str
    thresholds: Mapping[Level, Any]  # None: the row asks nothing at that star
    scale: tuple[str, ...]  # rank_at_least only, lowest first


@dataclass(frozen=True)
class _Row:
    key: str
    title: str
    clause: str
    confidence: Confidence
    building_types: frozenset[BuildingType]
    climate_zones: frozenset[ClimateZone] | None  # None: every zone
    any_of: tuple[_RowTest, ...]


@dataclass(frozen=True)
class _Tables:
    standard: str
    base_points: Decimal  # Q0
    divisor: Decimal
    formula_clause: str
    formula_confidence: Confidence
    categories: tuple[_Category, ...]
    bonus: _Category  # maxima hold the QA cap
    floor_pct: Decimal
    floor_clause: str
    floor_confidence: Confidence
    full_decoration_levels: frozenset[Level]
    full_decoration_clause: str
    full_decoration_confidence: Confidence
    levels: Mapping[Level, _LevelRule]
    min_totals: Mapping[Level, Decimal]  # Q each star needs (3.2.8)
    default_climate_zone: ClimateZone
    rows: tuple[_Row, ...]
    control_items: Mapping[str, _ControlItem]
    scored_items: Mapping[str, _ScoredItem]
    bonus_items: Mapping[str, _BonusItem]


_Item = TypeVar("_Item", _ControlItem, _ScoredItem, _BonusItem)


def _table_error(path: str, message: str) -> StandardsInputError:
    return StandardsInputError("rule table: " + path, msg("ruletable.invalid", path=path, detail=message))


def _get(data: Mapping[str, Any], key: str, path: str) -> Any:
    if not isinstance(data, Mapping) or key not in data:
        raise _table_error(path + "." + key, "missing")
    return data[key]


def _str(data: Mapping[str, Any], key: str, path: str) -> str:
    value = _get(data, key, path)
    if not isinstance(value, str) or not value:
        raise _table_error(path + "." + key, "must be a non-empty string")
    return value


def _num(data: Mapping[str, Any], key: str, path: str) -> Decimal:
    value = to_decimal(_get(data, key, path), "rule table: " + path + "." + key)
    if value < ZERO:
        raise _table_error(path + "." + key, "must not be negative")
    return value


def _confidence(data: Mapping[str, Any], path: str) -> Confidence:
    try:
        return Confidence(_str(data, "confidence", path))
    except ValueError:
        raise _table_error(path + ".confidence", "must be one of C, P, M, X, D") from None


def _enum(kind: type[Any], value: Any, path: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise _table_error(path, "must be one of " + allowed) from None


def _list(data: Mapping[str, Any], key: str, path: str) -> list[Any]:
    value = _get(data, key, path)
    if not isinstance(value, list) or not value:
        raise _table_error(path + "." + key, "must be a non-empty list")
    return value


def _read_category(data: Mapping[str, Any], path: str) -> _Category:
    maxima = _get(data, "maximum", path)
    return _Category(
        key=_str(data, "key", path),
        chapter=_str(data, "chapter", path),
        title=_str(data, "title", path),
        maxima=MappingProxyType({stage: _num(maxima, stage.value, path + ".maximum") for stage in Stage}),
        clause=_str(data, "clause", path),
        confidence=_confidence(data, path),
    )


def _read_row_test(data: Mapping[str, Any], path: str) -> _RowTest:
    name = _str(data, "input", path)
    if name not in _ROW_INPUT_KINDS:
        raise _table_error(path + ".input", "unknown star_requirements input {!r}".format(name))
    kind = _ROW_INPUT_KINDS[name]
    test = _str(data, "test", path)
    if test not in _TESTS_BY_KIND[kind]:
        raise _table_error(path + ".test", "{!r} does not fit input {}".format(test, name))
    scale: tuple[str, ...] = ()
    if test == "rank_at_least":
        scale = tuple(_list(data, "scale", path))
        if set(scale) != {member.value for member in SoundInsulation}:
            raise _table_error(path + ".scale", "must order none, average and high")
    raw = _get(data, "thresholds", path)
    thresholds: dict[Level, Any] = {}
    for star in STAR_LEVELS:
        where = path + ".thresholds." + star.value
        value = _get(raw, star.value, path + ".thresholds")
        if value is None:
            thresholds[star] = None
        elif test == "is_true":
            if value is not True:
                raise _table_error(where, "must be true or null")
            thresholds[star] = True
        elif test == "rank_at_least":
            if value not in scale:
                raise _table_error(where, "must be one of the scale or null")
            thresholds[star] = value
        else:
            thresholds[star] = to_decimal(value, "rule table: " + where)
    return _RowTest(input=name, test=test, thresholds=MappingProxyType(thresholds), scale=scale)


def _read_row(data: Mapping[str, Any], path: str) -> _Row:
    zones = data.get("climate_zones")
    return _Row(
        key=_str(data, "key", path),
        title=_str(data, "title", path),
        clause=_str(data, "clause", path),
        confidence=_confidence(data, path),
        building_types=frozenset(
            _enum(BuildingType, value, path + ".building_types") for value in _list(data, "building_types", path)
        ),
        climate_zones=None
        if zones is None
        else frozenset(_enum(ClimateZone, value, path + ".climate_zones") for value in zones),
        any_of=tuple(
            _read_row_test(test, "{}.any_of[{}]".format(path, index))
            for index, test in enumerate(_list(data, "any_of", path))
        ),
    )


def _read_control_item(data: Mapping[str, Any], path: str) -> _ControlItem:
    return _ControlItem(
        clause=_str(data, "clause", path),
        title=_str(data, "title", path),
        category=_str(data, "category", path),
        confidence=_confidence(data, path),
    )


def _read_scored_item(data: Mapping[str, Any], path: str) -> _ScoredItem:
    operation_only = _get(data, "operation_only", path)
    if not isinstance(operation_only, bool):
        raise _table_error(path + ".operation_only", "must be true or false")
    return _ScoredItem(
        clause=_str(data, "clause", path),
        title=_str(data, "title", path),
        category=_str(data, "category", path),
        sub_section=_str(data, "sub_section", path),
        maximum=_num(data, "maximum", path),
        operation_only=operation_only,
        confidence=_confidence(data, path),
    )


def _read_bonus_item(data: Mapping[str, Any], path: str) -> _BonusItem:
    return _BonusItem(
        clause=_str(data, "clause", path),
        title=_str(data, "title", path),
        maximum=_num(data, "maximum", path),
        confidence=_confidence(data, path),
    )


def _read_items(data: Mapping[str, Any], key: str, read: Callable[[Mapping[str, Any], str], _Item]) -> dict[str, _Item]:
    """One table of clauses, keyed by clause number in the table's order; duplicates refused."""
    items: dict[str, _Item] = {}
    for index, raw in enumerate(_list(data, key, "")):
        item = read(raw, "{}[{}]".format(key, index))
        if item.clause in items:
            raise _table_error(key, "clause {} appears twice".format(item.clause))
        items[item.clause] = item
    return items


def _read_tables(ruleset: RuleSet) -> _Tables:
    """Check a GB/T 50378 rule table and turn it into typed tables; errors name the table path."""
    data = ruleset.data
    if data.get("engine") != ENGINE:
        raise _table_error("engine", "is {!r}, not {!r}".format(data.get("engine"), ENGINE))

    formula = _get(data, "score_formula", "")
    categories = tuple(
        _read_category(item, "categories[{}]".format(index)) for index, item in enumerate(_list(data, "categories", ""))
    )
    category_keys = {category.key for category in categories}
    if len(category_keys) != len(categories):
        raise _table_error("categories", "keys must be unique")

    bonus_data = _get(data, "bonus", "")
    cap = _num(bonus_data, "cap", "bonus")
    bonus = _Category(
        key=_str(bonus_data, "key", "bonus"),
        chapter=_str(bonus_data, "chapter", "bonus"),
        title=_str(bonus_data, "title", "bonus"),
        maxima=MappingProxyType(dict.fromkeys(Stage, cap)),
        clause=_str(bonus_data, "clause", "bonus"),
        confidence=_confidence(bonus_data, "bonus"),
    )

    levels: dict[Level, _LevelRule] = {}
    min_totals: dict[Level, Decimal] = {}
    for index, item in enumerate(_list(data, "levels", "")):
        path = "levels[{}]".format(index)
        level = _enum(Level, _get(item, "level", path), path + ".level")
        levels[level] = _LevelRule(
            level=level,
            title=_str(item, "title", path),
            clause=_str(item, "clause", path),
            confidence=_confidence(item, path),
        )
        if level in STAR_LEVELS:
            min_totals[level] = _num(item, "min_total", path)
    if set(levels) != set(Level):
        raise _table_error("levels", "must list none, basic, one_star, two_star and three_star")

    control_items = _read_items(data, "control_items", _read_control_item)
    scored_items = _read_items(data, "scored_items", _read_scored_item)
    bonus_items = _read_items(data, "bonus_items", _read_bonus_item)
    for clause, category in [
        *((c.clause, c.category) for c in control_items.values()),
        *((c.clause, c.category) for c in scored_items.values()),
    ]:
        if category not in category_keys:
            raise _table_error(clause, "unknown category {!r}".format(category))

    floor = _get(data, "category_floor", "")
    decoration = _get(data, "full_decoration", "")
    defaults = _get(data, "star_requirement_defaults", "")
    return _Tables(
        standard=ruleset.standard,
        base_points=_num(formula, "control_item_base_points", "score_formula"),
        divisor=_num(formula, "divisor", "score_formula"),
        formula_clause=_str(formula, "clause", "score_formula"),
        formula_confidence=_confidence(formula, "score_formula"),
        categories=categories,
        bonus=bonus,
        floor_pct=_num(floor, "percent_of_maximum", "category_floor"),
        floor_clause=_str(floor, "clause", "category_floor"),
        floor_confidence=_confidence(floor, "category_floor"),
        full_decoration_levels=frozenset(
            _enum(Level, value, "full_decoration.required_for")
            for value in _get(decoration, "required_for", "full_decoration")
        ),
        full_decoration_clause=_str(decoration, "clause", "full_decoration"),
        full_decoration_confidence=_confidence(decoration, "full_decoration"),
        levels=MappingProxyType(levels),
        min_totals=MappingProxyType(min_totals),
        default_climate_zone=_enum(
            ClimateZone,
            _get(defaults, "climate_zone", "star_requirement_defaults"),
            "star_requirement_defaults.climate_zone",
        ),
        rows=tuple(
            _read_row(row, "table_3_2_8[{}]".format(index)) for index, row in enumerate(_list(data, "table_3_2_8", ""))
        ),
        control_items=MappingProxyType(control_items),
        scored_items=MappingProxyType(scored_items),
        bonus_items=MappingProxyType(bonus_items),
    )


# Rule tables are read once per RuleSet object. RuleSet holds a dict, so it cannot be a dict key;
# the cache keeps the RuleSet alive beside its tables, so its id() cannot be reused meanwhile.
_TABLES_CACHE: dict[int, tuple[RuleSet, _Tables]] = {}
_TABLES_CACHE_SIZE = 32


def _tables(ruleset: RuleSet) -> _Tables:
    cached = _TABLES_CACHE.get(id(ruleset))
    if cached is not None and cached[0] is ruleset:
        return cached[1]
    tables = _read_tables(ruleset)
    if len(_TABLES_CACHE) >= _TABLES_CACHE_SIZE:
        _TABLES_CACHE.clear()
    _TABLES_CACHE[id(ruleset)] = (ruleset, tables)
    return tables


# --------------------------------------------------------------------------------------------
# Parsing the JSON input contract
# --------------------------------------------------------------------------------------------

_TOP_LEVEL_KEYS = frozenset(
    {
        "edition",
        "stage",
        "building_type",
        "control_items",
        "scored_items",
        "bonus_items",
        "full_decoration",
        "star_requirements",
    }
)
_PCT_FIELDS = frozenset(name for name, kind in _ROW_INPUT_KINDS.items() if kind == "number") - {"water_fixture_grade"}
_WATER_GRADES = frozenset({1, 2, 3})  # the grades GB 25501 and sister standards define


def _choice(kind: type[Any], value: Any, field: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise StandardsInputError(field, msg("input.one_of", allowed=allowed, value=str(value))) from None


def _mapping(data: Mapping[str, Any], key: str, *, required: bool) -> Mapping[str, Any]:
    if key not in data:
        if required:
            raise StandardsInputError(key, msg("input.required"))
        return {}
    value = data[key]
    if not isinstance(value, Mapping):
        raise StandardsInputError(key, msg("input.not_clause_map"))
    for clause in value:
        if not isinstance(clause, str):
            raise StandardsInputError(key, msg("input.clause_not_string", value=repr(clause)[1:-1]))
    return value


def _claims(data: Mapping[str, Any], key: str) -> Mapping[str, Decimal]:
    """Claimed points per clause: numbers >= 0 (D1); the maximum is checked against the table."""
    claims: dict[str, Decimal] = {}
    for clause, value in _mapping(data, key, required=False).items():
        field = "{}[{}]".format(key, clause)
        points = to_decimal(value, field)
        if points < ZERO:
            raise StandardsInputError(field, msg("gbt50378.claim.negative"))
        claims[clause] = points
    return MappingProxyType(claims)


def _control_items(data: Mapping[str, Any]) -> Mapping[str, bool]:
    results: dict[str, bool] = {}
    for clause, value in _mapping(data, "control_items", required=True).items():
        if not isinstance(value, bool):
            raise StandardsInputError("control_items[{}]".format(clause), msg("gbt50378.input.control_bool"))
        results[clause] = value
    return MappingProxyType(results)


def _percent(value: Any, field: str) -> Decimal | None:
    if value is None:
        return None
    pct = to_decimal(value, field)
    if not ZERO <= pct <= HUNDRED:
        raise StandardsInputError(field, msg("input.not_percentage"))
    return pct


def _star_requirements(data: Mapping[str, Any]) -> StarRequirements:
    raw = _mapping(data, "star_requirements", required=False)
    known = {item.name for item in dataclasses.fields(StarRequirements)}
    for key in raw:
        if key not in known:
            raise StandardsInputError("star_requirements.{}".format(key), msg("input.unknown_field"))

    def field(name: str) -> str:
        return "star_requirements." + name

    values: dict[str, Any] = {name: _percent(raw.get(name), field(name)) for name in _PCT_FIELDS}

    grade = raw.get("water_fixture_grade")
    if grade is not None:
        number = to_decimal(grade, field("water_fixture_grade"))
        if number not in _WATER_GRADES:
            raise StandardsInputError(field("water_fixture_grade"), msg("gbt50378.input.water_grade"))
        grade = int(number)
    values["water_fixture_grade"] = grade

    airtight = raw.get("window_airtightness")
    if airtight is not None and not isinstance(airtight, bool):
        raise StandardsInputError(field("window_airtightness"), msg("gbt50378.input.airtightness"))
    values["window_airtightness"] = airtight

    for name, kind in (("sound_insulation", SoundInsulation), ("climate_zone", ClimateZone)):
        value = raw.get(name)
        values[name] = None if value is None else _choice(kind, value, field(name))
    return StarRequirements(**values)


def parse_inputs(data: Mapping[str, Any], *, ruleset: RuleSet | None = None) -> Gbt50378Inputs:
    """Validate the ``gbt50378`` JSON input contract (issue 3) and build the inputs.

    Checks the shape and types, refuses negative claims, and checks every clause against the
    edition's rule table (``ruleset``, by default the bundled table of ``edition``): unknown
    clauses, claims above a clause maximum, missing control items (D1) and operation-only items at
    pre-evaluation (D6) are refused with a :class:`StandardsInputError` naming the clause.
    """
    if not isinstance(data, Mapping):
        raise StandardsInputError("input", msg("input.not_object"))
    for key in data:
        if key not in _TOP_LEVEL_KEYS:
            raise StandardsInputError(str(key), msg("input.unknown_field"))

    edition = data.get("edition", DEFAULT_EDITION)
    if not isinstance(edition, str) or not edition:
        raise StandardsInputError("edition", msg("edition.example", example=DEFAULT_EDITION))
    if "stage" not in data:
        raise StandardsInputError("stage", msg("input.required"))
    if "building_type" not in data:
        raise StandardsInputError("building_type", msg("input.required"))
    full_decoration = data.get("full_decoration")
    if not isinstance(full_decoration, bool):
        raise StandardsInputError("full_decoration", msg("gbt50378.input.full_decoration"))

    inputs = Gbt50378Inputs(
        edition=edition,
        stage=_choice(Stage, data["stage"], "stage"),
        building_type=_choice(BuildingType, data["building_type"], "building_type"),
        control_items=_control_items(data),
        scored_items=_claims(data, "scored_items"),
        bonus_items=_claims(data, "bonus_items"),
        full_decoration=full_decoration,
        star_requirements=_star_requirements(data),
    )
    _check_against_tables(inputs, _tables(_ruleset_for(edition, ruleset)))
    return inputs


def _ruleset_for(edition: str, ruleset: RuleSet | None) -> RuleSet:
    """The given rule table, which must be the input's edition, or the bundled one for it."""
    if ruleset is None:
        return bundled_ruleset(edition)
    if edition != ruleset.edition and edition not in ruleset.data.get("aliases", []):
        raise StandardsInputError("edition", msg("edition.mismatch", edition=edition, table=ruleset.edition))
    return ruleset


def _check_against_tables(inputs: Gbt50378Inputs, tables: _Tables) -> None:
    """D1 and D6 against the edition's clause list; raises on the first offending clause."""
    for clause in inputs.control_items:
        if clause not in tables.control_items:
            raise StandardsInputError("control_items[{}]".format(clause), msg("gbt50378.claim.unknown_control"))
    for clause in tables.control_items:
        if clause not in inputs.control_items:
            raise StandardsInputError("control_items[{}]".format(clause), msg("gbt50378.claim.missing_control"))
    for key, items, claims in (
        ("scored_items", tables.scored_items, inputs.scored_items),
        ("bonus_items", tables.bonus_items, inputs.bonus_items),
    ):
        for clause, points in claims.items():
            field = "{}[{}]".format(key, clause)
            item = items.get(clause)
            if item is None:
                raise StandardsInputError(field, msg("gbt50378.claim.unknown_clause"))
            if points < ZERO:
                raise StandardsInputError(field, msg("gbt50378.claim.negative"))
            if points > item.maximum:
                raise StandardsInputError(
                    field, msg("gbt50378.claim.above_maximum", claimed=_fmt(points), maximum=_fmt(item.maximum))
                )
            if isinstance(item, _ScoredItem) and item.operation_only and inputs.stage is Stage.PRE_EVALUATION:
                raise StandardsInputError(field, msg("gbt50378.claim.operation_only"))


# --------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------


def evaluate(inputs: Gbt50378Inputs, ruleset: RuleSet | None = None) -> Gbt50378Result:
    """Rate one scorecard against an edition's rule table (default: the bundled one).

    The result carries the edition and rule-table version it was computed with, every per-clause
    finding, the level's conditions and what blocks the next level.
    """
    ruleset = _ruleset_for(inputs.edition, ruleset)
    tables = _tables(ruleset)
    _check_against_tables(inputs, tables)
    return _Evaluation(inputs, tables).result(ruleset)


class _Evaluation:
    """The arithmetic of one evaluation; each step records its findings in order."""

    def __init__(self, inputs: Gbt50378Inputs, tables: _Tables) -> None:
        self.inputs = inputs
        self.tables = tables
        self.stage = inputs.stage
        self.findings: list[Finding] = []

    # -- 控制项 ------------------------------------------------------------------------------

    def control_items(self) -> tuple[Condition, ...]:
        """Every control item as a finding; returns the failing ones as conditions (3.2.7)."""
        failing: list[Condition] = []
        for item in self.tables.control_items.values():
            passed = self.inputs.control_items[item.clause]
            self.findings.append(
                Finding(
                    clause=item.clause,
                    title=item.title,
                    reason=msg("gbt50378.control.met" if passed else "gbt50378.control.not_met"),
                    passed=passed,
                    confidence=item.confidence,
                )
            )
            if not passed:
                failing.append(
                    Condition(
                        key="control:" + item.clause,
                        clause=item.clause,
                        description=msg("gbt50378.condition.control", clause=item.clause, title=item.title),
                        passed=False,
                        confidence=item.confidence,
                    )
                )
        return tuple(failing)

    # -- 评分项 and 加分项 ----------------------------------------------------------------------

    def _claimable(self, item: _ScoredItem) -> bool:
        return not (item.operation_only and self.stage is Stage.PRE_EVALUATION)

    def category_scores(self) -> dict[str, Decimal]:
        """Q1..Q5: the sum of claims per category, capped at the stage maximum (table 3.2.4, D1)."""
        scores: dict[str, Decimal] = {}
        for category in self.tables.categories:
            claimed = ZERO
            for item in self.tables.scored_items.values():
                if item.category != category.key:
                    continue
                if not self._claimable(item):
                    self.findings.append(
                        Finding(
                            clause=item.clause,
                            title=item.title,
                            reason=msg("gbt50378.points.operation_only"),
                            maximum=item.maximum,
                            confidence=item.confidence,
                        )
                    )
                    continue
                points = self.inputs.scored_items.get(item.clause, ZERO)
                claimed += points
                self.findings.append(self._points_finding(item, points))
            scores[category.key] = self._capped(category, claimed)
        return scores

    def bonus_score(self) -> Decimal:
        """QA: the sum of the bonus claims, taken as the cap when larger (9.1.2)."""
        claimed = ZERO
        for item in self.tables.bonus_items.values():
            points = self.inputs.bonus_items.get(item.clause, ZERO)
            claimed += points
            self.findings.append(self._points_finding(item, points))
        return self._capped(self.tables.bonus, claimed)

    @staticmethod
    def _points_finding(item: _ScoredItem | _BonusItem, points: Decimal) -> Finding:
        if points == ZERO:
            reason = msg("gbt50378.points.not_claimed", maximum=_fmt(item.maximum))
        else:
            reason = msg("gbt50378.points.claimed", points=_fmt(points), maximum=_fmt(item.maximum))
        return Finding(
            clause=item.clause,
            title=item.title,
            reason=reason,
            awarded=points,
            maximum=item.maximum,
            confidence=item.confidence,
        )

    def _capped(self, category: _Category, claimed: Decimal) -> Decimal:
        maximum = category.maxima[self.stage]
        score = min(claimed, maximum)
        floor: dict[str, Any] = {}
        if category.key != self.tables.bonus.key:
            floor = {"floor_pct": _fmt(self.tables.floor_pct), "floor": _fmt(self._floor(category))}
        suffix = "_floor" if floor else ""
        if claimed > maximum:
            reason = msg(
                "gbt50378.category.capped" + suffix,
                claimed=_fmt(claimed),
                maximum=_fmt(maximum),
                clause=category.clause,
                **floor,
            )
        else:
            reason = msg("gbt50378.category.sum" + suffix, score=_fmt(score), maximum=_fmt(maximum), **floor)
        title = msg("gbt50378.title.category", title=category.title, category=category.key)
        self.findings.append(
            Finding(
                clause="{}.2".format(category.chapter),
                title=str(title.text),
                title_message=title,
                reason=reason,
                awarded=score,
                maximum=maximum,
                confidence=category.confidence,
            )
        )
        return score

    def _floor(self, category: _Category) -> Decimal:
        """30 % of the category maximum at the stage (3.2.8): 30/30/30/60/30, 21 for 生活便利 at 预评价."""
        return category.maxima[self.stage] * self.tables.floor_pct / HUNDRED

    # -- level --------------------------------------------------------------------------------

    def total_score(self, points: Decimal) -> Decimal:
        """Q = (Q0 + ΣQi + QA) / 10 (3.2.5), exact; compared unrounded with 60/70/85 (D2)."""
        tables = self.tables
        total = (tables.base_points + points) / tables.divisor
        all_points = sum((c.maxima[self.stage] for c in (*tables.categories, tables.bonus)), ZERO)
        self.findings.append(
            Finding(
                clause=tables.formula_clause,
                title="总得分 Q",
                title_message=msg("gbt50378.title.total"),
                reason=msg(
                    "gbt50378.total",
                    base=_fmt(tables.base_points),
                    points=_fmt(points),
                    divisor=_fmt(tables.divisor),
                    total=_fmt(total),
                ),
                awarded=total,
                maximum=(tables.base_points + all_points) / tables.divisor,
                confidence=tables.formula_confidence,
            )
        )
        return total

    def star_check(self, star: Level, scores: Mapping[str, Decimal], points: Decimal, total: Decimal) -> StarCheck:
        """Every condition of one star (3.2.8 and table 3.2.8), each judged on its own (D3)."""
        tables = self.tables
        rule = tables.levels[star]
        conditions: list[Condition] = []
        for category in tables.categories:
            floor = self._floor(category)
            score = scores[category.key]
            conditions.append(
                Condition(
                    key="floor:" + category.key,
                    clause=tables.floor_clause,
                    description=msg(
                        "gbt50378.condition.floor",
                        title=category.title,
                        category=category.key,
                        score=_fmt(score),
                        floor=_fmt(floor),
                        floor_pct=_fmt(tables.floor_pct),
                        maximum=_fmt(category.maxima[self.stage]),
                    ),
                    passed=score >= floor,
                    points_short=max(ZERO, floor - score),
                    confidence=tables.floor_confidence,
                )
            )
        if star in tables.full_decoration_levels:
            conditions.append(
                Condition(
                    key="full_decoration",
                    clause=tables.full_decoration_clause,
                    description=msg(
                        "gbt50378.condition.full_decoration"
                        if self.inputs.full_decoration
                        else "gbt50378.condition.full_decoration_missing"
                    ),
                    passed=self.inputs.full_decoration,
                    confidence=tables.full_decoration_confidence,
                )
            )
        min_total = tables.min_totals[star]
        needed_points = min_total * tables.divisor - tables.base_points
        conditions.append(
            Condition(
                key="total",
                clause=rule.clause,
                description=msg("gbt50378.condition.total", total=_fmt(total), minimum=_fmt(min_total)),
                passed=total >= min_total,
                points_short=max(ZERO, needed_points - points),
                confidence=rule.confidence,
            )
        )
        conditions.extend(self._row_conditions(star))
        return StarCheck(level=star, title=rule.title, conditions=tuple(conditions))

    def _row_conditions(self, star: Level) -> list[Condition]:
        """Table 3.2.8 rows that apply to this building at this star (D4, D5)."""
        requirements = self.inputs.star_requirements
        zone = requirements.climate_zone or self.tables.default_climate_zone
        conditions: list[Condition] = []
        for row in self.tables.rows:
            if self.inputs.building_type not in row.building_types:
                continue
            if row.climate_zones is not None and zone not in row.climate_zones:
                continue
            tests = [test for test in row.any_of if test.thresholds[star] is not None]
            if not tests:
                continue
            outcomes = [self._row_test(test, star) for test in tests]
            conditions.append(
                Condition(
                    key="table_3_2_8:" + row.key,
                    clause=row.clause,
                    description=msg(
                        "gbt50378.condition.row", title=row.title, row=row.key, tests=[test for _, test in outcomes]
                    ),
                    passed=any(passed for passed, _ in outcomes),
                    confidence=row.confidence,
                )
            )
        return conditions

    def _row_test(self, test: _RowTest, star: Level) -> tuple[bool, Message]:
        value = getattr(self.inputs.star_requirements, test.input)
        threshold = test.thresholds[star]
        shown = None if value is None else _fmt(value)
        if test.test == "at_least":
            passed = value is not None and value >= threshold
            text = msg("gbt50378.row.at_least", requirement=test.input, value=shown, threshold=_fmt(threshold))
        elif test.test == "at_most":
            passed = value is not None and value <= threshold
            text = msg("gbt50378.row.at_most", requirement=test.input, value=shown, threshold=_fmt(threshold))
        elif test.test == "is_true":
            passed = value is True
            text = msg("gbt50378.row.is_true", requirement=test.input, value=value)
        else:  # rank_at_least
            passed = value is not None and test.scale.index(value) >= test.scale.index(threshold)
            text = msg("gbt50378.row.rank_at_least", requirement=test.input, value=shown, threshold=str(threshold))
        return passed, text

    # -- next level -----------------------------------------------------------------------------

    def room(self, scores: Mapping[str, Decimal], bonus: Decimal) -> tuple[dict[str, Decimal], Decimal]:
        """How many more points (分) each category, and QA, can still take within the clause maxima."""
        per_category: dict[str, Decimal] = {}
        for category in self.tables.categories:
            unclaimed = sum(
                (
                    item.maximum - self.inputs.scored_items.get(item.clause, ZERO)
                    for item in self.tables.scored_items.values()
                    if item.category == category.key and self._claimable(item)
                ),
                ZERO,
            )
            per_category[category.key] = min(unclaimed, category.maxima[self.stage] - scores[category.key])
        unclaimed_bonus = sum(
            (
                item.maximum - self.inputs.bonus_items.get(item.clause, ZERO)
                for item in self.tables.bonus_items.values()
            ),
            ZERO,
        )
        return per_category, min(unclaimed_bonus, self.tables.bonus.maxima[self.stage] - bonus)

    def fewest_extra_points(self, check: StarCheck, room: Mapping[str, Decimal], bonus_room: Decimal) -> Decimal | None:
        """The fewest extra claimed points that meet the star's floors and total, or None if impossible.

        Each category short of its floor needs its shortfall inside that category; every point counts
        towards the total. So the answer is max(Σ floor shortfalls, total shortfall), provided each
        category has room for its shortfall and all categories plus QA have room for the total.
        """
        floor_short = ZERO
        total_short = ZERO
        for condition in check.conditions:
            if condition.key.startswith("floor:"):
                shortfall = condition.points_short or ZERO
                if shortfall > room[condition.key.removeprefix("floor:")]:
                    return None
                floor_short += shortfall
            elif condition.key == "total":
                total_short = condition.points_short or ZERO
        if total_short > sum(room.values(), ZERO) + bonus_room:
            return None
        return max(floor_short, total_short)

    # -- the result ------------------------------------------------------------------------------

    def result(self, ruleset: RuleSet) -> Gbt50378Result:
        tables = self.tables
        failing_controls = self.control_items()
        scores = self.category_scores()
        bonus = self.bonus_score()
        points = sum(scores.values(), ZERO) + bonus

        total: Decimal | None = None
        checks: tuple[StarCheck, ...] = ()
        if failing_controls:
            level = Level.NONE
        else:
            total = self.total_score(points)
            checks = tuple(self.star_check(star, scores, points, total) for star in STAR_LEVELS)
            passed = [check.level for check in checks if check.passed]
            level = passed[-1] if passed else Level.BASIC
            for check in checks:
                if check.passed:
                    reason = msg("gbt50378.level.met")
                else:
                    reason = msg("gbt50378.level.not_met", conditions=[c.message for c in check.failing])
                rule = tables.levels[check.level]
                self.findings.append(
                    Finding(
                        clause=rule.clause,
                        title=check.title,
                        title_message=msg("gbt50378.title.level", title=check.title, level=check.level.value),
                        reason=reason,
                        passed=check.passed,
                        confidence=rule.confidence,
                    )
                )

        next_level: Level | None = None
        blockers: tuple[Condition, ...] = ()
        extra: Decimal | None = None
        if level is Level.NONE:
            next_level, blockers, extra = Level.BASIC, failing_controls, ZERO
        elif level is not Level.THREE_STAR:
            next_level = list(Level)[level.rank + 1]
            check = next(check for check in checks if check.level is next_level)
            blockers = check.failing
            room, bonus_room = self.room(scores, bonus)
            extra = self.fewest_extra_points(check, room, bonus_room)

        explanation = _explain(level, tables.levels[level].title, total, next_level, blockers, extra, tables)
        category_scores = dict(scores)
        category_scores[tables.bonus.key] = bonus
        maxima = {category.key: category.maxima[self.stage] for category in (*tables.categories, tables.bonus)}
        titles = {category.key: category.title for category in (*tables.categories, tables.bonus)}
        return Gbt50378Result(
            standard=tables.standard,
            edition=ruleset.edition,
            ruleset_version=ruleset.version,
            engine=ENGINE,
            engine_version=ENGINE_VERSION,
            stage=self.stage,
            building_type=self.inputs.building_type,
            level=level,
            level_title=tables.levels[level].title,
            total_score=total,
            category_scores=MappingProxyType(category_scores),
            category_maxima=MappingProxyType(maxima),
            category_titles=MappingProxyType(titles),
            control_items_passed=not failing_controls,
            star_checks=checks,
            next_level=next_level,
            next_level_title=None if next_level is None else tables.levels[next_level].title,
            blockers=blockers,
            extra_points_needed=extra,
            explanation=_explanation_text(explanation),
            findings=tuple(self.findings),
            explanation_messages=explanation,
        )


def _explain(
    level: Level,
    title: str,
    total: Decimal | None,
    next_level: Level | None,
    blockers: tuple[Condition, ...],
    extra: Decimal | None,
    tables: _Tables,
) -> tuple[Message, ...]:
    """A plain-language account of the level and of what blocks the next one, line by line."""
    if level is Level.NONE:
        clauses = ", ".join(blocker.clause for blocker in blockers)
        basic = tables.levels[Level.BASIC]
        return (
            msg(
                "gbt50378.explain.none",
                title=title,
                level=level.value,
                clauses=clauses,
                basic_title=basic.title,
                basic_level=Level.BASIC.value,
                basic_clause=basic.clause,
            ),
        )
    head = msg("gbt50378.explain.head", title=title, level=level.value, total=_fmt(total))
    if next_level is None:
        return (head, msg("gbt50378.explain.highest"))
    next_title = tables.levels[next_level].title
    lines = [head, msg("gbt50378.explain.blocked_by", title=next_title, level=next_level.value)]
    for blocker in blockers:
        if blocker.points_short is None:
            lines.append(msg("gbt50378.explain.blocker_not_points", condition=blocker.message, clause=blocker.clause))
        else:
            lines.append(
                msg(
                    "gbt50378.explain.blocker_points",
                    condition=blocker.message,
                    clause=blocker.clause,
                    points=_fmt(blocker.points_short),
                )
            )
    if extra is None:
        lines.append(msg("gbt50378.explain.no_room"))
    elif extra > ZERO:
        lines.append(msg("gbt50378.explain.fewest", points=_fmt(extra), q=_fmt(extra / tables.divisor)))
    if any(blocker.points_short is None for blocker in blockers):
        lines.append(msg("gbt50378.explain.not_points_alone"))
    return tuple(lines)


def _explanation_text(lines: tuple[Message, ...]) -> str:
    """The English explanation of the CLI and the JSON ``explanation`` (the highest-level note
    stays on the first line, as before message codes)."""
    if len(lines) == 2 and lines[1].code == "gbt50378.explain.highest":
        return "{} {}".format(lines[0].text, lines[1].text)
    return "\n".join(line.text for line in lines)


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def _fmt(value: Any) -> str:
    """Decimals without exponent or trailing zeros (70, 69.9, 69.95); other values as text."""
    if isinstance(value, Decimal):
        text = format(value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    return str(value)


def _json_number(value: Decimal | None) -> int | float | None:
    """A JSON number with the same decimal text: int when integral, else the shortest float."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(_fmt(value))


def _condition_to_dict(condition: Condition) -> dict[str, Any]:
    return {
        "key": condition.key,
        "clause": condition.clause,
        "description": str(condition.description),
        "passed": condition.passed,
        "points_short": _json_number(condition.points_short),
        "confidence": condition.confidence.value,
        **condition.message.to_dict(),
    }


def result_to_dict(result: Gbt50378Result) -> dict[str, Any]:
    """The JSON-safe ``--json`` output of issue 3 (``level``, ``total_score``, ``category_scores`` ...)."""
    return {
        "engine": result.engine,
        "engine_version": result.engine_version,
        "standard": result.standard,
        "edition": result.edition,
        "ruleset_version": result.ruleset_version,
        "stage": result.stage.value,
        "building_type": result.building_type.value,
        "level": result.level.value,
        "level_title": result.level_title,
        "total_score": _json_number(result.total_score),
        "category_scores": {key: _json_number(value) for key, value in result.category_scores.items()},
        "category_maxima": {key: _json_number(value) for key, value in result.category_maxima.items()},
        "control_items_passed": result.control_items_passed,
        "star_checks": [
            {
                "level": check.level.value,
                "title": check.title,
                "passed": check.passed,
                "conditions": [_condition_to_dict(condition) for condition in check.conditions],
            }
            for check in result.star_checks
        ],
        "next_level": None if result.next_level is None else result.next_level.value,
        "blockers": [_condition_to_dict(condition) for condition in result.blockers],
        "extra_points_needed": _json_number(result.extra_points_needed),
        "explanation": result.explanation,
        "explanation_messages": [line.to_dict() for line in result.explanation_messages],
        "findings": [
            {
                "clause": finding.clause,
                "title": finding.title,
                "reason": str(finding.reason),
                "awarded": _json_number(finding.awarded),
                "maximum": _json_number(finding.maximum),
                "passed": finding.passed,
                "confidence": finding.confidence.value,
                **message_fields(finding),
            }
            for finding in result.findings
        ],
    }


def render_table(result: Gbt50378Result) -> str:
    """A plain-text summary for a terminal: category scores, total, level, failing rows, explanation."""
    row = "{:<20} {:>8} {:>8}  {}"
    lines = [
        "{} ({}, {}), rule table {}, engine {} {}".format(
            result.edition,
            result.stage.value,
            result.building_type.value,
            result.ruleset_version,
            result.engine,
            result.engine_version,
        ),
        "",
        row.format("category", "points", "max", ""),
        "-" * 50,
    ]
    for key, score in result.category_scores.items():
        maximum = result.category_maxima[key]
        lines.append(row.format(key, _fmt(score), _fmt(maximum), result.category_titles[key]))
    lines.append("-" * 50)
    total = "-" if result.total_score is None else _fmt(result.total_score)
    lines.append(row.format("total Q", total, "", "unrounded (D2)"))
    lines.append("{:<20} {} ({})".format("level", result.level.value, result.level_title))
    failing = [(result.level_title, c) for c in result.blockers if result.level is Level.NONE]
    failing += [(check.title, c) for check in result.star_checks for c in check.failing]
    if failing:
        lines.extend(["", "Conditions not met:"])
        for title, condition in failing:
            lines.append("  {:<6} [{}] {}".format(title, condition.clause, condition.description))
    lines.extend(["", result.explanation])
    return "\n".join(line.rstrip() for line in lines)
