"""One error shape for every 4xx of the API (issue 12 §5), never an HTML page::

    {"status": 400, "code": "invalid", "message": "…", "errors": {"name": ["…"]}}

``message`` is in the request's language (Accept-Language, or the language cookie); ``errors``
is keyed like the forms of the pages (``non_field_errors`` for the record as a whole).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
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
from django.http import Http404, HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
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
    response = _error_response(exc, context)
    if response is not None:
        _as_json(context)
    return response


def _error_response(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig):
        return Response(request_too_large_body(), status=413)
    if isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        return Response(error_body(400, "parse_error", _("The form data has too many fields or files.")), status=400)
    if isinstance(exc, OverflowError) and "SQLite INTEGER" in str(exc):
        # SQLite's form of PostgreSQL's DataError below: an integer beyond 64 bits (a number
        # filter without a bound: ``?based_on=999…``); the client's error, never a 500.
        return Response(error_body(400, "invalid", _("The data is not valid.")), status=400)
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
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        # DRF's SessionAuthentication refuses a session write without its CSRF token with an
        # English "CSRF Failed: …": the same code and translated message as Django's own check.
        return Response(csrf_failed_body(), status=403)
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
        request = context.get("request")
        if (getattr(request, "content_type", "") or "").lower().startswith("multipart/"):
            body = error_body(
                400, "parse_error", _("The multipart/form-data body cannot be read (check its boundary).")
            )
        else:
            body = error_body(400, "parse_error", _("The request body is not valid JSON."))
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        body = error_body(415, "unsupported_media_type", unsupported_media_type_message(context, exc))
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


def _as_json(context: dict[str, Any]) -> None:
    """Every error is rendered as JSON, also where the endpoint answers in another format (the
    schema's YAML, a CSV download): DRF renders the answer with the request's renderer."""
    request = context.get("request")
    if request is not None:
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type


def unsupported_media_type_message(context: dict[str, Any], exc: exceptions.UnsupportedMediaType) -> str:
    """415: which body the endpoint takes (JSON; multipart/form-data where a file is sent)."""
    request = context.get("request")
    accepted = [parser.media_type for parser in getattr(request, "parsers", None) or []] or ["application/json"]
    sent = getattr(request, "content_type", "") or ""
    return _("This endpoint takes a body of type {accepted}, not {sent}.").format(
        accepted=" or ".join(accepted), sent=sent.split(";")[0].strip() or _("an unnamed type")
    )


@csrf_exempt
def not_found(request: Any, *args: Any, **kwargs: Any) -> JsonResponse:
    """Unknown paths under /api/, whatever the method: the JSON shape, never the HTML 404 page nor
    the CSRF page (this view writes nothing, so it is exempt: a write to an unknown path is a 404).

    A path missing its trailing slash that names an endpoint with it is a 404 too (issue 18,
    API-08), code ``no_trailing_slash``, naming the path to use: no redirect, since a client
    following one would send its write twice and a 301/302 turns a POST into a GET.
    """
    path = request.path_info
    if not path.endswith("/") and _resolves_elsewhere(path + "/"):
        query = request.META.get("QUERY_STRING", "")
        target = request.path + "/" + ("?" + query if query else "")
        body = error_body(
            404,
            "no_trailing_slash",
            _("API paths end with a slash: send this request to {path}").format(path=target),
            {"path": [target]},
        )
        return _json(body, status.HTTP_404_NOT_FOUND)
    return _json(error_body(404, "not_found", _("Not found.")), status.HTTP_404_NOT_FOUND)


def api_methods(*methods: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A plain Django view under /api/ that takes only ``methods`` (and HEAD with GET): any other
    is a JSON 405 with ``Allow``, before any CSRF check (the view must write nothing)."""
    allowed = sorted({*methods, *(("HEAD",) if "GET" in methods else ())})

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in allowed:
                message = _('Method "{method}" not allowed.').format(method=request.method)
                response = _json(error_body(405, "method_not_allowed", message), 405)
                response["Allow"] = ", ".join(allowed)
                return response
            return view(request, *args, **kwargs)

        return csrf_exempt(wrapped)

    return decorate


def _resolves_elsewhere(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.func is not not_found


def csrf_failure(request: Any, reason: str = "") -> JsonResponse:
    """The CSRF refusal under /api/ (``core.views.csrf_failure`` sends /api/ paths here): a 403 in
    the error shape. A browser's session write without its token; a token is never refused this way."""
    return _json(csrf_failed_body(), status.HTTP_403_FORBIDDEN)


def csrf_failed_body() -> dict[str, Any]:
    message = _("CSRF check failed: send the X-CSRFToken header with the session, or use a token.")
    return error_body(403, "csrf_failed", message)


def _json(body: dict[str, Any], status_code: int) -> JsonResponse:
    """The error shape from a plain view: UTF-8 text, as DRF's answers (not ``\\uXXXX`` escapes)."""
    return JsonResponse(body, status=status_code, json_dumps_params={"ensure_ascii": False})
