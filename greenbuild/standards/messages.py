"""Stable message codes for everything an engine says: findings, conditions, explanations, refusals.

Every sentence an engine writes is a :class:`Message`: a stable ``code`` and its ``params``. The
engine keeps writing English for the CLI (``Message.text``, from the English template below), and
the platform renders the same code through its translation catalogues
(``greenbuild/scoring/messages.py``), so no English sentence reaches the Chinese UI.

Each code is defined once, here, with its English template (``str.format`` syntax) and the
**kind** of each parameter. The kind tells a renderer how to show the value:

* ``number`` and ``text``: shown as given (numbers are passed already formatted, e.g. ``"69.95"``;
  text is language-neutral: units, formulas, field paths, ASCII clause numbers);
* ``user``: text the user entered (a unit, an item type), shown as entered, in any language;
* ``clause``: a clause reference from a rule table, which may hold Chinese (``表3.2.8``); the
  platform shows it through its clause labels;
* ``title``: a title quoted from a rule table (Chinese); a translation may leave it out;
* ``detail``: an English-only detail for the CLI (rule-table diagnostics); translations leave it out;
* ``message`` / ``messages``: a nested message, or a list of them;
* every other kind is a **code** with a translated label in the platform (``level``, ``grade``,
  ``requirement``, ...), or a list of codes when the value is a list.

``None`` as a value means "not given". Adding a code: :func:`define` it below, use it with
:func:`msg` in the engine, and add its translatable template in ``scoring/messages.py`` (a test
fails on a code without one); see docs/standards.md, "Message codes".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

__all__ = ["CODE_KINDS", "PLAIN_KINDS", "REGISTRY", "CodedText", "Message", "MessageSpec", "define", "msg"]

#: Kinds shown as given (or left out) rather than through a label table.
PLAIN_KINDS = frozenset({"number", "text", "user", "clause", "title", "detail", "message", "messages"})

#: Kinds whose values are codes with translated labels in the platform.
CODE_KINDS = frozenset(
    {
        "level",  # GB/T 50378 level: none, basic, one_star, two_star, three_star
        "stage",  # GB/T 50378 stage: pre_evaluation, evaluation
        "category",  # GB/T 50378 category key (safety_durability ...; bonus)
        "requirement",  # a star_requirements input of table 3.2.8 (water_fixture_grade ...)
        "row",  # a row of table 3.2.8 (envelope_or_load ...)
        "sound",  # sound insulation: none, average, high
        "flag",  # true / false / null
        "yes_no",  # true / false / null, read as yes / no / not given
        "structure",  # GB/T 51129 structure: concrete, steel, timber
        "item",  # a GB/T 51129 item (vertical_members ... full_decoration)
        "group",  # a GB/T 51129 group: q1 .. q4
        "grade",  # GB/T 51129 grade: none, A, AA, AAA
        "prefab_condition",  # a GB/T 51129 condition of clause 3.0.3 (q1_minimum ...)
        "waste_category",  # a waste category of the construction-waste rule table
        "material_group",  # a green-material group (main_structure_envelope ...)
        "transport_class",  # carbon transport class: concrete, other
        "bim_stage",  # design, production, construction
        "rule_title",  # the title of a rule-table entry (waste.intensity, carbon.a4 ...)
        "carrier",  # a site energy carrier: electricity, diesel, gasoline, natural_gas
        "field",  # an input field name (gross_floor_area_m2 ...); paths are "text"
    }
)

ParamValue = Any  # str | int | bool | None | list[str] | Message | list[Message]


@dataclass(frozen=True)
class MessageSpec:
    """One message code: its English template and the kind of each parameter."""

    code: str
    english: str
    params: Mapping[str, str]


#: Every message code an engine can emit, by code.
REGISTRY: dict[str, MessageSpec] = {}


def define(code: str, english: str, **params: str) -> str:
    """Register a message code (once); returns the code."""
    if code in REGISTRY:
        raise ValueError("message code {} is defined twice".format(code))
    for name, kind in params.items():
        if kind not in PLAIN_KINDS | CODE_KINDS:
            raise ValueError("message code {}: parameter {} has unknown kind {}".format(code, name, kind))
    REGISTRY[code] = MessageSpec(code, english, MappingProxyType(dict(params)))
    return code


def _english(value: ParamValue, kind: str) -> str:
    if isinstance(value, Message):
        return value.text
    if isinstance(value, list | tuple):
        separator = "; " if kind == "messages" else ", "
        return separator.join(_english(item, kind) for item in value) or "none"
    if value is None:
        return "not given"
    if isinstance(value, bool):
        if kind == "flag":
            return "true" if value else "false"
        return "yes" if value else "no"
    return str(value)


def _json_safe(value: ParamValue) -> Any:
    if isinstance(value, Message):
        return value.to_dict()
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value


@dataclass(frozen=True)
class Message:
    """One thing an engine says: a stable code and its parameters."""

    code: str
    params: Mapping[str, ParamValue]

    @property
    def spec(self) -> MessageSpec:
        return REGISTRY[self.code]

    @property
    def text(self) -> str:
        """The English text (CLI and JSON ``reason``/``description``/``explanation`` fields)."""
        spec = self.spec
        values = {name: _english(self.params[name], kind) for name, kind in spec.params.items()}
        return CodedText(spec.english.format(**values), self)

    def to_dict(self) -> dict[str, Any]:
        """``{"code": ..., "params": {...}}``, JSON-safe (nested messages as dicts too)."""
        return {"code": self.code, "params": {name: _json_safe(value) for name, value in self.params.items()}}


class CodedText(str):
    """English text that remembers the message it was rendered from (``.message``).

    Code that only knows strings keeps working; code that knows messages reads ``.message``.
    """

    message: Message

    def __new__(cls, text: str, message: Message) -> CodedText:
        instance = super().__new__(cls, text)
        instance.message = message
        return instance

    def __reduce__(self) -> tuple[type[str], tuple[str]]:
        """Copies and pickles are plain strings (the message stays with the original only)."""
        return (str, (str(self),))


def msg(code: str, **params: ParamValue) -> Message:
    """A message of a defined code; the parameters must be exactly the code's."""
    spec = REGISTRY.get(code)
    if spec is None:
        raise KeyError("undefined message code {}".format(code))
    if set(params) != set(spec.params):
        raise TypeError("message code {} takes {}, got {}".format(code, sorted(spec.params), sorted(params)))
    return Message(code, MappingProxyType(dict(params)))


def codes_in(value: Any) -> set[str]:
    """Every message code inside a JSON result (``code`` keys of any dict, nested messages too)."""
    found: set[str] = set()
    if isinstance(value, Mapping):
        code = value.get("code")
        if isinstance(code, str) and code in REGISTRY:
            found.add(code)
        for item in value.values():
            found |= codes_in(item)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        for item in value:
            found |= codes_in(item)
    return found


# =============================================================================================
# The catalogue. Group by engine; keep codes stable (the platform and stored results use them).
# =============================================================================================

# --- refusals shared by every engine (_support, numbers, rulesets, registry) ------------------
define("input.not_object", "must be a JSON object")
define("input.not_array", "must be a JSON array")
define("input.unknown_field", "unknown field")
define("input.not_string", "must be a non-empty string")
define("input.not_bool", "must be true or false")
define("input.required", "is required")
define("input.not_number", "must be a number")
define("input.not_number_got", "must be a number, got {value!r}", value="text")
define("input.not_finite", "must be a finite number")
define("input.not_positive", "must be greater than 0, got {value}", value="number")
define("input.below_minimum", "must be at least {minimum}, got {value}", minimum="number", value="number")
define("input.above_maximum", "must be at most {maximum}, got {value}", maximum="number", value="number")
define("input.not_percentage", "must be a percentage from 0 to 100")
define("input.one_of", "must be one of {allowed}, got {value!r}", allowed="text", value="text")
define("input.not_clause_map", "must be an object mapping clause numbers to values")
define("input.clause_not_string", "clause numbers must be strings, got {value!r}", value="text")
define("edition.unknown", "unknown edition {edition!r}", edition="text")
define("edition.example", "must be an edition code such as {example!r}", example="text")
define("edition.mismatch", "input names {edition!r} but the rule table is {table!r}", edition="text", table="text")
define("engine.unknown", "unknown engine {engine!r}; one of {engines}", engine="text", engines="text")
define("engine.unavailable", "engine {engine!r} is not available: {detail}", engine="text", detail="detail")
define("ruletable.header", "rule table must give a non-empty string")
define("ruletable.date", "must be an ISO date (YYYY-MM-DD)")
define(
    "ruletable.wrong_standard",
    "rule table {edition!r} is for {standard!r}, not {expected!r}",
    edition="text",
    standard="text",
    expected="text",
)
define("ruletable.missing", "rule table {edition!r} lacks {path!r}", edition="text", path="text")
define("ruletable.row_missing", "rule table row {row} lacks {key!r}", row="text", key="text")
define("ruletable.invalid", "{detail}", path="text", detail="detail")

# --- GB/T 50378: refusals -----------------------------------------------------------------------
define("gbt50378.input.full_decoration", "is required and must be true or false")
define("gbt50378.input.control_bool", "must be true (pass) or false (fail)")
define("gbt50378.input.water_grade", "must be 1, 2 or 3")
define("gbt50378.input.airtightness", "must be true, false or null")
define("gbt50378.claim.negative", "claimed points must not be negative (D1)")
define("gbt50378.claim.unknown_control", "unknown control item")
define("gbt50378.claim.missing_control", "missing: every control item must be stated (D1)")
define("gbt50378.claim.unknown_clause", "unknown clause")
define(
    "gbt50378.claim.above_maximum",
    "claimed {claimed} points, above the maximum {maximum} (D1)",
    claimed="number",
    maximum="number",
)
define("gbt50378.claim.operation_only", "operation-only item: cannot be claimed at pre-evaluation (D6)")

# --- GB/T 50378: findings -----------------------------------------------------------------------
define("gbt50378.control.met", "控制项 met")
define("gbt50378.control.not_met", "控制项 not met: no level and no total (D3)")
define("gbt50378.points.operation_only", "operation-only item: not assessed at pre-evaluation (D6)")
define("gbt50378.points.not_claimed", "not claimed: 0 of {maximum} points", maximum="number")
define("gbt50378.points.claimed", "claimed {points} of {maximum} points", points="number", maximum="number")
define(
    "gbt50378.category.sum",
    "sum of the claims: {score} of {maximum} points",
    score="number",
    maximum="number",
)
define(
    "gbt50378.category.capped",
    "claims add up to {claimed}, capped at the maximum {maximum} ({clause})",
    claimed="number",
    maximum="number",
    clause="clause",
)
define(
    "gbt50378.category.sum_floor",
    "sum of the claims: {score} of {maximum} points; {floor_pct} % floor {floor} points",
    score="number",
    maximum="number",
    floor_pct="number",
    floor="number",
)
define(
    "gbt50378.category.capped_floor",
    "claims add up to {claimed}, capped at the maximum {maximum} ({clause}); {floor_pct} % floor {floor} points",
    claimed="number",
    maximum="number",
    clause="clause",
    floor_pct="number",
    floor="number",
)
define(
    "gbt50378.total",
    "Q = ({base} + {points}) / {divisor} = {total}, kept exact and compared unrounded (D2)",
    base="number",
    points="number",
    divisor="number",
    total="number",
)
define("gbt50378.level.met", "every condition met (D3)")
define("gbt50378.level.not_met", "not met (D3): {conditions}", conditions="messages")
define("gbt50378.title.category", "{title} ({category})", title="title", category="category")
define("gbt50378.title.total", "总得分 Q")
define("gbt50378.title.level", "{title}", title="title", level="level")

# --- GB/T 50378: level conditions (blockers) ----------------------------------------------------
define("gbt50378.condition.control", "control item {clause} {title} must pass", clause="text", title="title")
define(
    "gbt50378.condition.floor",
    "{title} {score} points, needs ≥ {floor} ({floor_pct} % of {maximum})",
    title="title",
    category="category",
    score="number",
    floor="number",
    floor_pct="number",
    maximum="number",
)
define("gbt50378.condition.full_decoration", "全装修 (full decoration)")
define("gbt50378.condition.full_decoration_missing", "全装修 (full decoration): not given")
define("gbt50378.condition.total", "Q {total}, needs ≥ {minimum}", total="number", minimum="number")
define("gbt50378.condition.row", "{title}: {tests}", title="title", row="row", tests="messages")
define(
    "gbt50378.row.at_least",
    "{requirement} {value} (needs ≥ {threshold})",
    requirement="requirement",
    value="number",
    threshold="number",
)
define(
    "gbt50378.row.at_most",
    "{requirement} {value} (needs ≤ {threshold})",
    requirement="requirement",
    value="number",
    threshold="number",
)
define("gbt50378.row.is_true", "{requirement} {value} (needs true)", requirement="requirement", value="flag")
define(
    "gbt50378.row.rank_at_least",
    "{requirement} {value} (needs {threshold} or better)",
    requirement="requirement",
    value="sound",
    threshold="sound",
)

# --- GB/T 50378: explanation --------------------------------------------------------------------
define(
    "gbt50378.explain.none",
    "{title} ({level}): control item(s) {clauses} not met. Every control item must pass for {basic_title} "
    "({basic_clause}); no total score is given (D3).",
    title="title",
    level="level",
    clauses="text",
    basic_title="title",
    basic_level="level",
    basic_clause="clause",
)
define("gbt50378.explain.head", "{title} ({level}), Q = {total}.", title="title", level="level", total="number")
define("gbt50378.explain.highest", "This is the highest level.")
define("gbt50378.explain.blocked_by", "{title} ({level}) is blocked by:", title="title", level="level")
define(
    "gbt50378.explain.blocker_not_points",
    "- {condition} [{clause}]: cannot be met by claiming points",
    condition="message",
    clause="clause",
)
define(
    "gbt50378.explain.blocker_points",
    "- {condition} [{clause}]: {points} more points",
    condition="message",
    clause="clause",
    points="number",
)
define("gbt50378.explain.no_room", "The clause maxima leave too little room: no claim of points reaches it.")
define("gbt50378.explain.fewest", "Fewest extra claimed points: {points} (Q +{q}).", points="number", q="number")
define(
    "gbt50378.explain.not_points_alone",
    "Points alone do not reach it: the conditions marked above must be met too.",
)

# --- GB/T 51129: refusals -----------------------------------------------------------------------
define(
    "gbt51129.input.part_above_total",
    "prefabricated quantity {part} is larger than the total {total}",
    part="number",
    total="number",
)
define("gbt51129.input.pct_and_quantities", "give either {key} or quantities.{item}, not both", key="text", item="item")
define("gbt51129.input.absent_not_strings", "must list item names as strings")
define("gbt51129.input.absent_twice", "{item} is named twice", item="item")
define("gbt51129.input.absent_unknown", "unknown item {value!r}", value="text")
define("gbt51129.input.ratio_for_absent", "a ratio is given for {item}, which is named absent", item="item")
define(
    "gbt51129.input.main_ratio_required",
    "is required: a {structure} structure must give this main-structure ratio",
    structure="structure",
)
define(
    "gbt51129.input.ratio_required",
    "is required: give the ratio (0 is allowed) or name {item} in absent_items",
    item="item",
)
define(
    "gbt51129.input.cannot_be_absent",
    "{item} ({title}) cannot be absent: only envelope, partition, fit-out and services items may be (D10)",
    item="item",
    title="title",
)
define("gbt51129.input.too_many_absent", "too many items named absent: 100 − Q4 must stay above 0")

# --- GB/T 51129: findings -----------------------------------------------------------------------
define(
    "gbt51129.ratio.quantities",
    "ratio {part} / {total} {unit} = {ratio} %",
    part="number",
    total="number",
    unit="user",
    ratio="number",
)
define("gbt51129.ratio.structure_default", "ratio {ratio} % (all vertical members steel or timber, D9)", ratio="number")
define("gbt51129.ratio.percentage", "ratio {ratio} %", ratio="number")
define(
    "gbt51129.item.at_least",
    "{ratio} ≥ {threshold} %: {points} points",
    ratio="message",
    threshold="number",
    points="number",
)
define("gbt51129.item.below", "{ratio} < {threshold} %: 0 points", ratio="message", threshold="number")
define(
    "gbt51129.item.interpolated",
    "{ratio} in {lower}–{upper} %: {low} + ({q} − {lower}) / ({upper} − {lower}) × ({maximum} − {low}) = {points}",
    ratio="message",
    lower="number",
    upper="number",
    low="number",
    q="number",
    maximum="number",
    points="number",
)
define(
    "gbt51129.item.interpolated_rounded",
    "{ratio} in {lower}–{upper} %: {low} + ({q} − {lower}) / ({upper} − {lower}) × ({maximum} − {low}) "
    "= {exact} → {points} (half-up, D7)",
    ratio="message",
    lower="number",
    upper="number",
    low="number",
    q="number",
    maximum="number",
    exact="number",
    points="number",
)
define("gbt51129.item.absent", "absent from this building: its {maximum} points count in Q4 (D10)", maximum="number")
define("gbt51129.item.full_decoration", "full decoration provided: {points} points", points="number")
define("gbt51129.item.no_full_decoration", "full decoration not provided: {points} points", points="number")
define("gbt51129.group.sum", "sum of the rounded item points (D7)")
define("gbt51129.group.absent", "points of the absent items: {items}", items="item")
define(
    "gbt51129.rate",
    "P = ({q1} + {q2} + {q3}) / ({total} − {q4}) × 100 = {exact} → {rate} % (half-up); {banded} % for the 50 % "
    "condition and the grade bands (D8)",
    q1="number",
    q2="number",
    q3="number",
    total="number",
    q4="number",
    exact="number",
    rate="number",
    banded="number",
)
define(
    "gbt51129.condition.group_minimum",
    "{label} = {value} {op} {minimum}",
    label="text",
    group="group",
    value="number",
    op="text",
    minimum="number",
)
define("gbt51129.condition.full_decoration", "full decoration provided")
define("gbt51129.condition.no_full_decoration", "full decoration not provided")
define(
    "gbt51129.condition.rate",
    "P = {banded} % (whole %, D8) {op} {minimum} %",
    banded="number",
    op="text",
    minimum="number",
)
define(
    "gbt51129.precondition",
    "{item} ratio {ratio} % {op} {minimum} %",
    item="item",
    ratio="number",
    op="text",
    minimum="number",
)
define("gbt51129.precondition.absent", "{item} ratio absent % < {minimum} %", item="item", minimum="number")
define("gbt51129.grade.not_prefabricated", "no grade: the building does not count as prefabricated (clause 3.0.3)")
define("gbt51129.grade.precondition", "no grade: the vertical-member precondition (clause 5.0.1) is not met")
define(
    "gbt51129.grade.band",
    "P = {banded} % (whole %, D8) in {minimum}–{maximum} %: {title}",
    banded="number",
    minimum="number",
    maximum="number",
    title="title",
    grade="grade",
)
define(
    "gbt51129.grade.band_open",
    "P = {banded} % (whole %, D8) in ≥ {minimum} %: {title}",
    banded="number",
    minimum="number",
    title="title",
    grade="grade",
)
define(
    "gbt51129.grade.below",
    "no grade: P = {banded} % (whole %, D8) is below {lowest} %",
    banded="number",
    lowest="number",
)
define("gbt51129.title.item", "{title}", title="title", item="item")
define("gbt51129.title.group", "{title}", title="title", group="group")
define("gbt51129.title.rate", "{title}", title="title")
define("gbt51129.title.condition", "{title}", title="title", condition="prefab_condition")
define("gbt51129.title.precondition", "{title}", title="title")
define("gbt51129.title.grade", "{title}", title="title")

# --- titles of rule-table entries (the rule tables' own titles are Chinese) -------------------
define("title.rule", "{title}", title="title", rule="rule_title")
define("title.waste_category", "{title}", title="title", category="waste_category")
define("title.carrier", "{title}", title="title", carrier="carrier")

# --- construction waste -----------------------------------------------------------------------
define("waste.input.prefabricated_both", "give either prefabricated or prefabricated_floor_area_m2, not both")
define("waste.input.unknown_category", "unknown category {value!r}; one of {allowed}", value="text", allowed="text")
define(
    "waste.intensity",
    "{counted} t ({counted_names}) ÷ ({area} m² ÷ {per_area}) = {exact} → {intensity} t/万㎡ (half-up, D11); "
    "{excluded} t of {excluded_names} excluded",
    counted="number",
    counted_names="title",
    counted_categories="waste_category",
    area="number",
    per_area="number",
    exact="number",
    intensity="number",
    excluded="number",
    excluded_names="title",
    excluded_categories="waste_category",
)
define(
    "waste.national",
    "{intensity} t/万㎡ {op} {target} t/万㎡ ({basis})",
    intensity="number",
    op="text",
    target="number",
    basis="title",
    prefabricated="yes_no",
)
define(
    "waste.national.weighted",
    "{intensity} t/万㎡ {op} {target} t/万㎡ ({prefabricated_area} m² of {area} m² prefabricated: weighted mean of "
    "{prefab_target} and {normal_target})",
    intensity="number",
    op="text",
    target="number",
    prefabricated_area="number",
    area="number",
    prefab_target="number",
    normal_target="number",
)
define("waste.project.none", "the project has set no target of its own")
define(
    "waste.project",
    "{intensity} t/万㎡ {op} project target {target} t/万㎡",
    intensity="number",
    op="text",
    target="number",
)
define(
    "waste.separate",
    "{tonnes} t reported on its own, not in the intensity",
    tonnes="number",
    category="waste_category",
)
define("waste.recycling.none", "no record of a counted category states recycled_tonnes")
define("waste.recycling.no_waste", "no counted waste, so no rate")
define(
    "waste.recycling",
    "{recycled} t recycled ÷ {counted} t counted = {rate} %",
    recycled="number",
    counted="number",
    rate="number",
)
define(
    "waste.recycling.partial",
    "{recycled} t recycled ÷ {counted} t counted = {rate} %; {missing} record(s) without recycled_tonnes count as "
    "not recycled",
    recycled="number",
    counted="number",
    rate="number",
    missing="number",
)

# --- green materials ------------------------------------------------------------------------------
define("green.input.no_items", "must list at least one material")
define(
    "green.input.unit_mismatch",
    "item type {item_type!r} is already measured in {unit}; one item type takes one unit",
    item_type="user",
    unit="user",
)
define("green.input.unknown_category", "unknown category {value!r}; one of {allowed}", value="text", allowed="text")
define(
    "green.item_type.green",
    "{certified} of {total} {unit} certified = {share} % ≥ {minimum} %: counts as green",
    certified="number",
    total="number",
    unit="user",
    share="number",
    minimum="number",
)
define(
    "green.item_type.not_green",
    "{certified} of {total} {unit} certified = {share} % < {minimum} %: does not count",
    certified="number",
    total="number",
    unit="user",
    share="number",
    minimum="number",
)
define(
    "green.group",
    "{green} of {count} item types green × {weight} = {score}",
    green="number",
    count="number",
    weight="number",
    score="number",
)
define("green.group.empty", "no materials of this group listed: 0 ({note})", note="detail")
define("green.ratio", "{terms} = {exact} → {ratio} %", terms="text", exact="number", ratio="number")
define(
    "green.table_row",
    "{ratio} % {op} {minimum} %",
    ratio="number",
    op="text",
    minimum="number",
    level="level",
)
define(
    "green.clause_7_2_18",
    "ratio {ratio} % ≥ {minimum} %: {points} points",
    ratio="number",
    minimum="number",
    points="number",
)
define(
    "green.clause_7_2_18.below",
    "ratio {ratio} % below the first step: {points} points",
    ratio="number",
    points="number",
)
define("green.title.group", "{title}", title="title", group="material_group")

# --- carbon (GB/T 51366) ------------------------------------------------------------------------
define("carbon.input.material_or_factor", "give a material of table D.0.1 or factor_kgco2e_per_unit")
define("carbon.input.material_and_factor", "give either material or factor_kgco2e_per_unit, not both")
define("carbon.input.factor_source", "name the source of a factor not from table D.0.1")
define("carbon.input.required_with_factor", "is required with factor_kgco2e_per_unit")
define("carbon.input.transport_class", "comes from table D.0.1 for a listed material; give distance_km instead")
define("carbon.input.nothing", "give at least one material or construction_energy entry")
define("carbon.input.unknown_material", "not in table D.0.1: {value!r}", value="text")
define(
    "carbon.input.unit_mismatch",
    "table D.0.1 gives {title} per {unit}, not per {given}",
    title="title",
    unit="user",
    given="user",
)
define("carbon.input.unknown_transport_class", "one of {allowed}", allowed="text")
define(
    "carbon.input.mass_required",
    "is required to compute transport of a material measured in {unit}",
    unit="user",
)
define(
    "carbon.input.mass_contradicts",
    "{line}: gives {mass_t} t for a material measured in {unit}, whose quantity {quantity} {unit} is {mass} t: two "
    "masses for one line cannot both be true (D12); leave mass_t out",
    line="user",
    mass_t="number",
    unit="user",
    quantity="number",
    mass="number",
)
define("carbon.input.unknown_mode", "not in table E.0.1: {value!r}", value="text")
define("carbon.input.unknown_grid", "unknown grid {value!r}; one of {allowed}", value="text", allowed="text")
define("carbon.input.unknown_carrier", "unknown carrier {value!r}; one of {allowed}", value="text", allowed="text")
define(
    "carbon.input.carrier_unit",
    "{title} is measured in {unit}, not {given}",
    title="title",
    unit="user",
    given="user",
)
define(
    "carbon.a1_a3",
    "{quantity} {unit} × {factor} kgCO₂e/{unit} = {a1_a3} kgCO₂e ({source})",
    quantity="number",
    unit="user",
    factor="number",
    a1_a3="number",
    source="text",
)
define(
    "carbon.a4",
    "{mass} t × {distance} km × {factor} kgCO₂e/(t·km) = {a4} kgCO₂e",
    mass="number",
    distance="number",
    factor="number",
    a4="number",
)
define(
    "carbon.a4.defaults",
    "{mass} t × {distance} km × {factor} kgCO₂e/(t·km) = {a4} kgCO₂e ({notes})",
    mass="number",
    distance="number",
    factor="number",
    a4="number",
    notes="messages",
)
define("carbon.note.default_distance", "default distance for {transport_class} [M]", transport_class="transport_class")
define("carbon.note.default_mode", "default mode [D]")
define(
    "carbon.a5",
    "{quantity} {unit} × {factor} kgCO₂/{unit} = {a5} kgCO₂ ({basis})",
    quantity="number",
    unit="user",
    factor="number",
    a5="number",
    basis="title",
)
define(
    "carbon.stage",
    "{stage} = {total} kgCO₂e; ÷ {area} m² = {per_m2} kgCO₂e/m²",
    stage="text",
    total="number",
    area="number",
    per_m2="number",
)
define(
    "carbon.total",
    "A1–A3 + A4 + A5 = {total} kgCO₂e ÷ {area} m² = {per_m2} kgCO₂e/m²",
    total="number",
    area="number",
    per_m2="number",
)

# --- pilot requirements R7–R14 ------------------------------------------------------------------
define("pilot.input.star_level", "must be one of {allowed}", allowed="text")
define("pilot.input.at_least_zero", "must be at least 0")
define("pilot.input.percentage", "must lie between 0 and 100")
define("pilot.input.bim_stages", "unknown stage(s) {unknown}; one of {allowed}", unknown="text", allowed="text")
define("pilot.input.no_check", "rule table requirement {requirement!r} has no check", requirement="text")
define("pilot.r7.unknown", "no GB/T 50378 star level yet")
define("pilot.r7.meets", "star level {level} meets {minimum}", level="level", minimum="level")
define("pilot.r7.below", "star level {level} is below {minimum}", level="level", minimum="level")
define("pilot.r8.unknown", "standardised design: not yet given")
define("pilot.r8", "standardised design: {value}", value="yes_no")
define(
    "pilot.r9.unknown",
    "no GB/T 51129 assessment yet; pipeline separation {pipeline}, prefabricated decoration {decoration} (recommended)",
    pipeline="yes_no",
    decoration="yes_no",
)
define(
    "pilot.r9.pass",
    "counts as prefabricated under GB/T 51129; pipeline separation {pipeline}, prefabricated decoration "
    "{decoration} (recommended)",
    pipeline="yes_no",
    decoration="yes_no",
)
define(
    "pilot.r9.fail",
    "does not count as prefabricated under GB/T 51129; pipeline separation {pipeline}, prefabricated decoration "
    "{decoration} (recommended)",
    pipeline="yes_no",
    decoration="yes_no",
)
define("pilot.r10.no_target", "no project waste-reduction target recorded yet")
define("pilot.r10.no_intensity", "target {target} t/万㎡ set; site waste intensity not yet known", target="number")
define(
    "pilot.r10",
    "intensity {intensity} t/万㎡ {op} target {target} t/万㎡",
    intensity="number",
    op="text",
    target="number",
)
define("pilot.r11.unknown", "no green-material share yet")
define("pilot.r11.zero", "no certified green materials used (share 0 %)")
define("pilot.r11.first", "share {share} % > 0; no earlier figure to compare", share="number")
define("pilot.r11.rising", "share {share} % (previously {previous} %)", share="number", previous="number")
define(
    "pilot.r11.not_rising", "share {share} % is not above the previous {previous} %", share="number", previous="number"
)
define("pilot.r12.unknown", "BIM stages not yet given")
define("pilot.r12.missing", "BIM not applied in: {stages}", stages="bim_stage")
define("pilot.r12.pass", "BIM applied in {stages}", stages="bim_stage")
define(
    "pilot.r13",
    "smart site {smart_site}, robots or intelligent equipment {equipment}",
    smart_site="yes_no",
    equipment="yes_no",
)
define("pilot.r14", "EPC {epc}, whole-process consulting {consulting}", epc="yes_no", consulting="yes_no")
# Set by the platform where a locked baseline decides the verdict (greenbuild/scoring/figures.py):
# the reason codes of R9–R11 read against the baseline.
define(
    "pilot.baseline.r9.below_target",
    "achieved below the targets of baseline version {version}: {buildings}",
    version="number",
    buildings="user",
)
define(
    "pilot.baseline.r10.above_national_target",
    "achieved {intensity} t/万㎡ is above the national target of {cap} t/万㎡",
    intensity="number",
    cap="number",
)
define(
    "pilot.baseline.r11.below_target",
    "achieved {share} % is below the target {target} % of baseline version {version}",
    share="number",
    target="number",
    version="number",
)
