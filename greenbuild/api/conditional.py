"""HTTP conventions of every API view (issue 18 item 4, API-09): ``Location`` on 201, an ``ETag``
on every single-object answer, ``If-None-Match`` (304) on reads and ``If-Match`` (412) on writes.

* **ETag** — strong: ``"<sha256 of the JSON representation>"`` (first 32 hex digits) of the data
  the reader is answered, rendered canonically (compact JSON, keys as the serializer orders
  them). It changes whenever anything the reader sees changes, and differs between readers who
  see different fields and between languages (labels are in the request's language). Lists carry
  none (a page is not a version of anything; their cost stays that of the rows).
* **If-None-Match** on a GET of a single object: 304 Not Modified, no body, when a tag matches
  (weak comparison, RFC 9110 §13.1.2); ``*`` matches any existing object.
* **If-Match** on a write to an existing object (PUT, PATCH, DELETE on ``…/{id}/``, a move or
  other action ``POST …/{id}/…/``, the scorecard writes): evaluated inside a transaction with the
  object's row locked (``select_for_update`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` holds the
  database's write lock), so no other write can slip between the check and the write. A tag that
  is not the current one (strong comparison, RFC 9110 §13.1.1: a weak ``W/`` tag never matches)
  is a 412 ``precondition_failed`` in the one error shape, nothing written. ``*`` matches any
  existing object. Without ``If-Match`` the write proceeds (last writer wins): the header is
  optional. On a create (``POST`` to a collection) there is no object yet and it is not evaluated.
  The tag to send is the one the same reader got, in the same language (``Accept-Language``).
* **Location** on every 201: the new object's detail URL (``/api/v1/<collection>/{id}/``), found
  from the view's own collection for a create, else from the model of the object answered.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from functools import cache
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.urls import NoReverseMatch, reverse
from django.utils.http import parse_etags
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.utils.serializer_helpers import ReturnDict


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = _(
        "The object has changed since you read it (If-Match does not match its current ETag). "
        "Read it again and repeat your change."
    )


def etag_of(data: Any) -> str:
    """The strong entity tag of a representation (the data as the reader is answered)."""
    body = json.dumps(data, cls=JSONEncoder, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return '"{}"'.format(hashlib.sha256(body.encode("utf-8")).hexdigest()[:32])


def _tags(header: str) -> list[str]:
    return ["*"] if header.strip() == "*" else parse_etags(header)


def if_match_holds(header: str, current: str | None) -> bool:
    """RFC 9110 §13.1.1: true when ``*`` and the object exists, or a listed tag equals the current
    one by the strong comparison (a weak tag never matches)."""
    if current is None:
        return False
    tags = _tags(header)
    return "*" in tags or any(tag == current and not tag.startswith("W/") for tag in tags)


def if_none_match_holds(header: str, current: str) -> bool:
    """RFC 9110 §13.1.2 for a GET: true when no tag matches by the weak comparison."""
    tags = _tags(header)
    if "*" in tags:
        return False
    return all(tag.removeprefix("W/") != current for tag in tags)


class Target:
    """The object a write's ``If-Match`` refers to: its row (locked) and its representation.
    ``pk`` None: the write would make the object (a first filing), which has no version yet, so
    any ``If-Match`` fails (RFC 9110 §13.1.1: no current representation, ``*`` included)."""

    def __init__(self, model: type[Model], pk: int | None, represent: Callable[[], Any]) -> None:
        self.model, self.pk, self.represent = model, pk, represent

    def lock(self) -> None:
        """Lock the row for the rest of the transaction (PostgreSQL; SQLite's IMMEDIATE
        transaction holds the database's write lock already)."""
        if self.pk is not None:
            list(self.model._default_manager.select_for_update().filter(pk=self.pk).only("pk"))

    def current_tag(self) -> str | None:
        return None if self.pk is None else etag_of(self.represent())


@cache
def _detail_routes() -> dict[type[Model], str]:
    """Each model answered by a collection's detail route → that route's name (``api:<basename>-detail``)."""
    from greenbuild.api.urls import router

    routes: dict[type[Model], str] = {}
    for _prefix, viewset, basename in router.registry:
        model = getattr(getattr(getattr(viewset, "serializer_class", None), "Meta", None), "model", None)
        if model is not None and hasattr(viewset, "retrieve"):
            routes.setdefault(model, "api:{}-detail".format(basename))
    return routes


def location_of(view: Any, data: Any) -> str | None:
    """The detail URL of the object a 201 answered with ``data``."""
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        return None
    route = None
    basename = getattr(view, "basename", None)
    if getattr(view, "action", None) == "create" and basename and hasattr(view, "retrieve"):
        route = "api:{}-detail".format(basename)
    else:
        serializer = getattr(data, "serializer", None) if isinstance(data, ReturnDict) else None
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        route = _detail_routes().get(model) if model is not None else None
    if route is None:
        return None
    try:
        return reverse(route, kwargs={"pk": data["id"]})
    except NoReverseMatch:
        return None


class ConditionalMixin:
    """Mixed into ``ApiView`` and ``GatedViewSet`` (``api/base.py``): every app has it."""

    # -- the object a write refers to ---------------------------------------------------------
    def precondition_target(self, request: Request, kwargs: dict[str, Any]) -> Target | None:
        """The object ``If-Match`` is checked against. A viewset's detail route and its detail
        actions: the viewset's object, represented as its detail GET answers it. A view that is
        not a viewset overrides this (the scorecard writes); None: nothing to check (a create)."""
        lookup = getattr(self, "lookup_url_kwarg", None) or getattr(self, "lookup_field", None)
        if not lookup or lookup not in kwargs or not hasattr(self, "retrieve"):
            return None
        from greenbuild.api.base import parse_pk

        pk = parse_pk(kwargs[lookup])
        model = self.get_queryset().model  # type: ignore[attr-defined]

        view: Any = self

        def represent() -> Any:
            saved = getattr(view, "action", None)
            view.action = "retrieve"  # serializers that differ for lists and details
            try:
                return view.retrieve(request, **{lookup: kwargs[lookup]}).data
            finally:
                view.action = saved

        return Target(model, pk, represent)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        header = request.headers.get("If-Match")
        method = (request.method or "").lower()
        # a viewset's update answers the object's new version: it gets its ETag
        answers_object = getattr(self, "action", None) in ("update", "partial_update")
        if request.method in SAFE_METHODS or (header is None and not answers_object):
            return
        handler = getattr(self, method, None)
        target = self.precondition_target(request, kwargs) if handler is not None else None
        if target is None or handler is None:
            return

        def guarded(request: Request, *args: Any, **kwargs: Any) -> Any:
            # The check and the write in one transaction, the row locked from the check on.
            with transaction.atomic():
                if header is not None:
                    target.lock()
                    # an object the reader may not see is a 404 here, as without the header
                    if not if_match_holds(header, target.current_tag()):
                        raise PreconditionFailed()
                response = handler(request, *args, **kwargs)
                code = getattr(response, "status_code", 200)
                if code >= 400:
                    transaction.set_rollback(True)
                elif answers_object and code == status.HTTP_200_OK and isinstance(response, Response):
                    # none when the change took the object out of the caller's sight
                    with contextlib.suppress(APIException, Http404):
                        response["ETag"] = etag_of(target.represent())  # as the next GET will answer
                return response

        setattr(self, method, guarded)  # DRF's dispatch looks the handler up after ``initial``

    # -- answers ------------------------------------------------------------------------------
    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if not isinstance(response, Response):
            return response
        if response.status_code == status.HTTP_201_CREATED and not response.has_header("Location"):
            location = location_of(self, response.data)
            if location:
                response["Location"] = location
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == status.HTTP_200_OK
            and getattr(self, "action", None) != "list"
            and isinstance(response.data, dict)
            and not response.has_header("ETag")
        ):
            tag = etag_of(response.data)
            response["ETag"] = tag
            condition = request.headers.get("If-None-Match")
            if condition is not None and not if_none_match_holds(condition, tag):
                return _not_modified(response)
        return response


def _not_modified(response: Response) -> HttpResponse:
    answer = HttpResponseNotModified()
    for name in ("ETag", "Vary", "Cache-Control", "Content-Location", "Expires", "Content-Language"):
        if response.has_header(name):
            answer[name] = response[name]
    return answer


# -- the schema --------------------------------------------------------------------------------
_ETAG = {
    "schema": {"type": "string"},
    "description": "该对象此版本的实体标签（强校验） · the strong entity tag of this version of the object",
}
_LOCATION = {
    "schema": {"type": "string", "format": "uri-reference"},
    "description": "新对象的地址 · the new object's detail URL",
}
_IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": (
        "可选：读取时得到的 ETag；对象已被他人修改则返回 412，不写入 · optional: the ETag you read; "
        "a 412 and nothing written when the object has changed since"
    ),
}
_IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": "可选：已有版本的 ETag；未变化则返回 304 · optional: the ETag you hold; a 304 when unchanged",
}


def _single(operation: dict[str, Any]) -> bool:
    """Whether a GET's 200 answers one object (not a page, not an array, not a file)."""
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if not isinstance(schema, dict):
        return False
    return schema.get("type") != "array" and "Paginated" not in schema.get("$ref", "")


def evaluates_if_match(view: Any) -> bool:
    """Whether ``view`` checks If-Match (the same rule as ``ConditionalMixin.precondition_target``)."""
    if not isinstance(view, ConditionalMixin):
        return False
    if type(view).precondition_target is not ConditionalMixin.precondition_target:
        return True
    lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", None)
    return bool(lookup) and bool(getattr(view, "detail", False)) and hasattr(view, "retrieve")


def postprocess_conditional_headers(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """``Location`` on every 201, ``ETag`` on single objects (and updates' answers), the optional
    ``If-None-Match`` (304) on their GETs and ``If-Match`` on the writes that check it."""
    views = {(path, method.lower()): view for path, _regex, method, view in generator._get_paths_and_endpoints()}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            view = views.get((path, method))
            if not isinstance(view, ConditionalMixin):
                continue
            responses = operation["responses"]
            parameters = operation.setdefault("parameters", [])
            if "201" in responses:
                responses["201"].setdefault("headers", {}).setdefault("Location", _LOCATION)
            if (
                method == "get"
                and "200" in responses
                and getattr(view, "action", None) != "list"
                and _single(operation)
            ):
                responses["200"].setdefault("headers", {})["ETag"] = _ETAG
                parameters.append(_IF_NONE_MATCH)
                responses.setdefault(
                    "304",
                    {
                        "description": "未变化（If-None-Match） · not modified since the ETag sent",
                        "headers": {"ETag": _ETAG},
                    },
                )
            if method in ("put", "patch", "delete", "post") and evaluates_if_match(view):
                parameters.append(_IF_MATCH)
                if (
                    method in ("put", "patch")
                    and "200" in responses
                    and getattr(view, "action", None)
                    in (
                        "update",
                        "partial_update",
                    )
                ):
                    responses["200"].setdefault("headers", {})["ETag"] = _ETAG
            if not parameters:
                del operation["parameters"]
    return result
