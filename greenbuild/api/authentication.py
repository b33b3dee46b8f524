"""``Authorization: Bearer <token>`` for systems; the browser keeps its session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from greenbuild.api import services


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if not parts or parts[0].lower() != self.keyword.lower():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as “Authorization: Bearer <token>”."))
        token = services.find_token(parts[1])
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is unknown, expired or revoked."))
        user = token.user
        if token.organisation_id is not None:
            # A token bound to an organisation acts only through the user's roles there.
            user.use_memberships([m for m in user.memberships_cached() if m.organisation_id == token.organisation_id])
        services.note_use(token, address=request.META.get("REMOTE_ADDR"), request=request)
        return user, token

    def authenticate_header(self, request: Any) -> str:
        return self.keyword


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Documents the token scheme in the OpenAPI schema."""

    target_class = "greenbuild.api.authentication.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "API 令牌（在“我的 API 令牌”页面创建） · an API token, created on the “My API tokens” page",
        }
