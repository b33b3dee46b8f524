"""The navbar's to-do badge, cheap on every page (issue 19 item 7).

Every page asks for the badge (an htmx request after the page loads), and counting a person's
to-dos asks every app's inbox provider (5 to 16 queries by role). The counts are kept in the
shared cache for ``INBOX_BADGE_CACHE_SECONDS`` (default 60) per person, under a generation number
that every change that can add or remove a to-do moves on, so a badge is never staler than the
last write:

* every successful write request (``InboxBadgeMiddleware``: POST, PUT, PATCH, DELETE below 400);
* every event recorded, whoever records it (the worker's daily entries too: ``apps.ready``), every
  membership saved or deleted (the shell, a command) and every job finished (the worker's imports
  and recomputations): after the transaction commits (``changed``), so a reader never caches the
  old state under the new number, and no long transaction holds the number's row in the database
  cache (every write request would wait for it);
* the passing of a day (an item becomes overdue, a programme's to-dos are archived): every time
  rule of the inbox is by date, so a count kept on another day is counted afresh.

Reading the badge is one cache read (``get_many`` of the generation and the person's counts),
one query with the database cache; the page itself counts unread notifications in one query
(``core.context_processors.navigation``).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

GENERATION_KEY = "inbox-badge:generation"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def _seconds() -> int:
    return int(getattr(settings, "INBOX_BADGE_CACHE_SECONDS", 60))


def _key(user: Any) -> str:
    return "inbox-badge:user:{}".format(user.pk)


def counts(user: Any) -> tuple[int, int]:
    """``(waiting, overdue)``: the number of ``user``'s to-dos and how many are overdue."""
    from greenbuild.notifications.services import inbox_for

    if not getattr(user, "is_authenticated", False):
        return 0, 0
    seconds = _seconds()
    if seconds <= 0:
        items = inbox_for(user)
        return len(items), sum(1 for item in items if item.overdue)
    found = cache.get_many([GENERATION_KEY, _key(user)])
    generation = found.get(GENERATION_KEY)
    if generation is None:  # first use, or evicted: a number no cached badge holds
        cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    kept = found.get(_key(user))
    today = timezone.localdate().isoformat()  # due dates and archiving move by the day
    if isinstance(kept, (tuple, list)) and len(kept) == 4 and kept[0] == generation and kept[1] == today:
        return kept[2], kept[3]
    items = inbox_for(user)
    waiting, overdue = len(items), sum(1 for item in items if item.overdue)
    cache.set(_key(user), (generation, today, waiting, overdue), timeout=seconds)
    return waiting, overdue


def changed(**_kwargs: Any) -> None:
    """Signal receiver: once the current transaction commits (now, outside one), every cached
    badge is stale. Not at once: a badge counted before the commit would be kept under the new
    number, and the database cache would hold the number's row locked until the commit."""
    transaction.on_commit(invalidate)


def invalidate(**_kwargs: Any) -> None:
    """Every cached badge is stale: move the generation on."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet (or evicted)
        cache.set(GENERATION_KEY, _fresh_generation(), timeout=None)


def _fresh_generation() -> int:
    return secrets.randbelow(2**62) + 1


class InboxBadgeMiddleware:
    """After a successful write request, every badge is counted afresh on its next request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            try:
                invalidate()
            except Exception:  # a cache outage must not fail a write that is done
                logger.warning("could not invalidate the to-do badges", exc_info=True)
        return response
