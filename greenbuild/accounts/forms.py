from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from greenbuild.accounts import security, services
from greenbuild.accounts.backends import REFUSAL_ATTR
from greenbuild.core.validators import normalise_mobile_phone, validate_mobile_phone


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


class ProfileForm(forms.Form):
    """The person's own contact details: where e-mails go and the mobile number people call."""

    display_name = forms.CharField(
        label=gettext_lazy("Name shown to others"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Leave empty to show your full name or username."),
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        required=False,
        max_length=254,
        help_text=gettext_lazy("Notifications and the daily digest are sent here. Leave empty to receive no e-mail."),
    )
    phone = forms.CharField(
        label=gettext_lazy("Mobile phone"),
        required=False,
        max_length=30,
        help_text=gettext_lazy("A mainland China mobile number, 11 digits, such as 13812345678."),
    )

    def clean_email(self) -> str:
        return (self.cleaned_data.get("email") or "").strip()

    def clean_phone(self) -> str:
        phone = normalise_mobile_phone(self.cleaned_data.get("phone") or "")
        if phone:
            validate_mobile_phone(phone)
        return phone
