"""Construction waste intensity (R10) against the MOHURD 2020 reduction targets.

Input contract (JSON object; keys fixed by issue 3, more may be added)::

    {"edition": "MOHURD-2020-construction-waste",   # optional, this is the default
     "gross_floor_area_m2": 52000,
     "prefabricated": false,                         # or, instead, the next key
     "prefabricated_floor_area_m2": 26000,           # optional: part of the GFA in prefabricated buildings
     "target_t_per_10k_m2": 250,                     # optional: the project's own target, null if none
     "records": [{"category": "construction_waste", "tonnes": 700, "recycled_tonnes": 420},
                 {"category": "engineering_spoil", "tonnes": 30000}]}

Categories: ``engineering_spoil`` and ``engineering_slurry`` (工程渣土, 工程泥浆: excluded from
the intensity), ``construction_waste``, ``demolition_waste``, ``decoration_waste``, ``other``
(counted) and ``hazardous`` (site hazardous waste, reported on its own). Tonnage must be ≥ 0;
``recycled_tonnes`` (optional) must lie between 0 and the record's ``tonnes``.

Intensity (decision D11) = Σ tonnes of the counted categories ÷ (GFA m² ÷ 10,000), in t/万㎡,
reported rounded half-up to two decimals and compared unrounded with the national target (200 for
prefabricated, 300 otherwise, the floor-area-weighted mean where only part is prefabricated) and
with the project's own target. 300 t/万㎡ is 30 kg/m².

Output (:func:`result_to_dict`): ``intensity_t_per_10k_m2``, ``national_target_t_per_10k_m2``,
``meets_national_target``, ``meets_project_target`` (null without a project target), tonnage per
category, ``hazardous_tonnes``, ``recycling_rate_pct`` and ``findings``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from . import _support as s
from .messages import msg
from .numbers import ZERO
from .rulesets import bundled_ruleset
from .types import Finding, RuleSet, StandardsInputError

__all__ = [
    "DEFAULT_EDITION",
    "ENGINE",
    "ENGINE_VERSION",
    "CategoryTotal",
    "WasteInputs",
    "WasteRecord",
    "WasteResult",
    "evaluate",
    "parse_inputs",
    "render_table",
    "result_to_dict",
]

ENGINE = "waste"
ENGINE_VERSION = "1.0.0"
DEFAULT_EDITION = "MOHURD-2020-construction-waste"
STANDARD = "建筑垃圾减量化"

_TOP_LEVEL_KEYS = frozenset(
    {
        "edition",
        "gross_floor_area_m2",
        "prefabricated",
        "prefabricated_floor_area_m2",
        "target_t_per_10k_m2",
        "records",
    }
)
_RECORD_KEYS = frozenset({"category", "tonnes", "recycled_tonnes", "note"})


@dataclass(frozen=True)
class WasteRecord:
    category: str
    tonnes: Decimal
    recycled_tonnes: Decimal | None = None


@dataclass(frozen=True)
class WasteInputs:
    gross_floor_area_m2: Decimal
    prefabricated_floor_area_m2: Decimal  # GFA when the whole project is prefabricated, 0 when none
    target_t_per_10k_m2: Decimal | None
    records: tuple[WasteRecord, ...]
    edition: str = DEFAULT_EDITION


@dataclass(frozen=True)
class CategoryTotal:
    category: str
    title: str
    tonnes: Decimal
    counted_in_intensity: bool


@dataclass(frozen=True)
class WasteResult:
    edition: str
    engine_version: str
    ruleset_version: str  # version of the rule table it was computed with
    gross_floor_area_m2: Decimal
    by_category: tuple[CategoryTotal, ...]
    counted_tonnes: Decimal
    excluded_tonnes: Decimal  # spoil and slurry
    hazardous_tonnes: Decimal
    intensity_exact: Fraction  # t per 10,000 m², unrounded
    intensity_t_per_10k_m2: Decimal
    national_target_exact: Fraction
    national_target_t_per_10k_m2: Decimal
    meets_national_target: bool
    project_target_t_per_10k_m2: Decimal | None
    meets_project_target: bool | None
    recycled_tonnes: Decimal | None
    recycling_rate_pct: Decimal | None
    findings: tuple[Finding, ...]


def parse_inputs(data: Mapping[str, Any]) -> WasteInputs:
    """Check the shape of the input; raise :class:`StandardsInputError` naming the field."""
    data = s.require_mapping(data, "input")
    s.reject_unknown_keys(data, _TOP_LEVEL_KEYS)
    edition = s.require_string(data, "edition", "edition") if "edition" in data else DEFAULT_EDITION
    area = s.require_number(data, "gross_floor_area_m2", "gross_floor_area_m2", positive=True)
    prefabricated_area = s.optional_number(
        data, "prefabricated_floor_area_m2", "prefabricated_floor_area_m2", minimum=ZERO, maximum=area
    )
    if prefabricated_area is None:
        prefabricated_area = area if s.require_bool(data, "prefabricated", "prefabricated") else ZERO
    elif data.get("prefabricated") is not None:
        raise StandardsInputError("prefabricated", msg("waste.input.prefabricated_both"))
    target = s.optional_number(data, "target_t_per_10k_m2", "target_t_per_10k_m2", minimum=ZERO)

    records = []
    for index, raw in enumerate(s.require_sequence(data.get("records", []), "records")):
        field = "records[{}]".format(index)
        entry = s.require_mapping(raw, field)
        s.reject_unknown_keys(entry, _RECORD_KEYS, field + ".")
        category = s.require_string(entry, "category", field + ".category")
        tonnes = s.require_number(entry, "tonnes", field + ".tonnes", minimum=ZERO)
        recycled = s.optional_number(entry, "recycled_tonnes", field + ".recycled_tonnes", minimum=ZERO, maximum=tonnes)
        records.append(WasteRecord(category, tonnes, recycled))
    return WasteInputs(area, prefabricated_area, target, tuple(records), edition)


def evaluate(inputs: WasteInputs, ruleset: RuleSet | None = None) -> WasteResult:
    """Intensity, the national and project targets, hazardous waste and the recycling rate."""
    ruleset = s.require_ruleset(ruleset or bundled_ruleset(inputs.edition), STANDARD)
    categories = {row["key"]: row for row in s.rule_entry(ruleset, "categories")}
    for index, record in enumerate(inputs.records):
        if record.category not in categories:
            raise StandardsInputError(
                "records[{}].category".format(index),
                msg("waste.input.unknown_category", value=record.category, allowed=", ".join(categories)),
            )
    intensity_rule = s.rule_entry(ruleset, "intensity")
    per_area = s.rule_number(intensity_rule, "per_area_m2", "intensity")
    places = int(intensity_rule["reported_places"])

    totals = {key: sum((r.tonnes for r in inputs.records if r.category == key), ZERO) for key in categories}
    by_category = tuple(
        CategoryTotal(key, row["title"], totals[key], bool(row["counted_in_intensity"]))
        for key, row in categories.items()
    )
    counted = sum((total.tonnes for total in by_category if total.counted_in_intensity), ZERO)
    separate = {key for key, row in categories.items() if row.get("reported_separately")}
    hazardous = sum((totals[key] for key in separate), ZERO)
    excluded = sum(
        (total.tonnes for total in by_category if not total.counted_in_intensity and total.category not in separate),
        ZERO,
    )
    area_units = s.exact(inputs.gross_floor_area_m2) / s.exact(per_area)
    intensity_exact = s.exact(counted) / area_units
    intensity = s.round_fraction(intensity_exact, places)

    findings: list[Finding] = []
    counted_keys = [key for key, row in categories.items() if row["counted_in_intensity"]]
    excluded_keys = [key for key, row in categories.items() if not row["counted_in_intensity"] and key not in separate]
    findings.append(
        Finding(
            intensity_rule["clause"],
            intensity_rule["title"],
            msg(
                "waste.intensity",
                counted=s.show(counted),
                counted_names=", ".join(categories[key]["title"] for key in counted_keys),
                counted_categories=counted_keys,
                area=s.show(inputs.gross_floor_area_m2),
                per_area=s.show(per_area),
                exact=s.show(intensity_exact),
                intensity=s.show(intensity),
                excluded=s.show(excluded),
                excluded_names=", ".join(categories[key]["title"] for key in excluded_keys),
                excluded_categories=excluded_keys,
            ),
            title_message=msg("title.rule", title=intensity_rule["title"], rule="waste.intensity"),
            confidence=s.confidence_of(intensity_rule),
        )
    )

    national = s.rule_entry(ruleset, "national_targets")
    prefab_target = s.rule_number(national["prefabricated"], "target_t_per_10k_m2", "national_targets.prefabricated")
    normal_target = s.rule_number(
        national["non_prefabricated"], "target_t_per_10k_m2", "national_targets.non_prefabricated"
    )
    share = s.exact(inputs.prefabricated_floor_area_m2) / s.exact(inputs.gross_floor_area_m2)
    target_exact = share * s.exact(prefab_target) + (1 - share) * s.exact(normal_target)
    target = s.round_fraction(target_exact, places)
    meets_national = intensity_exact <= target_exact
    compared: dict[str, Any] = {
        "intensity": s.show(intensity),
        "op": "≤" if meets_national else ">",
        "target": s.show(target),
    }
    if share in (0, 1):
        row = national["prefabricated" if share == 1 else "non_prefabricated"]
        confidence = s.confidence_of(row)
        national_reason = msg("waste.national", basis=row["title"], prefabricated=share == 1, **compared)
    else:
        national_reason = msg(
            "waste.national.weighted",
            prefabricated_area=s.show(inputs.prefabricated_floor_area_m2),
            area=s.show(inputs.gross_floor_area_m2),
            prefab_target=s.show(prefab_target),
            normal_target=s.show(normal_target),
            **compared,
        )
        confidence = s.confidence_of({"confidence": national["partly_prefabricated_confidence"]})
    findings.append(
        Finding(
            national["clause"],
            national["title"],
            national_reason,
            title_message=msg("title.rule", title=national["title"], rule="waste.national"),
            passed=meets_national,
            confidence=confidence,
        )
    )

    project_rule = s.rule_entry(ruleset, "project_target")
    meets_project: bool | None = None
    if inputs.target_t_per_10k_m2 is None:
        reason = msg("waste.project.none")
    else:
        meets_project = intensity_exact <= s.exact(inputs.target_t_per_10k_m2)
        reason = msg(
            "waste.project",
            intensity=s.show(intensity),
            op="≤" if meets_project else ">",
            target=s.show(inputs.target_t_per_10k_m2),
        )
    findings.append(
        Finding(
            project_rule["clause"],
            project_rule["title"],
            reason,
            passed=meets_project,
            confidence=s.confidence_of(project_rule),
            title_message=msg("title.rule", title=project_rule["title"], rule="waste.project"),
        )
    )

    for key in sorted(separate):
        row = categories[key]
        findings.append(
            Finding(
                "D11",
                row["title"],
                msg("waste.separate", tonnes=s.show(totals[key]), category=key),
                confidence=s.confidence_of(row),
                title_message=msg("title.waste_category", title=row["title"], category=key),
            )
        )

    recycling = s.rule_entry(ruleset, "recycling_rate")
    counted_records = [r for r in inputs.records if categories[r.category]["counted_in_intensity"]]
    stated = [r for r in counted_records if r.recycled_tonnes is not None]
    recycled: Decimal | None = None
    rate: Decimal | None = None
    if not stated:
        reason = msg("waste.recycling.none")
    elif counted == 0:
        recycled = ZERO
        reason = msg("waste.recycling.no_waste")
    else:
        recycled = sum((r.recycled_tonnes or ZERO for r in stated), ZERO)
        rate = s.round_fraction(s.exact(recycled) / s.exact(counted) * 100, int(recycling["reported_places"]))
        figures = {"recycled": s.show(recycled), "counted": s.show(counted), "rate": s.show(rate)}
        missing = len(counted_records) - len(stated)
        if missing:
            reason = msg("waste.recycling.partial", missing=str(missing), **figures)
        else:
            reason = msg("waste.recycling", **figures)
    findings.append(
        Finding(
            recycling["clause"],
            recycling["title"],
            reason,
            confidence=s.confidence_of(recycling),
            title_message=msg("title.rule", title=recycling["title"], rule="waste.recycling"),
        )
    )

    return WasteResult(
        edition=ruleset.edition,
        engine_version=ENGINE_VERSION,
        ruleset_version=ruleset.version,
        gross_floor_area_m2=inputs.gross_floor_area_m2,
        by_category=by_category,
        counted_tonnes=counted,
        excluded_tonnes=excluded,
        hazardous_tonnes=hazardous,
        intensity_exact=intensity_exact,
        intensity_t_per_10k_m2=intensity,
        national_target_exact=target_exact,
        national_target_t_per_10k_m2=target,
        meets_national_target=meets_national,
        project_target_t_per_10k_m2=inputs.target_t_per_10k_m2,
        meets_project_target=meets_project,
        recycled_tonnes=recycled,
        recycling_rate_pct=rate,
        findings=tuple(findings),
    )


def result_to_dict(result: WasteResult) -> dict[str, Any]:
    return {
        **s.result_header(ENGINE, result),
        "gross_floor_area_m2": s.json_number(result.gross_floor_area_m2),
        "intensity_t_per_10k_m2": s.json_number(result.intensity_t_per_10k_m2),
        "national_target_t_per_10k_m2": s.json_number(result.national_target_t_per_10k_m2),
        "meets_national_target": result.meets_national_target,
        "project_target_t_per_10k_m2": s.json_number(result.project_target_t_per_10k_m2),
        "meets_project_target": result.meets_project_target,
        "counted_tonnes": s.json_number(result.counted_tonnes),
        "excluded_tonnes": s.json_number(result.excluded_tonnes),
        "hazardous_tonnes": s.json_number(result.hazardous_tonnes),
        "tonnes_by_category": {total.category: s.json_number(total.tonnes) for total in result.by_category},
        "recycled_tonnes": s.json_number(result.recycled_tonnes),
        "recycling_rate_pct": s.json_number(result.recycling_rate_pct),
        "findings": [s.finding_to_dict(finding) for finding in result.findings],
    }


def _yes_no(value: bool | None) -> str:
    return "n/a" if value is None else ("yes" if value else "NO")


def render_table(result: WasteResult) -> str:
    summary = s.format_table(
        ["figure", "value"],
        [
            ["gross floor area", "{} m²".format(s.show(result.gross_floor_area_m2))],
            ["counted waste", "{} t".format(s.show(result.counted_tonnes))],
            ["spoil and slurry (excluded)", "{} t".format(s.show(result.excluded_tonnes))],
            ["hazardous (separate)", "{} t".format(s.show(result.hazardous_tonnes))],
            ["intensity", "{} t/万㎡".format(s.show(result.intensity_t_per_10k_m2))],
            [
                "national target",
                "{} t/万㎡ — met: {}".format(
                    s.show(result.national_target_t_per_10k_m2), _yes_no(result.meets_national_target)
                ),
            ],
            [
                "project target",
                "{} — met: {}".format(
                    "{} t/万㎡".format(s.show(result.project_target_t_per_10k_m2))
                    if result.project_target_t_per_10k_m2 is not None
                    else "none",
                    _yes_no(result.meets_project_target),
                ),
            ],
            [
                "recycling rate",
                "{} %".format(s.show(result.recycling_rate_pct))
                if result.recycling_rate_pct is not None
                else "unknown",
            ],
        ],
    )
    by_category = s.format_table(
        ["category", "tonnes", "in intensity"],
        [
            [total.title + " " + total.category, s.show(total.tonnes), "yes" if total.counted_in_intensity else "no"]
            for total in result.by_category
        ],
    )
    title = "{} 施工现场建筑垃圾排放强度".format(result.edition)
    return "\n\n".join([title, summary, by_category, s.findings_table(result.findings)]) + "\n"
