"""Field validators with messages in the user's language."""

from __future__ import annotations

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
