"""Loading rule tables (one JSON file per standard edition) into :class:`RuleSet` objects.

Bundled tables live in ``greenbuild/standards/data/``. A rule file is a JSON object with at least
``standard``, ``edition``, ``effective_date`` (ISO date) and ``version``; the rest is the engine's
tables. The platform may pass a rule file edited by an administrator to :func:`ruleset_from_dict`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from .messages import msg
from .types import RuleSet, StandardsInputError

DATA_DIR = Path(__file__).parent / "data"

__all__ = ["DATA_DIR", "bundled_ruleset", "list_bundled", "ruleset_from_dict"]


def ruleset_from_dict(data: Mapping[str, Any]) -> RuleSet:
    """Validate the header of a rule table and wrap it."""
    for key in ("standard", "edition", "effective_date", "version"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise StandardsInputError(key, msg("ruletable.header"))
    try:
        effective = dt.date.fromisoformat(data["effective_date"])
    except ValueError:
        raise StandardsInputError("effective_date", msg("ruletable.date")) from None
    return RuleSet(
        standard=data["standard"],
        edition=data["edition"],
        effective_date=effective,
        version=data["version"],
        data=data,
    )


@cache
def _bundled_by_edition() -> dict[str, RuleSet]:
    result: dict[str, RuleSet] = {}
    for path in sorted(DATA_DIR.glob("*.json")):
        ruleset = ruleset_from_dict(json.loads(path.read_text(encoding="utf-8")))
        result[ruleset.edition] = ruleset
        for alias in ruleset.data.get("aliases", []):
            result[alias] = ruleset
    return result


def bundled_ruleset(edition: str) -> RuleSet:
    """The bundled rule table for an edition key (or one of its aliases)."""
    try:
        return _bundled_by_edition()[edition]
    except KeyError:
        raise StandardsInputError("edition", msg("edition.unknown", edition=edition)) from None


def list_bundled() -> list[RuleSet]:
    """Every bundled rule table, once each."""
    seen: dict[int, RuleSet] = {}
    for ruleset in _bundled_by_edition().values():
        seen.setdefault(id(ruleset), ruleset)
    return list(seen.values())
