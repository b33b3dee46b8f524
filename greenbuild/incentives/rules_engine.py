"""The bonus rule applied (pure Python, no database): who gets how many points.

``table`` is a rule version's points, ``(role, level) → points``; ``enterprises`` the pilot's
participating enterprises as ``(organisation id, role)``. An enterprise whose role the rule does
not list, or lists with 0 points, gets no record. An enterprise holding two roles in one pilot gets
one record per role (the rule grades each role's contribution).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

EXCELLENT = "excellent"
PASSED = "passed"


@dataclass(frozen=True)
class Award:
    organisation_id: int
    role: str
    level: str
    points: Decimal


def result_level(*, verdict: str, score: Decimal | None, excellent_score: Decimal | None) -> str | None:
    """The level a completion result earns: ``None`` unless its verdict is ``met``; ``excellent``
    when the rule sets a score for it and the result's score reaches it; else ``passed``."""
    if verdict != "met":
        return None
    if excellent_score is not None and score is not None and score >= excellent_score:
        return EXCELLENT
    return PASSED


def awards(table: Mapping[tuple[str, str], Any], enterprises: Iterable[tuple[int, str]], level: str) -> list[Award]:
    """The awards of one pilot at ``level``: one per (enterprise, role) the rule gives points to."""
    result: list[Award] = []
    seen: set[tuple[int, str]] = set()
    for organisation_id, role in enterprises:
        if (organisation_id, role) in seen:
            continue
        seen.add((organisation_id, role))
        points = Decimal(table.get((role, level)) or 0)
        if points > 0:
            result.append(Award(organisation_id, role, level, points))
    return result
