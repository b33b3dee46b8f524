"""``Authorization: Bearer <token>`` for systems; the browser keeps its session (with CSRF)."""

from __future__ import annotations

from typing import Any, NoReturn

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from greenbuild.accounts.roles import bind_to_organisation
from greenbuild.api import services
from greenbuild.api.permissions import TokenScopePermission
from greenbuild.core.http import client_address


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """Every token-authenticated request of the API passes here, whatever view it reaches, so the
    rules that no view may drop are enforced here (docs/api.md, "Authentication"):

    * a token that is unknown, expired or revoked, or suspended (its user deactivated, locked or
      due to change the password; a bound token whose user lost the organisation) is a 401, and
      the refusal is audited (at most once a minute per address); refusals (and a read token's
      writes) count against the address's throttle, which would otherwise never see them;
    * a read token's write (any method but GET, HEAD, OPTIONS) is a 403 before any view runs: a
      view's own ``permission_classes`` cannot let it through;
    * a bound token acts only through the user's memberships in its organisation, the superuser
      flag included (``accounts.roles.bind_to_organisation``).
    """

    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if not parts or parts[0].lower() != self.keyword.lower():
            return None
        if len(parts) != 2:
            self._refuse(request, "malformed", _("Send the token as “Authorization: Bearer <token>”."))
        token = services.lookup_token(parts[1])
        if token is None:
            self._refuse(request, "token_invalid", _("The token is unknown, expired or revoked."))
        reason = services.refusal(token)
        if reason is not None:
            self._refuse(request, reason[0], reason[1], token)
        user = token.user
        if token.organisation_id is not None:
            bind_to_organisation(user, token.organisation_id)
        services.note_use(token, address=client_address(request), request=request)
        if request.method not in permissions.SAFE_METHODS and not token.can_write:
            _count_against_the_address(request)
            raise exceptions.PermissionDenied(TokenScopePermission.message, code="read_only_token")
        return user, token

    def _refuse(self, request: Any, code: str, message: Any, token: Any = None) -> NoReturn:
        _count_against_the_address(request)
        services.note_refusal(request=request, code=code, token=token)
        raise exceptions.AuthenticationFailed(message, code=code)

    def authenticate_header(self, request: Any) -> str:
        return self.keyword


def _count_against_the_address(request: Any) -> None:
    """A request refused here never reaches DRF's throttles (they run after the authentication),
    so it is counted against its address's rate here: past it, 429, as any other request."""
    from greenbuild.api.throttling import AddressRateThrottle

    throttle = AddressRateThrottle()
    if not throttle.allow_request(request, None):
        raise exceptions.Throttled(throttle.wait())


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
