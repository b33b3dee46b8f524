"""The application workflow (R4) as an explicit transition table.

draft → submitted (owner) → recommended | returned (district official, comment required)
→ candidate | rejected (bureau) → confirmed (bureau); any open state → withdrawn.
A returned application goes back to the owner, who revises and submits it again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from greenbuild.projects.choices import ProjectStatus as S


@dataclass(frozen=True)
class Move:
    action: str
    sources: frozenset[S]
    target: S
    label: str | Promise
    comment_required: bool
    button: str  # Bootstrap colour of the button


MOVES: dict[str, Move] = {
    move.action: move
    for move in (
        Move("submit", frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, _("Submit application"), False, "primary"),
        Move("recommend", frozenset({S.SUBMITTED}), S.RECOMMENDED, _("Recommend"), True, "primary"),
        Move("return", frozenset({S.SUBMITTED}), S.RETURNED, _("Return for revision"), True, "warning"),
        Move("accept", frozenset({S.RECOMMENDED}), S.CANDIDATE, _("Accept as candidate"), False, "primary"),
        Move("reject", frozenset({S.RECOMMENDED}), S.REJECTED, _("Reject"), True, "danger"),
        Move("confirm", frozenset({S.CANDIDATE}), S.CONFIRMED, _("Confirm as pilot"), False, "success"),
        Move(
            "withdraw",
            frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED, S.RECOMMENDED, S.CANDIDATE, S.CONFIRMED}),
            S.WITHDRAWN,
            _("Withdraw"),
            True,
            "outline-danger",
        ),
    )
}

#: ALLOWED[from] = the states reachable in one move (for documentation and tests).
ALLOWED: dict[S, frozenset[S]] = {
    status: frozenset(move.target for move in MOVES.values() if status in move.sources) for status in S
}


def available_moves(project: object, user: object) -> list[Move]:
    """The moves ``user`` may make on ``project`` now; templates and tests use the same list."""
    from greenbuild.projects.permissions import can

    status = getattr(project, "status", None)
    return [m for m in MOVES.values() if status in m.sources and can(user, m.action, project)]
