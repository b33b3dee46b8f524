"""One error shape for every 4xx of the API (issue 12 §5), never an HTML page::

    {"status": 400, "code": "invalid", "message": "…", "errors": {"name": ["…"]}}

``message`` is in the request's language (Accept-Language, or the language cookie); ``errors``
is keyed like the forms of the pages (``non_field_errors`` for the record as a whole).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from greenbuild.api.parsers import MalformedBody
from greenbuild.core.errors import DomainError, TransitionNotAllowed

NON_FIELD = "non_field_errors"


def error_body(status_code: int, code: str, message: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"status": status_code, "code": code, "message": str(message), "errors": errors or {}}


def request_too_large_body(limit: int | None = None) -> dict[str, Any]:
    """413: the body is larger than this endpoint takes (``attachments/limits.py``)."""
    if limit is None:
        message = _("The request body is too large.")
    else:
        message = _("The request body is too large: this endpoint takes at most {limit}.").format(
            limit=filesizeformat(limit)
        )
    return error_body(413, "request_too_large", message)


def length_required_body() -> dict[str, Any]:
    """411: a body sent in chunks (no Content-Length) is not read (SEC-13)."""
    return error_body(
        411,
        "length_required",
        _("Send the request body with a Content-Length header; chunked transfer encoding is not accepted."),
    )


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as ``{"field": ["message", …]}`` (nested fields dotted)."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = NON_FIELD if key in (NON_FIELD_ERRORS, "non_field_errors") else str(key)
            for field, messages in _flatten(value, "{}{}".format(prefix + "." if prefix else "", name)).items():
                out.setdefault(field, []).extend(messages)
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            if isinstance(item, (dict, list)) and not all(isinstance(i, str) for i in item):
                for field, messages in _flatten(item, "{}[{}]".format(prefix, index)).items():
                    out.setdefault(field, []).extend(messages)
            else:
                out.setdefault(prefix or NON_FIELD, []).append(str(item))
    else:
        out.setdefault(prefix or NON_FIELD, []).append(str(detail))
    return out


def _django_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            (NON_FIELD if field == NON_FIELD_ERRORS else field): [str(m) for m in messages]
            for field, messages in error.message_dict.items()
        }
    return {NON_FIELD: [str(m) for m in error.messages]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn every refusal into the shape above; services' errors keep their field names."""
    if isinstance(exc, RequestDataTooBig):
        return Response(request_too_large_body(), status=413)
    if isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        return Response(error_body(400, "parse_error", _("The form data has too many fields or files.")), status=400)
    if isinstance(exc, DataError):
        # The last guard (SEC-07): a value the database cannot store (text with NUL, a number out
        # of range) that no check above caught is the client's error, not the server's.
        return Response(error_body(400, "invalid", _("The data is not valid.")), status=400)
    if isinstance(exc, DjangoValidationError):
        errors = _django_errors(exc)
        return Response(error_body(400, "invalid", _("The data is not valid."), errors), status=400)
    if isinstance(exc, TransitionNotAllowed):
        return Response(error_body(409, "conflict", exc.message), status=409)
    if isinstance(exc, DomainError):
        errors = {exc.field or NON_FIELD: [str(exc.message)]}
        return Response(error_body(400, "refused", exc.message, errors), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = error_body(response.status_code, "invalid", _("The data is not valid."), _flatten(exc.detail))
    elif isinstance(exc, MalformedBody):
        body = error_body(400, "parse_error", str(exc.detail))
    elif isinstance(exc, exceptions.ParseError):
        body = error_body(400, "parse_error", _("The request body is not valid JSON or form data."))
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        message = detail if isinstance(detail, str) else " ".join(_flatten(detail).get(NON_FIELD, []))
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        body = error_body(response.status_code, str(code), str(message))
    else:  # pragma: no cover - DRF only handles APIException subclasses
        body = error_body(response.status_code, "error", str(exc))
    response.data = body
    return response


def not_found(request: Any, *args: Any, **kwargs: Any) -> JsonResponse:
    """Unknown paths under /api/: the JSON shape, not the HTML 404 page."""
    return JsonResponse(error_body(404, "not_found", _("Not found.")), status=status.HTTP_404_NOT_FOUND)
