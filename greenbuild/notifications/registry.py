"""The one small interface through which apps feed events and the inbox (issue 11 §5).

An app declares, in its ``AppConfig.ready()``:

* the **verbs** of its events — how an event reads (rendered when read, in the reader's
  language), where it links to, who should hear of it, and which of those the app's gate lets
  read it (applied to the whole batch of candidates at once)::

      register_verb(Verb(
          code="project.transition",
          render=lambda event: _("{project}: {from_status} → {to_status}").format(**event.params),
          url=lambda event: reverse("projects:project-detail", args=[event.project_id]),
          audience=lambda event: Q(memberships__role=Role.BUREAU_ADMIN),
          readers=readers_of_project,   # the projects gate, for a batch of users
      ))

* its **inbox providers** — functions ``provider(user) -> Iterable[InboxItem]`` that list what waits
  for ``user`` (applications to recommend, reviews to score, steps to sign). A provider runs a
  constant number of queries whatever the number of items, and only yields what the app's own gate
  lets the user act on::

      register_inbox_provider("projects.to_recommend", applications_to_recommend)

This module imports no app of ours, so every app may depend on it without an import loop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Verb:
    code: str
    #: event → the sentence a reader reads (called under the reader's language)
    render: Callable[[Any], str]
    #: event → where the notification links to (None: no link)
    url: Callable[[Any], str | None] = lambda event: None
    #: event → a Q over users who should hear of it (before the gate and less the actor)
    audience: Callable[[Any], Q] = lambda event: Q(pk__in=[])
    #: (candidates, event) → those who may read it: the app's own gate, applied in one batch
    readers: Callable[[list[Any], Any], list[Any]] = lambda users, event: users


_VERBS: dict[str, Verb] = {}


def register_verb(verb: Verb) -> None:
    _VERBS[verb.code] = verb


def get_verb(code: str) -> Verb | None:
    return _VERBS.get(code)


def verbs() -> dict[str, Verb]:
    return dict(_VERBS)


#: what a reader calls each kind of event: a verb's kind is the part of its code before the first
#: dot ("reviews.invited" → "reviews"). Kinds filter the notifications page and choose which
#: events a person also hears of by e-mail (``DeliveryPreference.email_muted_kinds``).
KIND_LABELS: dict[str, Any] = {
    "project": gettext_lazy("Projects"),
    "plan": gettext_lazy("Green construction plans"),
    "reviews": gettext_lazy("Expert reviews"),
    "conference": gettext_lazy("Meetings"),
    "lifecycle": gettext_lazy("Construction steps"),
    "documents": gettext_lazy("Issued documents"),
    "webhooks": gettext_lazy("Webhooks"),
    "inspections": gettext_lazy("Inspections and rectification"),
    "supervision": gettext_lazy("Inspection plans, draws and evaluations"),
    "completion": gettext_lazy("Completion evaluations"),
    "bulletins": gettext_lazy("Periodic bulletins"),
    "summaries": gettext_lazy("Programme summaries"),
    "publicity": gettext_lazy("Public notice and public concern"),
    "incentives": gettext_lazy("Incentives"),
}


def kind_of(verb_code: str) -> str:
    return verb_code.split(".", 1)[0]


def kinds() -> list[tuple[str, str]]:
    """(kind, label in the active language) of every registered verb, in the labels' order."""
    order = list(KIND_LABELS)
    present = {kind_of(code) for code in _VERBS}
    ordered = sorted(present, key=lambda k: (order.index(k) if k in order else len(order), k))
    return [(kind, str(KIND_LABELS.get(kind, kind))) for kind in ordered]


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def render_event(event: Any) -> str:
    verb = _VERBS.get(event.verb)
    if verb is None:
        return str(event.params.get("text") or event.verb)
    return str(verb.render(event))


def event_url(event: Any) -> str | None:
    verb = _VERBS.get(event.verb)
    return verb.url(event) if verb is not None else None


@dataclass(frozen=True)
class InboxItem:
    """One thing waiting for a person (待办)."""

    kind: str  # the provider's code, e.g. "projects.to_recommend"
    label: str  # what to do, in the reader's language ("待推荐")
    title: str  # what it is about (a project name)
    url: str
    since: dt.datetime | None = None  # waiting since
    due: dt.date | None = None
    project_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()

    @property
    def waiting_days(self) -> int | None:
        if self.since is None:
            return None
        return (timezone.localdate() - timezone.localtime(self.since).date()).days


#: user → a Q over notifications they read besides those of projects they see (the object's own gate)
ReaderScope = Callable[[Any], Q]
_READER_SCOPES: dict[str, ReaderScope] = {}


def register_reader_scope(code: str, scope: ReaderScope) -> None:
    """Let the recipients an app's events chose read them through the app's own gate.

    ``scope(user)`` is a Q over ``Notification`` (usually on ``event__target_type`` and
    ``event__target_id``) for the notifications ``user`` reads although the projects gate does not
    let them see the project (an expert and the review round they sit on). Built of subqueries:
    ``visible_to`` stays one query.
    """
    _READER_SCOPES[code] = scope


def reader_scopes() -> dict[str, ReaderScope]:
    return dict(_READER_SCOPES)


InboxProvider = Callable[[Any], Iterable[InboxItem]]
_PROVIDERS: dict[str, InboxProvider] = {}


def register_inbox_provider(code: str, provider: InboxProvider) -> None:
    _PROVIDERS[code] = provider


def inbox_providers() -> dict[str, InboxProvider]:
    return dict(_PROVIDERS)
