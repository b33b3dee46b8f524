"""A typed door to django-rules, for modules under ``mypy --strict``.

django-rules ships a ``py.typed`` marker but no annotations, so strict mypy refuses its
decorator and calls as untyped. Import this instead of ``rules`` (``from greenbuild.core import
typed_rules as rules``): the same three functions, the same behaviour, with annotations.
A predicate stays a ``rules.Predicate`` (combine them with ``|``, ``&``, ``~``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rules.permissions import add_perm as _add_perm
from rules.permissions import has_perm as _has_perm
from rules.predicates import Predicate
from rules.predicates import predicate as _predicate

__all__ = ["Predicate", "add_perm", "has_perm", "predicate"]


def predicate(fn: Callable[..., bool]) -> Any:
    """``@rules.predicate``: a ``Predicate`` (typed ``Any``: its operators are untyped too)."""
    return _predicate(fn)  # type: ignore[no-untyped-call]  # django-rules has no annotations


def add_perm(name: str, pred: Any) -> None:
    _add_perm(name, pred)  # type: ignore[no-untyped-call]  # django-rules has no annotations


def has_perm(name: str, *args: Any, **kwargs: Any) -> bool:
    return bool(_has_perm(name, *args, **kwargs))  # type: ignore[no-untyped-call]  # django-rules has no annotations
