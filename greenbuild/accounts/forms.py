from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from greenbuild.accounts import security, services
from greenbuild.accounts.backends import REFUSAL_ATTR


class LockoutMessageMixin:
    """Replaces "wrong username or password" by the lockout or throttle message when that was the refusal."""

    request: Any

    def get_invalid_login_error(self) -> forms.ValidationError:
        refusal = getattr(self.request, REFUSAL_ATTR, None)
        if refusal is None:
            return self._wrong_credentials_error()
        reason, user = refusal
        if reason == "locked":
            return self._locked_error(user.locked_until)
        minutes = int(security.address_window().total_seconds() // 60)
        return forms.ValidationError(
            _(
                "Too many failed sign-ins from your network address. Try again in {minutes} minutes, "
                "or contact the bureau administrator (programme office)."
            ).format(minutes=minutes),
            code="throttled",
        )

    @staticmethod
    def _locked_error(until: Any) -> forms.ValidationError:
        return forms.ValidationError(
            _(
                "This account is locked after repeated failed sign-ins. Try again after {until}, "
                "or ask the bureau administrator (programme office) to unlock it."
            ).format(until=formats.date_format(timezone.localtime(until), "Y-m-d H:i")),
            code="locked",
        )

    def _wrong_credentials_error(self) -> forms.ValidationError:
        """Django's "wrong username or password", with the attempts left before the lockout
        (ACC-06); the try that locks the account gets the locked message at once."""
        error: forms.ValidationError = super().get_invalid_login_error()  # type: ignore[misc]
        cleaned = getattr(self, "cleaned_data", {})
        left, locked_until = services.attempts_left(str(cleaned.get("username") or ""))
        if locked_until is not None:
            return self._locked_error(locked_until)
        if left is None:
            return error
        return forms.ValidationError(
            "{} {}".format(
                error.message % (error.params or {}),
                ngettext(
                    "{count} attempt left before the account is locked.",
                    "{count} attempts left before the account is locked.",
                    left,
                ).format(count=left),
            ),
            code="invalid_login",
        )


class LoginForm(LockoutMessageMixin, AuthenticationForm):
    pass


class AdminLoginForm(LockoutMessageMixin, AdminAuthenticationForm):
    pass


class OwnPasswordChangeForm(PasswordChangeForm):
    """Django's form; saving goes through ``services.change_own_password`` in the view."""

    def save(self, commit: bool = True) -> Any:
        raise NotImplementedError("Use greenbuild.accounts.services.change_own_password")
