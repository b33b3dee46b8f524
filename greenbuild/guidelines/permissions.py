"""The one gate of the guidelines app: published editions are public reading; drafts, the bureau's.

Editing happens in the admin (bureau administrators) through ``services``.
"""

from __future__ import annotations

from typing import Any

from greenbuild.accounts.roles import is_bureau_admin
from greenbuild.core.permissions import VIEW, Gate, register_gate


def can(user: Any, action: str, guideline: Any) -> bool:
    if action == VIEW:
        return guideline is not None and (guideline.published or is_bureau_admin(user))
    return is_bureau_admin(user) and guideline is not None and not guideline.published


def restrict(queryset: Any, user: Any, action: str = VIEW) -> Any:
    if action != VIEW:
        raise ValueError("unknown action {!r}".format(action))
    return queryset if is_bureau_admin(user) else queryset.filter(published=True)


GUIDELINE_GATE = register_gate(Gate(model="guidelines.Guideline", can=can, restrict=restrict))
