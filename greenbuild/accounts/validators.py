"""Password policy (等保2.0 level 3: 身份鉴别, password complexity). Messages are translated."""

from __future__ import annotations

import string
from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from greenbuild.accounts import security

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


# Django's Chinese catalogue translates the minimum-length message under the msgid Django used
# before 5.0 ("%(min_length)d"); Django 5.x asks for "%d", which that catalogue lacks, so the
# message came out in English (ACC-03). Asking for the msgid the catalogue has gives Django's
# own translation. Kept as names so our catalogue does not extract a copy of Django's strings.
_TOO_SHORT = "This password is too short. It must contain at least %(min_length)d character."
_TOO_SHORT_PLURAL = "This password is too short. It must contain at least %(min_length)d characters."


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's validator, with its message in the reader's language (see above)."""

    def get_error_message(self) -> str:
        return ngettext(_TOO_SHORT, _TOO_SHORT_PLURAL, self.min_length) % {"min_length": self.min_length}


class PasswordHistoryValidator:
    """A new password differs from the current one (so the one an administrator set cannot be
    kept) and from the ``count`` before it (``PASSWORD_HISTORY_COUNT``, default 5). Passwords
    are compared with their stored hashes; ``password_changed`` records each new one."""

    def __init__(self, count: int | None = None) -> None:
        self._count = count

    @property
    def count(self) -> int:
        return self._count if self._count is not None else security.password_history_count()

    def _earlier_hashes(self, user: Any) -> list[str]:
        from greenbuild.accounts.models import PasswordHistory, User

        if user is None or not isinstance(user, User) or not user.pk:
            return []
        stored = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        hashes = [stored] if stored else []
        earlier = PasswordHistory.objects.filter(user=user).order_by("-set_at", "-pk")
        # The newest row is the current password, hence one more than the count.
        hashes += list(earlier.values_list("password", flat=True)[: self.count + 1])
        return hashes

    def validate(self, password: str, user: Any = None) -> None:
        if any(check_password(password, encoded) for encoded in self._earlier_hashes(user)):
            raise ValidationError(
                ngettext(
                    "Choose a password you have not used before: it must differ from the current one and the "
                    "one before it.",
                    "Choose a password you have not used before: it must differ from the current one and the "
                    "last %(count)d before it.",
                    self.count,
                )
                % {"count": self.count},
                code="password_reused",
            )

    def password_changed(self, password: str, user: Any = None) -> None:
        from greenbuild.accounts.services import record_password_history

        if user is not None and getattr(user, "pk", None):
            record_password_history(user, keep=self.count + 1)

    def get_help_text(self) -> str:
        return _("Your password must differ from your current and your last {} passwords.").format(self.count)
