"""The consolidated score of a panel, a pure function: exact ``Decimal``, half-up to 2 places.

Each expert's total is the weighted mean of their section scores, every section first brought
to a 0–100 scale by its range::

    total = Σ wᵢ · (sᵢ − minᵢ) / (maxᵢ − minᵢ) · 100  /  Σ wᵢ      (rounded half-up to 0.01)

The panel's score is the mean of the experts' totals, or the trimmed mean (the one highest and
the one lowest total dropped) when the scheme asks for it and at least five experts scored;
rounded half-up to 0.01.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
TRIM_FROM = 5  # the trimmed mean drops one highest and one lowest from this many experts on

MEAN = "mean"
TRIMMED_MEAN = "trimmed_mean"


@dataclass(frozen=True)
class Section:
    key: str
    weight: Decimal
    minimum: Decimal
    maximum: Decimal


def half_up(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def expert_total(sections: Sequence[Section], scores: Mapping[str, Decimal]) -> Decimal:
    """One expert's total on 0–100. Raises ``ValueError`` for a missing or out-of-range score."""
    if not sections:
        raise ValueError("a scheme needs at least one section")
    with localcontext() as context:
        context.prec = 50
        weighted = Decimal(0)
        weights = Decimal(0)
        for section in sections:
            if section.key not in scores:
                raise ValueError("no score for section {}".format(section.key))
            score = Decimal(scores[section.key])
            if not section.minimum <= score <= section.maximum or section.maximum <= section.minimum:
                raise ValueError("score {} outside {}–{}".format(score, section.minimum, section.maximum))
            weighted += section.weight * (score - section.minimum) / (section.maximum - section.minimum) * HUNDRED
            weights += section.weight
        if weights <= 0:
            raise ValueError("the weights must add up to more than zero")
        return half_up(weighted / weights)


def consolidate(totals: Sequence[Decimal], method: str = MEAN) -> Decimal | None:
    """The panel's score from the experts' totals (None when nobody scored)."""
    if method not in (MEAN, TRIMMED_MEAN):
        raise ValueError("unknown consolidation {!r}".format(method))
    values = sorted(Decimal(t) for t in totals)
    if not values:
        return None
    if method == TRIMMED_MEAN and len(values) >= TRIM_FROM:
        values = values[1:-1]
    with localcontext() as context:
        context.prec = 50
        return half_up(sum(values, Decimal(0)) / len(values))
