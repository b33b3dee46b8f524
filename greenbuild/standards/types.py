"""Types shared by every engine: errors, findings, rule sets.

Engines take frozen dataclasses in and give frozen dataclasses out. Every result carries the
edition code it was computed with, the engine version and a per-clause list of :class:`Finding`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

__all__ = ["Confidence", "Finding", "RuleSet", "StandardsInputError"]


class StandardsInputError(ValueError):
    """Bad input: names the offending field or clause so a user can fix it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__("{}: {}".format(field, message))
        self.field = field
        self.message = message


class Confidence(StrEnum):
    """Confidence tag of a rule value, as in reference/standards.md."""

    CONFIRMED = "C"
    PARTLY = "P"
    UNCONFIRMED = "M"
    DISPUTED = "X"
    DECISION = "D"


@dataclass(frozen=True)
class Finding:
    """One clause's outcome: points awarded of a maximum, or a pass/fail, and why."""

    clause: str
    title: str
    reason: str
    awarded: Decimal | None = None
    maximum: Decimal | None = None
    passed: bool | None = None
    confidence: Confidence = Confidence.UNCONFIRMED


@dataclass(frozen=True)
class RuleSet:
    """A versioned rule table: the data one edition of a standard is scored with.

    ``data`` is the parsed JSON of the rule file; engines read their tables from it, never from
    constants in code, so an administrator can load a corrected edition without a code change.
    """

    standard: str  # e.g. "GB/T 51129"
    edition: str  # registry key, e.g. "GB/T 51129-2017"
    effective_date: dt.date
    version: str  # version of this rule table, e.g. "2026.1"
    data: Mapping[str, Any] = field(repr=False)
