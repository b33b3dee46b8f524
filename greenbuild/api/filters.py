"""Query parameters of the API's lists (issue 18 items 3 and 4; API-13, API-14).

A list takes only the parameters it documents: its filters (the filter set's names, which are
the names of the fields as the answers show them), ``limit`` and ``offset``, ``ordering`` where it
can be ordered, ``q`` where it can be searched, and ``format``. Anything else is a 400 in the
API's error shape that names it (``errors.<name>``), so a misspelt filter is never silently
ignored — before this, ``/api/v1/expert-scores/?seat=13`` answered every score.

:class:`KnownQueryParameters` is the first of ``REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"]``; a
view that lists its own ``filter_backends`` starts them with it (``API_FILTER_BACKENDS``,
``API_ORDERED_FILTER_BACKENDS``). A filter set may keep a renamed filter working for a while:
``deprecated_aliases = {"old_name": "new_name"}`` on the filter set (see
:class:`AliasedFilterSetMixin`); an alias is accepted but not documented in the schema.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms as django_forms
from django.utils.translation import gettext as _
from django_filters import rest_framework as django_filters
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend, OrderingFilter, SearchFilter
from rest_framework.settings import api_settings

from greenbuild.api.deprecation import Deprecation
from greenbuild.core.fields import PolicyOrderingFilter

#: the largest id a database column holds (a signed 64-bit integer)
ID_MAX = 2**63 - 1


class _IdField(django_forms.IntegerField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


class IntegerIdFilter(django_filters.NumberFilter):
    """An id: an integer (``1.5`` is refused, not read as 1) that a database column can hold (a
    larger one is a 400 naming the parameter on every database, never an overflow), an integer in
    the schema."""

    field_class = _IdField


class AliasedFilterSetMixin:
    """A filter set whose renamed filters keep their old names as deprecated aliases.

    ``deprecated_aliases = {"district_id": "district"}``: a query naming the old one filters as
    the new one (the new name wins when both are given).
    """

    deprecated_aliases: dict[str, str] = {}
    #: when the aliases were deprecated: a request naming one is answered with the ``Deprecation``
    #: and ``Link`` headers (``api.deprecation``), so that a machine sees it uses an old name
    aliases_deprecated_since: datetime | None = None

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None and any(old in data for old in self.deprecated_aliases):
            request = kwargs.get("request")
            if request is not None and self.aliases_deprecated_since is not None:
                request.gb_deprecated_parameters = Deprecation(since=self.aliases_deprecated_since)
            data = data.copy()  # a QueryDict's copy is mutable
            for old, new in self.deprecated_aliases.items():
                if old not in data:
                    continue
                if new not in data:
                    if hasattr(data, "setlist"):
                        data.setlist(new, data.getlist(old))
                    else:
                        data[new] = data[old]
                del data[old]
        super().__init__(data, *args, **kwargs)  # type: ignore[call-arg]


def allowed_query_parameters(request: Any, view: Any) -> set[str]:
    """The query parameters ``view`` takes when it lists: see the module's docstring."""
    allowed: set[str] = set(getattr(view, "extra_query_parameters", ()))
    if api_settings.URL_FORMAT_OVERRIDE:
        allowed.add(api_settings.URL_FORMAT_OVERRIDE)
    paginator = getattr(view, "paginator", None)
    if paginator is not None:
        for attribute in ("limit_query_param", "offset_query_param", "page_query_param", "page_size_query_param"):
            name = getattr(paginator, attribute, None)
            if name:
                allowed.add(name)
    for backend_class in getattr(view, "filter_backends", ()):
        backend = backend_class()
        if isinstance(backend, django_filters.DjangoFilterBackend):
            filterset_class = _filterset_class(backend, view)
            if filterset_class is not None:
                allowed.update(filterset_class.base_filters)
                allowed.update(getattr(filterset_class, "deprecated_aliases", {}))
        elif isinstance(backend, OrderingFilter):
            allowed.add(backend.ordering_param)
        elif isinstance(backend, SearchFilter):
            allowed.add(backend.search_param)
    return allowed


def _filterset_class(backend: Any, view: Any) -> Any:
    declared = getattr(view, "filterset_class", None)
    if declared is not None:
        return declared
    if not getattr(view, "filterset_fields", None):
        return None
    queryset = getattr(view, "queryset", None)
    if queryset is None:
        queryset = view.get_queryset()  # lazy: builds the query, runs none
    return backend.get_filterset_class(view, queryset)


def check_query_parameters(request: Any, view: Any) -> None:
    """400 naming every query parameter the list does not take (once per request)."""
    if not request.query_params or getattr(request, "_query_parameters_checked", False):
        return
    request._query_parameters_checked = True
    allowed = allowed_query_parameters(request, view)
    unknown = sorted(set(request.query_params) - allowed)
    if not unknown:
        return
    message = _("This list does not take this parameter. It takes: {names}.").format(names=", ".join(sorted(allowed)))
    raise ValidationError({name: [message] for name in unknown})


class KnownQueryParameters(BaseFilterBackend):
    """Refuse (400) a list's query parameter that no filter, the ordering or the pages read.

    ``GatedViewSet`` checks its lists before they run (``api/base.py``), also those that never
    call ``filter_queryset``; this backend does it for every other view that filters."""

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        # Only lists: a detail's parameters (if any) are its own.
        if getattr(view, "action", "list") == "list":
            check_query_parameters(request, view)
        return queryset

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return []


#: ``filter_backends`` of a list with filters (the default of ``REST_FRAMEWORK``)
API_FILTER_BACKENDS = [KnownQueryParameters, django_filters.DjangoFilterBackend]
#: ``filter_backends`` of a list that can also be ordered (``?ordering=``; ``ordering_fields``)
API_ORDERED_FILTER_BACKENDS = [*API_FILTER_BACKENDS, PolicyOrderingFilter]
