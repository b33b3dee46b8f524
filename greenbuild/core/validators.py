"""Field validators with messages in the user's language."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from greenbuild.core.credit_code import is_valid_credit_code


def validate_credit_code(value: str) -> None:
    """Refuse anything but a well-formed unified social credit code (GB 32100-2015)."""
    if len(value) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)s."),
            code="credit_code_length",
            params={"n": len(value)},
        )
    if not is_valid_credit_code(value):
        raise ValidationError(
            _("This unified social credit code is not valid: check the characters and the check digit."),
            code="credit_code_invalid",
        )


#: a mainland China mobile number: 11 digits, 1 then 3–9 (the numbering plan of the MIIT)
MOBILE_PHONE_RE = re.compile(r"1[3-9][0-9]{9}")  # ASCII digits only: \d would take ١ (Arabic-Indic)


def normalise_mobile_phone(value: str) -> str:
    """``value`` without the spaces, hyphens and the +86 / 0086 prefix people type around a number;
    full-width digits and signs (a Chinese input method's １３８, ＋８６) become ASCII ones."""
    digits = re.sub(r"[\s\-()（）]", "", unicodedata.normalize("NFKC", value or ""))
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
            break
    return digits


def validate_mobile_phone(value: str) -> None:
    """Refuse anything but a mainland China mobile number (11 digits starting 13–19)."""
    if not MOBILE_PHONE_RE.fullmatch(value or ""):
        raise ValidationError(
            _("Enter a mainland China mobile number: 11 digits starting with 13 to 19, such as 13812345678."),
            code="mobile_phone",
        )
