"""Throttling per token and per address (issue 12 §4). Rates are settings
(``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``: ``token``, ``address``)."""

from __future__ import annotations

from typing import Any

from rest_framework.throttling import SimpleRateThrottle

from greenbuild.api.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class AddressRateThrottle(SimpleRateThrottle):
    scope = "address"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
