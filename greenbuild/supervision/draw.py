"""The random draw of 双随机、一公开: which projects are inspected, and by which inspectors.

The algorithm is fixed and published so that anyone can reproduce a draw from its record
(population, ratio, seed):

1. ``k = ⌈N × ratio⌉``, at least 1 when ``N > 0``, where ``N`` is the size of the population and
   ``0 < ratio ≤ 1`` (computed exactly, in rationals: ``0.1 × 30`` is 3, not 4);
2. each candidate ``id`` is ranked by the lowercase hexadecimal SHA-256 of the UTF-8 string
   ``"{seed}:{id}"``, ascending;
3. the first ``k`` are selected, in rank order.

The seed is taken from a secure random source (:func:`new_seed`) at the moment of the draw, and
published with it. Pure Python: no Django, no database.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["Draw", "DrawError", "draw", "new_seed", "parse_ratio", "rank_key", "sample_size"]

#: the longest seed accepted (a secure seed from :func:`new_seed` has 32 characters)
MAX_SEED_LENGTH = 200


class DrawError(ValueError):
    """Bad input to a draw: the message says what and is shown to the user as it is."""


@dataclass(frozen=True)
class Draw:
    seed: str
    ratio: Fraction
    population: tuple[str, ...]
    selected: tuple[str, ...]

    @property
    def k(self) -> int:
        return len(self.selected)

    def as_dict(self) -> dict[str, object]:
        """The published record: the CLI's JSON (``ratio`` as a number; ``population`` is N)."""
        return {
            "seed": self.seed,
            "ratio": ratio_number(self.ratio),
            "population": len(self.population),
            "k": self.k,
            "selected": [id_value(i) for i in self.selected],
        }


def new_seed() -> str:
    """A seed from the operating system's secure random source (128 bits, 32 hex digits)."""
    return secrets.token_hex(16)


def parse_ratio(value: object) -> Fraction:
    """``value`` (a decimal string such as ``"0.3"``, a number or a fraction) as an exact
    rational in (0, 1]; :class:`DrawError` otherwise."""
    not_a_number = DrawError("the ratio must be a number greater than 0 and at most 1, not {!r}".format(value))
    if isinstance(value, bool):
        raise not_a_number
    try:
        ratio = Fraction(str(value).strip())  # str() of a Fraction ("1/3") parses back exactly
    except (ValueError, ZeroDivisionError):
        raise not_a_number from None
    if not 0 < ratio <= 1:
        raise DrawError("the ratio must be greater than 0 and at most 1, not {}".format(value))
    return ratio


def sample_size(population: int, ratio: Fraction) -> int:
    """``k = ⌈N × ratio⌉``, at least 1 when ``N > 0`` (0 for an empty population)."""
    if population <= 0:
        return 0
    return max(1, math.ceil(population * ratio))


def rank_key(seed: str, candidate: str) -> str:
    """The candidate's rank: the lowercase hex SHA-256 of ``"{seed}:{id}"`` in UTF-8."""
    return hashlib.sha256("{}:{}".format(seed, candidate).encode("utf-8")).hexdigest()


def draw(seed: str, ratio: object, population: Iterable[object]) -> Draw:
    """Draw ``⌈N × ratio⌉`` of ``population`` (ids: integers or strings, written as text in the
    hash) with ``seed``. Refuses an empty population, duplicate ids and a ratio outside (0, 1]."""
    if not isinstance(seed, str) or not seed or len(seed) > MAX_SEED_LENGTH:
        raise DrawError("the seed must be text of 1 to {} characters".format(MAX_SEED_LENGTH))
    exact = parse_ratio(ratio)
    ids = tuple(_id_text(i) for i in population)
    if not ids:
        raise DrawError("there is nothing to draw from: give at least one id")
    duplicates = _duplicates(ids)
    if duplicates:
        raise DrawError("each id may appear once; repeated: {}".format(", ".join(duplicates)))
    ranked = sorted(ids, key=lambda candidate: (rank_key(seed, candidate), candidate))
    return Draw(seed=seed, ratio=exact, population=ids, selected=tuple(ranked[: sample_size(len(ids), exact)]))


def ratio_number(ratio: Fraction) -> int | float:
    """The ratio as a JSON number: 1 stays an integer, others are the nearest float (0.3)."""
    return int(ratio) if ratio.denominator == 1 else float(ratio)


def id_value(candidate: str) -> int | str:
    """An id as published: a plain decimal integer (``"42"``) as a number, anything else as text."""
    if candidate.isascii() and candidate.isdigit() and str(int(candidate)) == candidate:
        return int(candidate)
    return candidate


def _id_text(candidate: object) -> str:
    if isinstance(candidate, bool) or not isinstance(candidate, int | str):
        raise DrawError("an id must be an integer or text, not {!r}".format(candidate))
    text = str(candidate)
    if not text or text != text.strip():
        raise DrawError("an id must not be empty or have surrounding spaces: {!r}".format(text))
    return text


def _duplicates(ids: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for candidate in ids:
        if candidate in seen and candidate not in repeated:
            repeated.append(candidate)
        seen.add(candidate)
    return repeated
