"""Sortable columns for the list pages (issue 19 item 5).

A list declares its columns once; :meth:`ListSort.apply` reads ``?sort=name`` (``-name`` for
descending), orders the queryset and returns the headers the template draws: a link in each
sortable ``<th>`` and ``aria-sort`` on the sorted one. The field policy (``core.fields``) decides:
a reader may sort only by a field they see on every row of the list (``may_order_by``), as the
API's ``PolicyOrderingFilter`` does; a column on a hidden field has no link, and an address that
asks for it anyway is refused with a message and the list keeps its default order.

Sorting never adds a query per row: the order is part of the list's one query (a refused hidden
field costs one ``EXISTS`` only when the address asks for it and the reader does not see inside
every row).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext as _

from greenbuild.core.fields import Audience, may_order_by, policy_for

PARAM = "sort"


@dataclass(frozen=True)
class Column:
    """One sortable column: ``key`` in the address bar, its header ``label`` and the ORM paths it
    orders by (the first one is the field the policy judges)."""

    key: str
    label: Any
    order_by: tuple[str, ...]

    @property
    def field(self) -> str:
        return self.order_by[0].lstrip("-")


@dataclass
class Header:
    key: str
    label: Any
    sortable: bool
    #: "ascending" / "descending" on the sorted column, else "" (no ``aria-sort`` attribute)
    aria_sort: str = ""
    url: str = ""

    @property
    def next_direction_label(self) -> str:
        return _("sort descending") if self.aria_sort == "ascending" else _("sort ascending")


@dataclass
class SortResult:
    queryset: Any
    headers: dict[str, Header] = field(default_factory=dict)
    #: the ``?sort=`` value in force ("" when the default order holds)
    value: str = ""
    error: str = ""


class ListSort:
    """The sortable columns of one list; ``tie`` keeps a stable order (``pk`` last)."""

    def __init__(self, *columns: Column, tie: str = "-pk") -> None:
        self.columns = {c.key: c for c in columns}
        self.tie = tie

    def sortable(self, model: Any, user: Any, column: Column) -> bool:
        """Whether ``user`` may sort by ``column`` without asking the database: a public field;
        a hidden one only when the reader sees inside every row (the bureau)."""
        policy = policy_for(model)
        if policy.level(column.field) == Audience.PUBLIC:
            return True
        return policy.scope(user) == Q()

    def apply(self, request: Any, queryset: Any, *, query: QueryDict | None = None) -> SortResult:
        """Order ``queryset`` by the ``sort`` of ``query``, the list's query string (defaults to
        ``request.GET``; a batch export passes the list's), from which each header's link is built."""
        user = request.user
        query = (query if query is not None else request.GET).copy()
        query.pop("page", None)
        raw = (query.get(PARAM) or "").strip()
        key, descending = raw.removeprefix("-"), raw.startswith("-")
        result = SortResult(queryset=queryset)
        column = self.columns.get(key) if raw else None
        if raw and column is None:
            result.error = _("This list cannot be sorted by “{name}”.").format(name=raw[:40])
        elif column is not None:
            if self.sortable(queryset.model, user, column) or may_order_by(queryset, user, column.field):
                prefix = "-" if descending else ""
                terms = [prefix + path for path in column.order_by]
                result.queryset = queryset.order_by(*terms, self.tie)
                result.value = raw
            else:
                result.error = _("You cannot sort this list by “{name}”.").format(name=column.label)
                column = None
        for c in self.columns.values():
            header = Header(key=c.key, label=c.label, sortable=self.sortable(queryset.model, user, c))
            if column is not None and c.key == column.key:
                header.aria_sort = "descending" if descending else "ascending"
            if header.sortable:
                link = query.copy()
                link[PARAM] = ("-" if header.aria_sort == "ascending" else "") + c.key
                header.url = "?" + link.urlencode()
            result.headers[c.key] = header
        return result
