"""The API speaks the caller's language, and answers a body it will not read in its error shape.

Pages carry their language in the path (``/en/…``); an unprefixed page is Chinese, so Django's
LocaleMiddleware gives every unprefixed path the default language. API paths (``/api/…``) have
no prefix at all: for them the language comes from the request — the ``Accept-Language`` header
or the language cookie — as a system calling the API expects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.utils import translation
from django.utils.datastructures import MultiValueDict

from greenbuild.api.exceptions import length_required_body, request_too_large_body
from greenbuild.attachments.limits import body_limit


class ApiLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class ApiRequestBodyMiddleware:
    """``/api/``: refuse a body the API will not read, in the API's error shape (SEC-13, SEC-14).

    * A body sent in chunks (``Transfer-Encoding``, no ``Content-Length``) reaches Django as an
      empty body, so the write would silently do nothing: 411 Length Required instead.
    * A body larger than the endpoint takes is a 413 before a byte is read, with the pages'
      limits (``attachments/limits.py``): an upload endpoint declares its kinds with
      ``@accepts_uploads`` on its method, every other endpoint has the platform's default.

    Runs in ``process_view`` before ``attachments.middleware.RequestBodyLimitMiddleware`` (whose
    answer is the pages' HTML 413), so it must come before it in ``MIDDLEWARE``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, view_args: Any, view_kwargs: Any) -> HttpResponse | None:
        if not request.path_info.startswith("/api/"):
            return None
        if request.META.get("HTTP_TRANSFER_ENCODING", "").strip():
            return _refused(request, length_required_body(), 411)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(_handler(view, request))
        if length > limit:
            return _refused(request, request_too_large_body(limit), 413)
        return None


def _handler(view: Any, request: HttpRequest) -> Any:
    """The method that will handle ``request`` (where ``@accepts_uploads`` sits), else the view."""
    cls = getattr(view, "cls", None)
    if cls is None:
        return view
    method = (request.method or "get").lower()
    action = (getattr(view, "actions", None) or {}).get(method, method)
    return getattr(cls, action, view)


def _refused(request: HttpRequest, body: dict[str, Any], status: int) -> HttpResponse:
    # Nothing below may read the body: the form data is empty from here on.
    request._post, request._files = QueryDict(), MultiValueDict()  # type: ignore[attr-defined]
    response = JsonResponse(body, status=status)
    response["Connection"] = "close"  # the unread body must not be taken for the next request
    return response
