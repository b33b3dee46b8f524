"""Authentication with lockout and address throttling (等保2.0: 登录失败处理)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from greenbuild.accounts.services import address_is_throttled, find_user, unknown_name_locked_until
from greenbuild.core.http import client_throttle_key

REFUSAL_ATTR = "_gb_login_refusal"


class LockoutModelBackend(ModelBackend):
    """Django's model backend, refusing a locked account or a throttled address before the password
    is checked: the right password of a locked account is refused too. The reason is left on the
    request for the sign-in form's message; ``user_login_failed`` then records the refusal."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = find_user(username)
        if user is not None and user.is_locked():
            self._refuse(request, "locked", user)
        if user is None:
            # A made-up name is "locked" like an account, or the answer would tell them apart.
            locked_until = unknown_name_locked_until(username)
            if locked_until is not None:
                self._refuse(request, "locked", SimpleNamespace(locked_until=locked_until))
        if address_is_throttled(client_throttle_key(request)):
            self._refuse(request, "throttled", None)
        return super().authenticate(request, username=username, password=password, **kwargs)

    @staticmethod
    def _refuse(request: HttpRequest | None, reason: str, user: Any) -> None:
        if request is not None:
            setattr(request, REFUSAL_ATTR, (reason, user))
        raise PermissionDenied(reason)
