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
