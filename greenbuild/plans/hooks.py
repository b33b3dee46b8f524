"""Extension points the reviews app registers into (plans never imports reviews).

* ``register_plan_reader(predicate, scope)``: ``predicate(user, plan) -> bool`` says that ``user``
  reads ``plan`` although the project gate would not let them (an expert of the plan's panel);
  ``scope(user) -> Q`` over ``GreenPlan`` is the SQL form of the same rule (for lists).
* ``register_review_leader(predicate)``: ``predicate(user, plan) -> bool`` says that ``user``
  leads the plan's current review: they may request a clarification and record the conclusion
  (besides the bureau).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q

ReaderPredicate = Callable[[Any, Any], bool]
ReaderScope = Callable[[Any], Q]

_readers: list[tuple[ReaderPredicate, ReaderScope]] = []
_leaders: list[ReaderPredicate] = []


def register_plan_reader(predicate: ReaderPredicate, scope: ReaderScope) -> None:
    if (predicate, scope) not in _readers:
        _readers.append((predicate, scope))


def register_review_leader(predicate: ReaderPredicate) -> None:
    if predicate not in _leaders:
        _leaders.append(predicate)


def is_extra_reader(user: Any, plan: Any) -> bool:
    return any(predicate(user, plan) for predicate, _scope in _readers)


def extra_reader_scope(user: Any) -> Q:
    scope = Q(pk__in=[])
    for _predicate, make in _readers:
        scope |= make(user)
    return scope


def is_review_leader(user: Any, plan: Any) -> bool:
    return any(predicate(user, plan) for predicate in _leaders)


def unregister_plan_reader(predicate: ReaderPredicate, scope: ReaderScope) -> None:
    """Take a reader rule out again (tests)."""
    if (predicate, scope) in _readers:
        _readers.remove((predicate, scope))


def unregister_review_leader(predicate: ReaderPredicate) -> None:
    if predicate in _leaders:
        _leaders.remove(predicate)
