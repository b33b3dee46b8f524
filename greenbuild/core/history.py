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
