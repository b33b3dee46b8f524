"""Password policy (等保2.0 level 3: 身份鉴别, password complexity). Messages are translated."""

from __future__ import annotations

import string
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

CLASSES = (
    ("upper", lambda c: c in string.ascii_uppercase),
    ("lower", lambda c: c in string.ascii_lowercase),
    ("digit", lambda c: c.isdigit()),
    ("symbol", lambda c: not c.isalnum() and not c.isspace()),
)


class CharacterClassesValidator:
    """At least ``min_classes`` of: upper-case letters, lower-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        present = sum(1 for _name, test in CLASSES if any(test(c) for c in password))
        if present < self.min_classes:
            raise ValidationError(
                ngettext(
                    "The password must mix at least %(count)d kind of character: upper-case letters, "
                    "lower-case letters, digits and symbols.",
                    "The password must mix at least %(count)d of these kinds of character: upper-case "
                    "letters, lower-case letters, digits and symbols.",
                    self.min_classes,
                )
                % {"count": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("Use at least {} of: upper-case letters, lower-case letters, digits and symbols.").format(
            self.min_classes
        )


class NotUsernameValidator:
    """The password is not the username and does not contain it (case-insensitive)."""

    def validate(self, password: str, user: Any = None) -> None:
        username = (getattr(user, "username", "") or "").strip().lower() if user is not None else ""
        if username and (username in password.lower() or password.lower() in username):
            raise ValidationError(_("The password must not be or contain the username."), code="password_has_username")

    def get_help_text(self) -> str:
        return _("The password must not be or contain your username.")
