"""The bridge to ``greenbuild.standards``: pick the rule table, call an engine, keep its answer.

Nothing here writes to the database; ``services.py`` does, after this module has computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from greenbuild.scoring.models import RuleTable
from greenbuild.standards.registry import get_engine
from greenbuild.standards.rulesets import bundled_ruleset, ruleset_from_dict
from greenbuild.standards.types import RuleSet


@dataclass(frozen=True)
class Computation:
    engine: str
    edition: str
    ruleset_version: str
    engine_version: str
    rule_table: RuleTable | None
    inputs: dict[str, Any]
    result: dict[str, Any]


def resolve_ruleset(engine: str, edition: str) -> tuple[RuleSet, RuleTable | None]:
    """The newest active rule table an administrator loaded for ``edition``, else the bundled one."""
    table = (
        RuleTable.objects.filter(engine=engine, edition=edition, active=True)
        .order_by("-effective_date", "-uploaded_at", "-pk")
        .first()
    )
    if table is not None:
        return ruleset_from_dict(table.data), table
    return bundled_ruleset(edition), None


def default_edition(engine: str) -> str:
    return get_engine(engine).DEFAULT_EDITION


def compute(engine: str, inputs: Mapping[str, Any]) -> Computation:
    """Validate and evaluate ``inputs`` with ``engine``; raises StandardsInputError on bad input."""
    module = get_engine(engine)
    edition = str(inputs.get("edition") or module.DEFAULT_EDITION)
    ruleset, table = resolve_ruleset(engine, edition)
    # GB/T 50378 checks clause numbers and maxima against the table it will be scored with.
    parsed = module.parse_inputs(inputs, ruleset=ruleset) if engine == "gbt50378" else module.parse_inputs(inputs)  # type: ignore[call-arg]
    result = module.result_to_dict(module.evaluate(parsed, ruleset))
    return Computation(
        engine=engine,
        edition=ruleset.edition,
        ruleset_version=ruleset.version,
        engine_version=module.ENGINE_VERSION,
        rule_table=table,
        inputs=dict(inputs),
        result=result,
    )


def clause_catalogue(edition: str) -> dict[str, list[dict[str, Any]]]:
    """The control, scored and bonus items of a GB/T 50378 edition, for the scorecard form."""
    ruleset, _table = resolve_ruleset("gbt50378", edition)
    data = ruleset.data
    return {
        "control": list(data["control_items"]),
        "scored": list(data["scored_items"]),
        "bonus": list(data["bonus_items"]),
        # for the category subtotals and the table 3.2.8 figures the form asks for
        "categories": list(data.get("categories", [])),
        "bonus_category": dict(data.get("bonus", {})),
        "star_rows": list(data.get("table_3_2_8", [])),
        "climate_zone": (data.get("star_requirement_defaults") or {}).get("climate_zone"),
    }


def carbon_materials(edition: str | None = None) -> list[dict[str, Any]]:
    """The rows of GB/T 51366 table D.0.1 (key, title, unit) for the bill-of-materials form."""
    ruleset, _table = resolve_ruleset("carbon", edition or default_edition("carbon"))
    return [{"key": r["key"], "title": r["title"], "unit": r["unit"]} for r in ruleset.data["materials"]["rows"]]


def material_lists_problem(data: Mapping[str, Any]) -> str | None:
    """What is wrong with a green-material rule table's ``item_types`` and ``units`` lists (None
    when both are usable): each category a row with a text ``title`` (at most 80 characters, once)
    and a ``group`` of the four; each unit a row with a text ``key`` (at most 12, the field's length) and ``title``."""
    from greenbuild.scoring.choices import MaterialGroup

    item_types, units = data.get("item_types"), data.get("units")
    if not isinstance(item_types, list) or not item_types:
        return "item_types must be a non-empty list"
    titles: set[str] = set()
    for i, row in enumerate(item_types):
        title = row.get("title") if isinstance(row, dict) else None
        if not isinstance(title, str) or not title.strip() or len(title) > 80 or title in titles:
            return "item_types[{}].title must be a unique text of 1 to 80 characters".format(i)
        if row.get("group") not in MaterialGroup.values:
            return "item_types[{}].group must be one of {}".format(i, ", ".join(MaterialGroup.values))
        if not isinstance(row.get("title_en", ""), str):
            return "item_types[{}].title_en must be a text".format(i)
        titles.add(title)
    if not isinstance(units, list) or not units:
        return "units must be a non-empty list"
    keys: set[str] = set()
    for i, row in enumerate(units):
        key = row.get("key") if isinstance(row, dict) else None
        if not isinstance(key, str) or not key.strip() or len(key) > 12 or key in keys:
            return "units[{}].key must be a unique text of 1 to 12 characters".format(i)
        if not isinstance(row.get("title"), str) or not isinstance(row.get("title_en", ""), str):
            return "units[{}].title must be a text".format(i)
        keys.add(key)
    return None


def _green_material_lists(edition: str | None) -> dict[str, Any]:
    """The green-material rule table in force; a loaded table without usable appendix A lists
    borrows them from the bundled one (its groups are the same four)."""
    ruleset, _table = resolve_ruleset("green-materials", edition or default_edition("green-materials"))
    if ruleset.data.get("item_types") and ruleset.data.get("units") and material_lists_problem(ruleset.data) is None:
        return dict(ruleset.data)
    return dict(bundled_ruleset(default_edition("green-materials")).data)


def material_item_types(edition: str | None = None) -> list[dict[str, Any]]:
    """The material categories (品类) of appendix A a bill-of-materials line may name: each row's
    ``title`` is what the line stores and the engine counts, ``group`` the group it belongs to."""
    return [dict(row) for row in _green_material_lists(edition)["item_types"]]


def material_units(edition: str | None = None) -> list[dict[str, Any]]:
    """The units a bill-of-materials line may be measured in (``key`` stored, ``title`` shown)."""
    return [dict(row) for row in _green_material_lists(edition)["units"]]


def building_items(edition: str | None = None) -> list[dict[str, Any]]:
    """The GB/T 51129 items (key, clause, title, may_be_absent) for the building form."""
    ruleset, _table = resolve_ruleset("gbt51129", edition or default_edition("gbt51129"))
    return list(ruleset.data["items"])


def reproduce(run: Any) -> dict[str, Any]:
    """Recompute a stored run with the very rules it used; refuses if they are no longer there.

    A run on an administrator's table uses that table's stored data; a run on a bundled table is
    recomputed only while the bundled file still has the version the run recorded.
    """
    if run.rule_table is not None:
        ruleset = ruleset_from_dict(run.rule_table.data)
    else:
        ruleset = bundled_ruleset(run.edition)
        if ruleset.version != run.ruleset_version:
            raise ValueError(
                "run {} used {} version {}; the bundled table is now version {}".format(
                    run.pk, run.edition, run.ruleset_version, ruleset.version
                )
            )
    return evaluate_with(run.engine, run.inputs, ruleset)


def evaluate_with(engine: str, inputs: Mapping[str, Any], ruleset: RuleSet) -> dict[str, Any]:
    """Parse and evaluate ``inputs`` with exactly ``ruleset``; the result as JSON-safe data."""
    module = get_engine(engine)
    # GB/T 50378 checks clause numbers and maxima against the table itself.
    parse = partial(module.parse_inputs, ruleset=ruleset) if engine == "gbt50378" else module.parse_inputs
    parsed = parse(inputs)
    return module.result_to_dict(module.evaluate(parsed, ruleset))


def smoke_input(engine: str, ruleset: RuleSet) -> dict[str, Any]:
    """A small valid input built from the table itself, to prove a loaded table can be used."""
    data = ruleset.data
    if engine == "gbt50378":
        return {
            "edition": ruleset.edition,
            "stage": "evaluation",
            "building_type": "residential",
            "control_items": {item["clause"]: True for item in data["control_items"]},
            "scored_items": {},
            "bonus_items": {},
            "full_decoration": True,
            "star_requirements": {},
        }
    if engine == "gbt51129":
        ratios = {item["key"] + "_pct": 0 for item in data["items"] if item["key"] != "full_decoration"}
        return {"edition": ruleset.edition, "structure": "concrete", "full_decoration": True, **ratios}
    if engine == "waste":
        return {
            "edition": ruleset.edition,
            "gross_floor_area_m2": 10000,
            "prefabricated": False,
            "records": [{"category": "construction_waste", "tonnes": 1}],
        }
    if engine == "green-materials":
        return {
            "edition": ruleset.edition,
            "items": [
                {"name": "smoke", "category": "main_structure_envelope", "quantity": 1, "unit": "m3", "certified": True}
            ],
        }
    return {
        "edition": ruleset.edition,
        "gross_floor_area_m2": 100,
        "materials": [{"material": data["materials"]["rows"][0]["key"], "quantity": 1, "distance_km": 0}],
    }
