"""Naming the author of a change for django-simple-history, typed.

simple_history reads ``obj._history_user`` when it writes the history row of ``obj.save()``; the
attribute is set at run time, so no model declares it and ``mypy --strict`` refuses
``obj._history_user = actor`` on a typed model. Services call ``set_history_user(obj, actor)``.
"""

from __future__ import annotations

from typing import Any

from django.db import models


def set_history_user(obj: models.Model, actor: Any) -> None:
    """The next history row of ``obj`` names ``actor`` as its author (style.md: every change is
    attributable)."""
    history_target: Any = obj  # simple_history's run-time attribute, not declared on the model
    history_target._history_user = actor


def apply_changes(obj: models.Model, data: dict[str, Any]) -> list[str]:
    """Set on ``obj`` the values of ``data`` that differ from what it holds; the changed names.

    A form posted back as it was shown must change nothing (issue 16 item 8): a service saves only
    when this returns names, so an unchanged form writes no row, no history entry and no new
    ``updated_at``. Values are compared as the field stores them (``to_python``), so ``"40"`` from a
    form equals a stored ``40``.
    """
    changed = []
    for name, value in data.items():
        try:
            field = obj._meta.get_field(name)
        except Exception:  # noqa: BLE001 - not a model field: a plain attribute
            field = None
        attname = getattr(field, "attname", name) if field is not None and not field.is_relation else name
        current = getattr(obj, attname, None)
        new = value
        if field is not None and not field.is_relation and hasattr(field, "to_python"):
            try:
                new = field.to_python(value)
            except Exception:  # noqa: BLE001 - leave validation to full_clean()
                new = value
        if current != new:
            setattr(obj, name, value)
            changed.append(name)
    return changed
