"""Refuse an oversized request body by its Content-Length, before anything reads it.

Django reads a multipart body in full (to a temporary file) as soon as ``request.POST`` is touched
(the CSRF check does); gunicorn does not cap bodies either. This middleware runs in
``process_view`` and must come before ``CsrfViewMiddleware`` in ``MIDDLEWARE``. A reverse
proxy's ``client_max_body_size`` (docs/security.md, "Uploads") is the outer limit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils.datastructures import MultiValueDict
from django.utils.http import url_has_allowed_host_and_scheme

from greenbuild.attachments.limits import body_limit


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, view_args: Any, view_kwargs: Any) -> HttpResponse | None:
        if request.META.get("HTTP_TRANSFER_ENCODING", "").strip():
            # A chunked body reaches Django as an empty one: a move would go ahead with its input
            # lost (SEC-13). Refused, as the API refuses it (api/middleware.py).
            request._post, request._files = QueryDict(), MultiValueDict()  # type: ignore[attr-defined]
            body = render_to_string(
                "attachments/length_required.html", {"back": _same_site_referer(request)}, request=request
            )
            return HttpResponse(body, status=411)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(view)
        if length <= limit:
            return None
        # Nothing below may read the body: the form data is empty from here on.
        request._post, request._files = QueryDict(), MultiValueDict()  # type: ignore[attr-defined]
        context = {"limit": filesizeformat(limit), "size": filesizeformat(length), "back": _same_site_referer(request)}
        body = render_to_string("attachments/request_too_large.html", context, request=request)
        return HttpResponse(body, status=413)


def _same_site_referer(request: HttpRequest) -> str:
    referer = str(request.META.get("HTTP_REFERER", ""))
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return referer
    return ""
