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

from .messages import Message, msg

__all__ = ["Confidence", "Finding", "Message", "RuleSet", "StandardsInputError", "msg"]


class StandardsInputError(ValueError):
    """Bad input: names the offending field or clause so a user can fix it.

    ``message`` is a :class:`~.messages.Message` (a stable code the platform translates) or, for
    code outside the engines, plain English. ``.message`` is always the English text (a
    :class:`~.messages.CodedText` that remembers its message), ``.code`` and ``.params`` the code.
    """

    def __init__(self, field: str, message: str | Message) -> None:
        coded = message if isinstance(message, Message) else None
        text = coded.text if coded is not None else message
        super().__init__("{}: {}".format(field, text))
        self.field = field
        self.message = text
        self.code: str | None = coded.code if coded is not None else None
        self.params: Mapping[str, Any] = coded.params if coded is not None else {}

    def to_dict(self) -> dict[str, Any]:
        """The refusal as JSON: field, English message, code and params (code is null for plain text)."""
        return {
            "field": self.field,
            "message": str(self.message),
            "code": self.code,
            "params": Message(self.code, self.params).to_dict()["params"] if self.code else {},
        }


class Confidence(StrEnum):
    """Confidence tag of a rule value, as in reference/standards.md."""

    CONFIRMED = "C"
    PARTLY = "P"
    UNCONFIRMED = "M"
    DISPUTED = "X"
    DECISION = "D"


@dataclass(frozen=True)
class Finding:
    """One clause's outcome: points awarded of a maximum, or a pass/fail, and why.

    ``reason`` may be given as a :class:`~.messages.Message`; it is then kept in ``message`` and
    ``reason`` becomes its English text. ``title_message`` names the item in a translatable way
    where the title is not simply the standard's own clause title.
    """

    clause: str
    title: str
    reason: str | Message
    awarded: Decimal | None = None
    maximum: Decimal | None = None
    passed: bool | None = None
    confidence: Confidence = Confidence.UNCONFIRMED
    title_message: Message | None = None
    message: Message | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.reason, Message):
            object.__setattr__(self, "message", self.reason)
            object.__setattr__(self, "reason", self.reason.text)

    @property
    def code(self) -> str | None:
        return self.message.code if self.message is not None else None

    @property
    def params(self) -> Mapping[str, Any]:
        return self.message.params if self.message is not None else {}

    @property
    def reason_text(self) -> str:
        return str(self.reason)


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
