"""Platform middleware: the Content-Security-Policy header (issue 10 item 9).

Every response carries the policy; nothing of ours needs an exception. Pages that must relax it
(a third-party UI that injects styles, for example) decorate their view with :func:`csp_update`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

#: The default policy. Every asset is served by the platform itself (whitenoise, static/vendor);
#: no inline script and no inline style. ECharts and Bootstrap set styles through the CSSOM
#: (``element.style``), which style-src does not govern; htmx's injected indicator <style> is
#: switched off in base.html and its rules live in site.css.
DEFAULT_POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    # One inline style attribute we cannot remove without copying a third-party template:
    # django-simple-history's admin history list (`<p class="paginator" style="border-top: 0">`).
    # 'unsafe-hashes' with its hash allows exactly that value and no other style attribute.
    "style-src-attr": ("'unsafe-hashes'", "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "frame-ancestors": ("'none'",),
    "form-action": ("'self'",),
}

HEADER = "Content-Security-Policy"
_ATTR = "_csp_update"


def policy() -> dict[str, tuple[str, ...]]:
    """The configured policy: ``settings.CONTENT_SECURITY_POLICY`` if set, else the default."""
    return dict(getattr(settings, "CONTENT_SECURITY_POLICY", None) or DEFAULT_POLICY)


def render_policy(directives: dict[str, tuple[str, ...]]) -> str:
    return "; ".join("{} {}".format(name, " ".join(values)).strip() for name, values in directives.items())


def csp_update(
    **directives: tuple[str, ...] | list[str],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Add sources to directives for one view: ``@csp_update(style_src=("'unsafe-inline'",))``."""
    extra = {name.replace("_", "-"): tuple(values) for name, values in directives.items()}

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            setattr(response, _ATTR, extra)
            return response

        return wrapped

    return decorator


class ContentSecurityPolicyMiddleware:
    """Sets the Content-Security-Policy header on every response that lacks one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER in response:
            return response
        directives = policy()
        for name, values in (getattr(response, _ATTR, None) or {}).items():
            directives[name] = tuple(dict.fromkeys(directives.get(name, ("'self'",)) + values))
        response[HEADER] = render_policy(directives)
        return response


class MethodNotAllowedPageMiddleware:
    """A page address that takes only a form (POST) answers any other method with Django's bare,
    empty 405: the browser shows its own blank page after a reload, a bookmark or a language switch
    at that address (UI-13, UI-07). This middleware gives the pages' styled 405 instead, in the
    address's language, with a way back (the same-site referer, else the page one level up).
    The ``Allow`` header stays; ``/api/`` keeps its JSON errors."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or request.path_info.startswith("/api/"):
            return response
        if getattr(response, "streaming", False) or response.content:
            return response  # already has a body: a page, or JSON (DRF's 405 at /data.json)
        from django.template.loader import render_to_string

        # A form-only address (Allow without GET) says so; a GET-only one (a download, /healthz)
        # sent a POST must not claim to take only a form.
        form_only = "GET" not in [m.strip() for m in response.get("Allow", "").split(",")]
        context = {"back": _way_back(request), "form_only": form_only}
        body = render_to_string("405.html", context, request=request)
        styled = HttpResponse(body, status=405)
        if "Allow" in response:
            styled["Allow"] = response["Allow"]
        return styled


def _way_back(request: HttpRequest) -> str:
    """Where the 405 page's "back" leads: a same-site referer, else the parent address if it is a page."""
    from django.urls import Resolver404, resolve
    from django.utils.http import url_has_allowed_host_and_scheme

    referer = str(request.META.get("HTTP_REFERER", ""))
    same_site = referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()})
    if same_site and referer.split("://", 1)[-1].partition("/")[2] != request.path.lstrip("/"):
        return referer
    parent = request.path.rstrip("/").rpartition("/")[0] + "/"
    try:
        resolve(parent)
    except Resolver404:
        return ""
    return parent
