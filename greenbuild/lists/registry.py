"""The lists that offer saved filters: name → the page's URL name (and the address keys it keeps)."""

from __future__ import annotations

from django.http import QueryDict

#: list name → URL name of its page
LISTS: dict[str, str] = {"projects": "projects:project-list"}

#: address keys never saved with a filter
SKIPPED = frozenset({"page", "csrfmiddlewaretoken"})


def clean_query(raw: str) -> str:
    """``raw`` re-encoded without the page number (a saved filter lists from its first page)."""
    data = QueryDict(raw or "", mutable=True)
    for key in SKIPPED:
        data.pop(key, None)
    return data.urlencode()
