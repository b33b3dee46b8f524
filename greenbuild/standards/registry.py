"""The engine registry: CLI engine names → engine modules, one ``evaluate`` entry point, and the
list of bundled standard editions.

Every engine module has the same interface (:class:`Engine`): ``ENGINE``, ``ENGINE_VERSION``,
``DEFAULT_EDITION``, ``parse_inputs``, ``evaluate``, ``result_to_dict`` and ``render_table``.
Modules are imported on first use, so one engine that fails to import does not take the others
down with it.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, cast

from .messages import msg
from .rulesets import list_bundled
from .types import RuleSet, StandardsInputError

__all__ = ["ENGINES", "Engine", "StandardInfo", "evaluate", "get_engine", "list_standards"]

#: CLI engine name → module path (imported lazily).
ENGINE_MODULES: Mapping[str, str] = {
    "gbt50378": "greenbuild.standards.gbt50378",
    "gbt51129": "greenbuild.standards.gbt51129",
    "waste": "greenbuild.standards.waste",
    "green-materials": "greenbuild.standards.green_materials",
    "carbon": "greenbuild.standards.carbon",
}


class Engine(Protocol):
    """The interface every engine module provides."""

    ENGINE: str
    ENGINE_VERSION: str
    DEFAULT_EDITION: str

    def parse_inputs(self, data: Mapping[str, Any]) -> Any: ...

    def evaluate(self, inputs: Any, ruleset: RuleSet | None = None) -> Any: ...

    def result_to_dict(self, result: Any) -> dict[str, Any]: ...

    def render_table(self, result: Any) -> str: ...


class _LazyEngines(Mapping[str, Engine]):
    """A read-only mapping of engine name → module that imports each module on first access."""

    def __getitem__(self, name: str) -> Engine:
        return cast(Engine, importlib.import_module(ENGINE_MODULES[name]))

    def __iter__(self) -> Iterator[str]:
        return iter(ENGINE_MODULES)

    def __len__(self) -> int:
        return len(ENGINE_MODULES)


ENGINES: Mapping[str, Engine] = _LazyEngines()


def get_engine(name: str) -> Engine:
    """The engine module for a CLI name; an unknown or unavailable engine is an input error."""
    if name not in ENGINE_MODULES:
        raise StandardsInputError("engine", msg("engine.unknown", engine=name, engines=", ".join(ENGINE_MODULES)))
    try:
        return ENGINES[name]
    except ImportError as error:
        raise StandardsInputError("engine", msg("engine.unavailable", engine=name, detail=str(error))) from None


def evaluate(engine: str, data: Mapping[str, Any]) -> Any:
    """Parse and evaluate one input with the named engine, using the edition the input names."""
    module = get_engine(engine)
    return module.evaluate(module.parse_inputs(data))


@dataclass(frozen=True)
class StandardInfo:
    """One bundled rule table and the engine that scores with it."""

    engine: str
    standard: str
    edition: str
    title: str
    effective_date: dt.date
    version: str
    is_default: bool


def list_standards() -> tuple[StandardInfo, ...]:
    """Every bundled edition an engine can score with, by engine then effective date."""
    infos = []
    for ruleset in list_bundled():
        engine = ruleset.data.get("engine")
        if not isinstance(engine, str) or engine not in ENGINE_MODULES:
            continue
        try:
            default = ruleset.edition == get_engine(engine).DEFAULT_EDITION
        except StandardsInputError:
            default = False
        infos.append(
            StandardInfo(
                engine=engine,
                standard=ruleset.standard,
                edition=ruleset.edition,
                title=str(ruleset.data.get("title", ruleset.standard)),
                effective_date=ruleset.effective_date,
                version=ruleset.version,
                is_default=default,
            )
        )
    order = list(ENGINE_MODULES)
    return tuple(sorted(infos, key=lambda info: (order.index(info.engine), info.effective_date, info.edition)))
