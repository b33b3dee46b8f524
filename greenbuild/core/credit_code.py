"""Unified social credit code (统一社会信用代码), GB 32100-2015.

Eighteen characters from a 31-symbol alphabet (digits and capital letters without I, O, Z, S, V):
registration authority (1), organisation type (1), administrative division code (6 digits),
organisation identifier (9) and a check character computed modulo 31 over the first 17.
"""

from __future__ import annotations

import re

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def check_character(body: str) -> str:
    """The 18th character for the first 17 characters ``body``."""
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    """True when ``code`` has the GB 32100 shape and a correct check character."""
    return bool(_SHAPE.match(code)) and check_character(code[:17]) == code[17]


def make_credit_code(body: str) -> str:
    """Append the check character to a 17-character body (for demo data and tests)."""
    return body + check_character(body)
