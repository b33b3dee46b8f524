"""Exact arithmetic helpers shared by every engine (standards.md §0 "Arithmetic").

All figures the standards define are computed with :class:`decimal.Decimal` built from the
input's decimal text, never from binary floats, and "rounded" always means half-up (四舍五入).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .messages import msg
from .types import StandardsInputError

__all__ = ["to_decimal", "round_half_up", "ZERO", "HUNDRED"]

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def to_decimal(value: object, field: str) -> Decimal:
    """Turn a JSON number or numeric string into an exact Decimal.

    Floats are converted through ``repr`` so ``0.1`` becomes ``Decimal("0.1")``, not the binary
    expansion. Booleans, NaN and infinities are refused with an error naming ``field``.
    """
    if isinstance(value, bool) or value is None:
        raise StandardsInputError(field, msg("input.not_number"))
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise StandardsInputError(field, msg("input.not_number_got", value=value)) from None
    else:
        raise StandardsInputError(field, msg("input.not_number"))
    if not result.is_finite():
        raise StandardsInputError(field, msg("input.not_finite"))
    return result


def round_half_up(value: Decimal, places: int = 0) -> Decimal:
    """Round half-up to ``places`` decimals: 0.05 -> 0.1, 3.15 -> 3.2, 75.5 -> 76."""
    quantum = Decimal(1).scaleb(-places)
    return value.quantize(quantum, rounding=ROUND_HALF_UP)
