from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from greenbuild.accounts import security
from greenbuild.accounts.backends import REFUSAL_ATTR


class LockoutMessageMixin:
    """Replaces "wrong username or password" by the lockout or throttle message when that was the refusal."""

    request: Any

    def get_invalid_login_error(self) -> forms.ValidationError:
        refusal = getattr(self.request, REFUSAL_ATTR, None)
        if refusal is None:
            return super().get_invalid_login_error()  # type: ignore[misc]
        reason, user = refusal
        if reason == "locked":
            until = formats.date_format(timezone.localtime(user.locked_until), "Y-m-d H:i")
            return forms.ValidationError(
                _(
                    "This account is locked after repeated failed sign-ins. Try again after {until}, "
                    "or ask the bureau administrator (programme office) to unlock it."
                ).format(until=until),
                code="locked",
            )
        minutes = int(security.address_window().total_seconds() // 60)
        return forms.ValidationError(
            _(
                "Too many failed sign-ins from your network address. Try again in {minutes} minutes, "
                "or contact the bureau administrator (programme office)."
            ).format(minutes=minutes),
            code="throttled",
        )


class LoginForm(LockoutMessageMixin, AuthenticationForm):
    pass


class AdminLoginForm(LockoutMessageMixin, AdminAuthenticationForm):
    pass


class OwnPasswordChangeForm(PasswordChangeForm):
    """Django's form; saving goes through ``services.change_own_password`` in the view."""

    def save(self, commit: bool = True) -> Any:
        raise NotImplementedError("Use greenbuild.accounts.services.change_own_password")
