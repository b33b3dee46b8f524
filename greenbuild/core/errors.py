"""Domain errors raised by services; views turn them into messages in the user's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class DomainError(Exception):
    """A business rule refused the action. ``message`` is already translated (lazy)."""

    def __init__(self, message: str | _StrPromise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class TransitionNotAllowed(DomainError):
    """The object is not in a state from which this move is allowed."""


class ActionForbidden(PermissionDenied):
    """The actor may see the object but may not perform this action on it."""
