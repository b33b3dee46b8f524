"""Read helpers for programmes."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone

from greenbuild.programmes.models import Programme


def all_programmes() -> list[Programme]:
    """Every programme with its phases, quota rules and districts (a fixed number of queries)."""
    return list(
        Programme.objects.prefetch_related("phases", "quota_rules__category", "districts").order_by("-is_current", "pk")
    )


def pick_current(programmes: list[Programme], as_of: dt.date) -> Programme:
    """The programme running on ``as_of`` (a phase contains the date), the one the admin marks
    current first; else the one marked current (issue 10 item 18)."""
    if not programmes:
        raise Http404("No programme is set up.")
    running = [p for p in programmes if p.phase_on(as_of) is not None]
    return (running or programmes)[0]


def pick_programme(programmes: list[Programme], code: str, as_of: dt.date) -> Programme:
    """The programme with ``code``; for an unknown or empty code, the one running on ``as_of``."""
    return next((p for p in programmes if p.code == code), None) or pick_current(programmes, as_of)


def current_programme(as_of: dt.date | None = None) -> Programme:
    """The programme the platform is running now: new applications are filed in it."""
    return pick_current(all_programmes(), as_of or timezone.localdate())
