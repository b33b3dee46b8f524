"""Read helpers for programmes."""

from __future__ import annotations

from django.http import Http404

from greenbuild.programmes.models import Programme


def current_programme() -> Programme:
    """The programme the platform is running now (the admin marks it current)."""
    programme = (
        Programme.objects.prefetch_related("phases", "quota_rules__category", "districts")
        .order_by("-is_current", "pk")
        .first()
    )
    if programme is None:
        raise Http404("No programme is set up.")
    return programme
