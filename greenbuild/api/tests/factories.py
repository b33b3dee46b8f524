"""Factories of the api app: tokens issued through ``api.services.create_token``.

Shared entry: ``greenbuild.testing.factories`` re-exports these."""

from __future__ import annotations

from typing import Any

from greenbuild.accounts.models import User
from greenbuild.api import services
from greenbuild.api.models import ApiToken, TokenScope


def make_token(
    user: User, *, actor: User | None = None, name: str = "测试令牌", scope: str = TokenScope.READ, **kw: Any
) -> tuple[ApiToken, str]:
    """A token for ``user`` issued by ``actor`` (default: ``user`` themself); returns the row and
    the token text (shown once, never stored)."""
    return services.create_token(actor=actor or user, user=user, name=name, scope=scope, **kw)
