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
