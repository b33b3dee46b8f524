"""What a request may do at all, before the object gates: reads for everyone the gates let see,
writes only for a signed-in session or a write token. The object gates (each app's
``for_user``/``get_*_for_user``) then decide per object, exactly as for the pages.

The token scope is enforced first by ``BearerTokenAuthentication`` on every request, so a view's
own ``permission_classes`` cannot drop it; ``TokenScopePermission`` and ``SignedIn`` repeat the
check for views that name them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from greenbuild.api.models import ApiToken


class TokenScopePermission(permissions.BasePermission):
    message = _("This token may only read. Create a token with the write scope to make changes.")

    def has_permission(self, request: Any, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if not getattr(request.user, "is_authenticated", False):
            return False
        token = request.auth
        return not isinstance(token, ApiToken) or token.can_write


class SignedIn(permissions.IsAuthenticated):
    message = _("Sign in or send an API token.")

    def has_permission(self, request: Any, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        if not TokenScopePermission().has_permission(request, view):
            self.message = TokenScopePermission.message
            return False
        return True
