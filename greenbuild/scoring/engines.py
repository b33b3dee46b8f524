"""The bridge to ``greenbuild.standards``: pick the rule table, call an engine, keep its answer.

Nothing here writes to the database; ``services.py`` does, after this module has computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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
    }
