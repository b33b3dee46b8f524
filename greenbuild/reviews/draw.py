"""The panel draw (抽取专家), a pure function: no Django, reproducible from its seed.

The seed fixes one order of the whole pool, the *seed stream*: every candidate is ranked by
``sha256("{seed}:{id}")``, so anyone holding the published seed and the list of eligible expert
ids can recompute the order by hand (it does not depend on Python's random generator).
The panel is taken from the front of that order: first, for each required specialty not yet
covered, the earliest candidate who has it; then the earliest remaining candidates until the
panel is full. A replacement for a declined seat is the earliest candidate of the same order not
drawn before (preferring one who covers a required specialty the panel lost).

Experts with a conflict (employed by, or a member of, an organisation taking part in the project:
the owner and every participant) are removed before the draw (回避), so they are never drawn.
The scheme may limit the experts of one employer on a panel (``max_per_employer``, by default one):
a candidate whose employer already has that many seats is skipped, in the first draw and in every
replacement, and the skipped candidates are reported (:class:`Draw`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

MIN_PANEL_SIZE = 3
DEFAULT_PANEL_SIZE = 5


@dataclass(frozen=True)
class Candidate:
    """An expert of the pool: their id, specialties and the organisations they belong to."""

    id: int
    specialties: frozenset[str] = field(default_factory=frozenset)
    organisation_ids: frozenset[int] = field(default_factory=frozenset)
    employer_id: int | None = None


@dataclass(frozen=True)
class Draw:
    """A drawn panel (ids in draw order) and the candidates skipped for the employer limit."""

    panel: list[int]
    skipped_for_employer: list[int]


def employer_full(candidate: Candidate, panel: Iterable[Candidate], max_per_employer: int) -> bool:
    """Whether ``candidate``'s employer already has ``max_per_employer`` experts in ``panel``."""
    if not max_per_employer or candidate.employer_id is None:
        return False
    return sum(1 for c in panel if c.employer_id == candidate.employer_id) >= max_per_employer


class DrawError(ValueError):
    """The draw cannot be made. ``code`` says why: ``even_size``, ``too_small``, ``too_few``,
    ``specialty_missing``, ``too_many_required``, ``employer_limit``, ``no_replacement``; ``needed``/``available``/``specialty`` detail it."""

    def __init__(self, code: str, *, needed: int = 0, available: int = 0, specialty: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.needed = needed
        self.available = available
        self.specialty = specialty


def rank(seed: int, expert_id: int) -> str:
    """The key that orders the pool for ``seed`` (lower comes first)."""
    return hashlib.sha256("{}:{}".format(seed, expert_id).encode()).hexdigest()


def eligible(candidates: Iterable[Candidate], conflicted_organisation_ids: Iterable[int]) -> list[Candidate]:
    """The candidates without a conflict, sorted by id."""
    conflicted = frozenset(conflicted_organisation_ids)
    return sorted((c for c in candidates if not (c.organisation_ids & conflicted)), key=lambda c: c.id)


def seed_stream(candidates: Sequence[Candidate], seed: int) -> list[Candidate]:
    """Every candidate in the order the seed gives them."""
    return sorted(candidates, key=lambda c: (rank(seed, c.id), c.id))


def check_size(size: int) -> None:
    if size < MIN_PANEL_SIZE:
        raise DrawError("too_small", needed=MIN_PANEL_SIZE)
    if size % 2 == 0:
        raise DrawError("even_size", needed=size)


def draw_panel(
    candidates: Iterable[Candidate],
    *,
    size: int = DEFAULT_PANEL_SIZE,
    required: Iterable[str] = (),
    seed: int,
    conflicted_organisation_ids: Iterable[int] = (),
    max_per_employer: int = 0,
) -> list[int]:
    """The ids of the drawn panel, in draw order (see :func:`draw_panel_detail`)."""
    return draw_panel_detail(
        candidates,
        size=size,
        required=required,
        seed=seed,
        conflicted_organisation_ids=conflicted_organisation_ids,
        max_per_employer=max_per_employer,
    ).panel


def draw_panel_detail(
    candidates: Iterable[Candidate],
    *,
    size: int = DEFAULT_PANEL_SIZE,
    required: Iterable[str] = (),
    seed: int,
    conflicted_organisation_ids: Iterable[int] = (),
    max_per_employer: int = 0,
) -> Draw:
    """The drawn panel in draw order, and who was skipped because their employer was full.

    Raises :class:`DrawError` for an even or too small ``size``, when fewer eligible experts
    than ``size`` remain after the conflicts are removed (or the employer limit leaves too few),
    or when no eligible expert has a required specialty.
    """
    check_size(size)
    pool = eligible(candidates, conflicted_organisation_ids)
    if len(pool) < size:
        raise DrawError("too_few", needed=size, available=len(pool))
    stream = seed_stream(pool, seed)
    panel: list[Candidate] = []
    skipped: set[int] = set()
    for specialty in sorted(set(required)):
        if any(specialty in c.specialties for c in panel):
            continue
        match = None
        for c in stream:
            if specialty not in c.specialties or c in panel:
                continue
            if employer_full(c, panel, max_per_employer):
                skipped.add(c.id)
                continue
            match = c
            break
        if match is None:
            raise DrawError("specialty_missing", specialty=specialty)
        panel.append(match)
    if len(panel) > size:
        raise DrawError("too_many_required", needed=len(panel), available=size)
    for candidate in stream:
        if len(panel) == size:
            break
        if candidate in panel:
            continue
        if employer_full(candidate, panel, max_per_employer):
            skipped.add(candidate.id)
            continue
        panel.append(candidate)
    if len(panel) < size:
        raise DrawError("employer_limit", needed=size, available=len(panel))
    # draw order: the order of the seed stream
    position = {c.id: index for index, c in enumerate(stream)}
    drawn = [c.id for c in sorted(panel, key=lambda c: position[c.id])]
    last = max(position[c.id] for c in panel)
    # only those passed over before the panel was full were really skipped
    return Draw(panel=drawn, skipped_for_employer=[c.id for c in stream[:last] if c.id in skipped])


def draw_replacement(
    candidates: Iterable[Candidate],
    *,
    seed: int,
    seated: Iterable[int],
    drawn_before: Iterable[int],
    required: Iterable[str] = (),
    conflicted_organisation_ids: Iterable[int] = (),
    max_per_employer: int = 0,
    panel: Iterable[Candidate] | None = None,
) -> int:
    """The id of the next expert of the same seed stream for a declined seat.

    ``seated`` are the experts still on the panel; ``drawn_before`` every expert drawn so far
    (declined ones included: they are never drawn twice). A candidate whose employer already has
    ``max_per_employer`` seated experts is passed over: ``panel`` gives the seated experts (with
    their employers) when some of them are no longer among ``candidates`` (no longer available
    for new panels, yet still seated). Raises ``DrawError("no_replacement")`` when the stream is
    exhausted.
    """
    pool = eligible(candidates, conflicted_organisation_ids)
    stream = seed_stream(pool, seed)
    taken = set(drawn_before) | set(seated)
    on_panel = [c for c in pool if c.id in set(seated)]
    if panel is not None:
        known = {c.id for c in on_panel}
        on_panel += [c for c in panel if c.id in set(seated) and c.id not in known]
    remaining = [c for c in stream if c.id not in taken and not employer_full(c, on_panel, max_per_employer)]
    if not remaining:
        raise DrawError("no_replacement")
    missing = sorted(s for s in set(required) if not any(s in c.specialties for c in on_panel))
    for specialty in missing:
        match = next((c for c in remaining if specialty in c.specialties), None)
        if match is not None:
            return match.id
    return remaining[0].id
