"""The shape of a plan's data (``GreenPlan.draft``, ``PlanVersion.data``) and the diff of two.

::

    {
      "targets": {
        "star_level": "two_star",                     # GB/T 50378 level code
        "assembly_rate_pct_by_building": {"12": "62"}, # building id -> assembly rate % (GB/T 51129)
        "waste_t_per_10k_m2": "180",                  # site waste intensity target
        "green_material_pct": "65",                   # green-material share target
        "carbon_kgco2e_per_m2": null                  # optional carbon intensity target
      },
      "measures": {"P-01": "…"},                      # guideline item code -> the measure
      "technologies": ["T-04", "T-05"],               # suitable technologies chosen (R21)
      "bim_plan": {"stages": ["design", "production", "construction"], "text": "…"},
      "smart_site_plan": {"smart_site": "…", "equipment": "…"},
      "organisation_mode": "epc"                      # reference.OrganisationMode code
    }

Numbers are kept as decimal strings (never floats) so a frozen version reads back exactly.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from greenbuild.core.openapi_json import DRAFT_2020_12, from_openapi

TARGET_KEYS = (
    "star_level",
    "assembly_rate_pct_by_building",
    "waste_t_per_10k_m2",
    "green_material_pct",
    "carbon_kgco2e_per_m2",
)

EMPTY: dict[str, Any] = {
    "targets": {
        "star_level": "",
        "assembly_rate_pct_by_building": {},
        "waste_t_per_10k_m2": None,
        "green_material_pct": None,
        "carbon_kgco2e_per_m2": None,
    },
    "measures": {},
    "technologies": [],
    "bim_plan": {"stages": [], "text": ""},
    "smart_site_plan": {"smart_site": "", "equipment": ""},
    "organisation_mode": "",
}

FIELD_LABELS = {
    "targets.star_level": _("Target star level"),
    "targets.waste_t_per_10k_m2": _("Construction-waste intensity target (t/10,000 m²)"),
    "targets.green_material_pct": _("Green-material share target (%)"),
    "targets.carbon_kgco2e_per_m2": _("Carbon intensity target (kgCO₂e/m²)"),
    "technologies": _("Suitable technologies"),
    "bim_plan.stages": _("BIM stages"),
    "bim_plan.text": _("BIM plan"),
    "smart_site_plan.smart_site": _("Smart-site plan"),
    "smart_site_plan.equipment": _("Construction robots and intelligent equipment"),
    "organisation_mode": _("Organisation mode"),
}


def empty() -> dict[str, Any]:
    return copy.deepcopy(EMPTY)


def normalised(data: dict[str, Any] | None) -> dict[str, Any]:
    """``data`` with every key of the shape present (missing keys take their empty value)."""
    result = empty()
    data = data or {}
    for key, value in data.items():
        if key in result and isinstance(result[key], dict) and isinstance(value, dict):
            result[key].update(value)
        elif key in result:
            result[key] = value
    return result


def decimal_or_none(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def as_text(value: Decimal | None) -> str | None:
    """A decimal as its plain text ("62.5", never "6.25E+1"), None as None."""
    if value is None:
        return None
    return format(value.normalize(), "f")


# --- the diff -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    key: str  # a dotted path: "targets.star_level", "measures.P-01", …
    label: str
    before: Any
    after: Any

    @property
    def kind(self) -> str:
        if self.before in (None, "", [], {}):
            return "added"
        if self.after in (None, "", [], {}):
            return "removed"
        return "changed"


def flatten(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` as ``{dotted path: value}``, one entry per field a reviewer compares."""
    data = normalised(data)
    flat: dict[str, Any] = {}
    targets = data["targets"]
    for key in TARGET_KEYS:
        if key == "assembly_rate_pct_by_building":
            for building, value in (targets.get(key) or {}).items():
                flat["targets.assembly_rate_pct_by_building.{}".format(building)] = value
        else:
            flat["targets." + key] = targets.get(key)
    for code, text in (data["measures"] or {}).items():
        flat["measures." + code] = text
    flat["technologies"] = sorted(data["technologies"] or [])
    flat["bim_plan.stages"] = list(data["bim_plan"].get("stages") or [])
    flat["bim_plan.text"] = data["bim_plan"].get("text", "")
    flat["smart_site_plan.smart_site"] = data["smart_site_plan"].get("smart_site", "")
    flat["smart_site_plan.equipment"] = data["smart_site_plan"].get("equipment", "")
    flat["organisation_mode"] = data["organisation_mode"]
    return flat


def _same(a: Any, b: Any) -> bool:
    if a in (None, "", [], {}) and b in (None, "", [], {}):
        return True
    da, db = decimal_or_none(a), decimal_or_none(b)
    if da is not None and db is not None and not isinstance(a, (list, dict)):
        return da == db
    return a == b


def diff(a: Any, b: Any, labels: dict[str, str] | None = None) -> list[Change]:
    """The field-by-field changes from ``a`` to ``b`` (two versions or two data dicts), in the
    order of the plan's form. ``labels`` names the dynamic keys (buildings, guideline items)."""
    before = flatten(a.data if hasattr(a, "data") else a)
    after = flatten(b.data if hasattr(b, "data") else b)
    labels = labels or {}
    keys = list(dict.fromkeys([*before, *after]))
    changes = []
    for key in keys:
        old, new = before.get(key), after.get(key)
        if not _same(old, new):
            label = labels.get(key) or FIELD_LABELS.get(key) or key
            changes.append(Change(key=key, label=str(label), before=old, after=new))
    return changes


# --- the shape as a JSON Schema (issue 18 item 5, DOC-02) ----------------------------------------

#: A decimal written as text, as the plan keeps it ("62.5"); "" or null means not given.
DECIMAL_TEXT = r"^([0-9]+(\.[0-9]+)?)?$"


def decimal_text_pattern(high: Decimal) -> str:
    """:data:`DECIMAL_TEXT` from 0 up to ``high`` (a power of ten: 100, 100000), so the schema says
    the range of a number written as text as the server's check reads it (leading zeros taken)."""
    digits = len(str(int(high))) - 1
    assert high == Decimal(10) ** digits  # noqa: S101 (a power of ten)
    return r"^(0*{}(\.0+)?|0*[0-9]{{1,{}}}(\.[0-9]+)?)?$".format(int(high), digits)


def _number(low: Decimal, high: Decimal, description: str) -> dict[str, Any]:
    return {
        "description": "{} ({}–{})".format(description, low, high),
        "anyOf": [
            {"type": "string", "pattern": decimal_text_pattern(high), "nullable": True},
            {"type": "number", "minimum": float(low), "maximum": float(high)},
        ],
    }


def _text(limit: int, description: str) -> dict[str, Any]:
    return {"type": "string", "nullable": True, "maxLength": limit, "description": description}


def openapi_schema() -> dict[str, Any]:
    """The plan data's shape (``GreenPlan.draft``, ``PlanVersion.data``) as an OpenAPI 3.0 schema
    object, derived from the definitions ``services.clean_plan_data`` checks against: the keys of
    :data:`EMPTY` and :data:`TARGET_KEYS`, the star levels, the BIM stages and the limits. What a
    schema cannot say (building ids of the plan's project, guideline item codes of its edition,
    active organisation modes, the range of a number written as text) is in the descriptions;
    the server still checks it (400 naming the field)."""
    from greenbuild.plans.choices import BimStage
    from greenbuild.plans.services import MAX_CARBON, MAX_TEXT, MAX_WASTE
    from greenbuild.projects.choices import StarLevel

    targets = {
        "star_level": {
            "type": "string",
            "nullable": True,
            "enum": ["", *StarLevel.values, None],  # OpenAPI 3.0: a nullable enum lists null too
            "description": "目标星级（GB/T 50378）；空或 null：未定 · target GB/T 50378 level; empty or null: not given",
        },
        "assembly_rate_pct_by_building": {
            "type": "object",
            "nullable": True,
            "description": "各单体装配率目标（%），键为本项目单体编号 · assembly-rate target (%) by the id of a "
            "single building of the plan's project",
            "additionalProperties": _number(Decimal(0), Decimal(100), "装配率目标 % · target %"),
        },
        "waste_t_per_10k_m2": _number(
            Decimal(0), MAX_WASTE, "施工垃圾排放强度目标（t/万㎡） · construction-waste intensity target"
        ),
        "green_material_pct": _number(Decimal(0), Decimal(100), "绿色建材应用比例目标（%） · green-material share"),
        "carbon_kgco2e_per_m2": _number(
            Decimal(0), MAX_CARBON, "碳排放强度目标（kgCO₂e/㎡，可选） · carbon intensity target (optional)"
        ),
    }
    assert tuple(targets) == TARGET_KEYS  # noqa: S101 (the shape and the schema are one definition)
    properties: dict[str, Any] = {
        "targets": {
            "type": "object",
            "description": "目标 · the targets (R7, R9–R11)",
            "properties": targets,
            "additionalProperties": False,
        },
        "measures": {
            "type": "object",
            "description": "措施，键为导则措施条目代码 · the measures, keyed by a measure item code of the plan's "
            "guideline edition",
            "additionalProperties": _text(MAX_TEXT, "措施说明 · the measure"),
        },
        "technologies": {
            "type": "array",
            "description": "选用的适宜技术（导则技术条目代码） · suitable technologies chosen (technology item codes "
            "of the guideline edition, R21)",
            "items": {"type": "string"},
        },
        "bim_plan": {
            "type": "object",
            "description": "BIM 应用计划 · the BIM plan (R12)",
            "properties": {
                "stages": {
                    "type": "array",
                    "nullable": True,
                    "items": {"type": "string", "enum": list(BimStage.values)},
                    "description": "应用阶段 · the stages BIM is applied in",
                },
                "text": _text(MAX_TEXT, "说明 · the plan in words"),
            },
        },
        "smart_site_plan": {
            "type": "object",
            "description": "智慧工地与智能装备 · smart site and intelligent equipment (R13)",
            "properties": {
                "smart_site": _text(MAX_TEXT, "智慧工地措施 · smart-site measures"),
                "equipment": _text(MAX_TEXT, "建筑机器人与智能装备 · construction robots and intelligent equipment"),
            },
        },
        "organisation_mode": {
            "type": "string",
            "nullable": True,
            "description": "组织模式代码（/api/v1/organisation-modes/ 中启用者）；空：未定 · organisation mode code "
            "(an active one of /api/v1/organisation-modes/, R14); empty: not given",
        },
    }
    assert tuple(properties) == tuple(EMPTY)  # noqa: S101
    return {
        "type": "object",
        "description": "绿色建造策划方案内容；缺省的键取空值，数值以文本保存 · a green construction plan's data; "
        "keys left out take their empty value; numbers are kept as decimal text",
        "properties": properties,
        "additionalProperties": False,
    }


def json_schema() -> dict[str, Any]:
    """:func:`openapi_schema` as a JSON Schema (draft 2020-12): ``nullable`` becomes a ``null`` type."""
    return {"$schema": DRAFT_2020_12, **from_openapi(openapi_schema())}
