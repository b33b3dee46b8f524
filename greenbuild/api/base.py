"""What every app's API builds on (issue 12): gated viewsets, form-validated writes, the
read-only status rule and the one error shape.

* ``get_queryset`` always goes through the app's gate (``for_user``); an object outside it is a
  404 whatever its id (malformed and overflowing ids too), and a visible object the user may not
  act on is a 403 — exactly as for the pages.
* Writes are validated by the same Django forms as the pages and performed by the same services,
  so the API can do what the UI can and nothing more, and field errors are keyed like the forms.
* ``Location`` on 201, an ``ETag`` on single objects, ``If-None-Match`` and ``If-Match`` (412):
  ``api/conditional.py``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.views import APIView

from greenbuild.api.conditional import ConditionalMixin  # Location, ETag, If-Match (issue 18)
from greenbuild.api.deprecation import DeprecationMixin  # Deprecation/Sunset also on early refusals
from greenbuild.api.filters import check_query_parameters
from greenbuild.core.permissions import parse_id

#: ids in routes: at most 19 digits (a longer one is a 404 from the router, never a database error)
ID_PATTERN = r"[0-9]{1,19}"


def parse_pk(value: Any) -> int:
    number = parse_id(value)
    if number is None:
        raise NotFound()
    return number


class BodyFirstMixin:
    """Read a write's body as soon as the caller may write (``api/parsers.py``): a malformed body
    is a 400 on every write, also on the moves that take no body, never data half-used."""

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if request.method not in SAFE_METHODS:
            request.data  # noqa: B018

    def check_throttles(self, request: Any) -> None:
        from rest_framework.exceptions import Throttled

        from greenbuild.api.throttling import counters_together

        refused = None
        with counters_together():  # one commit for the token's and the address's counters
            try:
                super().check_throttles(request)  # type: ignore[misc]
            except Throttled as exc:  # the counters that allowed it are still written
                refused = exc
        if refused is not None:
            raise refused


class ApiView(DeprecationMixin, ConditionalMixin, BodyFirstMixin, APIView):
    """An API view that is not a viewset (a write on a project's scorecard, a run of the engines)."""


class GatedViewSet(DeprecationMixin, ConditionalMixin, BodyFirstMixin, viewsets.GenericViewSet):
    """A viewset whose every object comes through the app's gate."""

    lookup_value_regex = ID_PATTERN

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if self.action == "list":  # an unknown query parameter is a 400 naming it (api/filters.py)
            check_query_parameters(request, self)

    def get_object(self) -> Any:
        # Not ``filter_queryset``: a list's filters and ordering are not a detail's (or a move's)
        # parameters; ``?district=3`` made a visible object a 404, ``?district=abc`` a 400.
        queryset = self.get_queryset()
        obj = queryset.filter(pk=parse_pk(self.kwargs[self.lookup_url_kwarg or self.lookup_field])).first()
        if obj is None:
            raise NotFound()
        self.check_object_permissions(self.request, obj)
        return obj


def refuse_unknown_fields(data: Any, writable: list[str], *, read_only: dict[str, str] | None = None) -> None:
    """A body naming a field the form does not take is refused, nothing written (``status`` above all)."""
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    errors: dict[str, list[str]] = {}
    for name in data:
        if name in writable:
            continue
        message = (read_only or {}).get(name) or _("This field cannot be written.")
        errors[name] = [message]
    if errors:
        raise ValidationError(errors)


def status_read_only_messages() -> dict[str, str]:
    return {"status": _("The status changes only through a move: POST …/actions/{action}/ with a comment.")}


#: form fields that take a list (or any JSON) rather than one value
_LIST_FIELDS = (forms.MultipleChoiceField, forms.MultiValueField, forms.JSONField)


def form_values(form_class: type[forms.BaseForm], data: dict[str, Any]) -> dict[str, Any]:
    """A JSON body as a page's form takes it (SEC-07): a form expects text, as a browser posts it.

    Numbers (and true/false) become their text — a date field then says "enter a valid date"
    rather than failing on ``5.strip()``; a list or an object where the field takes one value is
    refused on that field. Booleans stay as they are for boolean fields, lists for fields that
    take several values. Fields the form does not have are left for the form to ignore.
    """
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for name, value in data.items():
        field = form_class.base_fields.get(name)
        if field is None or value is None or isinstance(value, str):
            values[name] = value
        elif isinstance(field, _LIST_FIELDS):
            if isinstance(field, forms.JSONField) or not isinstance(value, list):
                values[name] = value
            elif any(isinstance(item, (dict, list)) for item in value):
                errors[name] = [_("Send a list of single values.")]
            else:
                values[name] = [item if isinstance(item, str) or item is None else _as_text(item) for item in value]
        elif isinstance(value, (dict, list)):
            errors[name] = [_("Send a single value, not a list or an object.")]
        elif isinstance(value, bool) and isinstance(field, forms.BooleanField):
            values[name] = value
        else:
            values[name] = _as_text(value)
    if errors:
        raise ValidationError(errors)
    return values


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def clean_with_form(
    form_class: type[forms.BaseForm],
    data: dict[str, Any],
    *,
    instance: Any = None,
    partial: bool = False,
    **form_kwargs: Any,
) -> dict[str, Any]:
    """Validate ``data`` with the page's form; a partial update starts from the stored values."""
    fields = list(form_class.base_fields)
    if hasattr(data, "getlist"):
        # A form-encoded or multipart body (a QueryDict): one value per field, as the forms take it.
        data = {key: data.get(key) for key in data}
    data = form_values(form_class, data)
    if partial and instance is not None:
        base = model_to_dict(instance, fields=fields)
        base.update(data)
        data = base
    if instance is not None:
        form_kwargs["instance"] = instance
    form = form_class(data=data, **form_kwargs)
    if not form.is_valid():
        raise ValidationError({field: [str(m) for m in messages] for field, messages in form.errors.items()})
    return dict(form.cleaned_data)


class LabelField(serializers.CharField):
    """A foreign key's name in the request's language (read-only)."""

    def __init__(self, source: str, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "名称（按请求语言） · its name in the request's language")
        super().__init__(source=source, read_only=True, allow_null=True, **kwargs)
